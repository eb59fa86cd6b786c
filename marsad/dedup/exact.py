"""Exact copies: articles whose folded body is the same text (a wire story filed twice)."""
from __future__ import annotations

import hashlib

from ..normalize import folded_phrase


def fingerprint(body: str) -> str:
    """Hash of the folded words of ``body``: spacing, punctuation, diacritics and alef forms do not count."""
    return hashlib.sha1(folded_phrase(body).encode("utf-8")).hexdigest()[:20]
