"""Helpers and limits the readers share."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ...errors import TooLarge

# A news page is far smaller (the largest of ant-full's 31,523 articles has about 60 KB of text); a larger
# page or record is a dump, media or a hostile file, and reading it whole could take the memory of a small server.
MAX_PAGE_BYTES = 5_000_000
# A JSONL line holds one article and its fields; a longer line is skipped without being read into memory.
MAX_LINE_BYTES = 16_000_000


def stable_id(data: bytes, prefix: str = "a") -> str:
    """An id from the record's bytes: the same input gives the same id on every run and machine."""
    return f"{prefix}-{hashlib.sha1(data).hexdigest()[:16]}"


def read_page_bytes(path: Path, shown: str) -> bytes:
    """A one-article file's bytes; ``TooLarge`` (not read) when it is larger than a page can be."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise TooLarge(f"{size:,} bytes, larger than any news page ({MAX_PAGE_BYTES:,} bytes at most)", shown,
                           hint="file skipped without being read")
    return path.read_bytes()
