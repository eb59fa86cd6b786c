"""Duplicate detection: exact copies now (``exact.py``); near-duplicates land beside it."""
