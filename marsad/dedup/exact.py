"""Exact copies: articles whose folded body is the same text (a wire story filed twice)."""
from __future__ import annotations

import hashlib

from ..normalize import words


def fingerprint(body: str, folded_words: list[str] | None = None) -> str:
    """Hash of the folded words of ``body`` (``folded_words``: its ``words``, when already computed):
    spacing, punctuation, diacritics and alef forms do not count."""
    ws = words(body) if folded_words is None else folded_words
    return hashlib.sha1(" ".join(ws).encode("utf-8")).hexdigest()[:20]
