"""Helpers the readers share."""
from __future__ import annotations

import hashlib


def stable_id(data: bytes, prefix: str = "a") -> str:
    """An id from the record's bytes: the same input gives the same id on every run and machine."""
    return f"{prefix}-{hashlib.sha1(data).hexdigest()[:16]}"
