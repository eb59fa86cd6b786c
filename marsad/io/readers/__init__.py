"""Readers: one per input kind; each yields ``Article`` objects (``path`` and ``record`` set)
or, for a record it cannot read, the ``InputError`` saying why, and goes on.

A reader takes ``skip``: the number of records already stored by an earlier,
interrupted run of the same file, so a resumed run neither repeats nor misses any.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ...article import Article
from ...errors import InputError
from .html import read_html
from .jsonl import read_jsonl
from .text import read_text
from .warc import read_warc

Reader = Callable[[Path, str, int], Iterator["Article | InputError"]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".ndjson": read_jsonl,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return READERS[suffix]
    return None
