"""Plain-text pages as scraped from news sites: one article per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...article import Article
from ...clean.page import read_text_page
from ...errors import InputError, NoArticle
from ..encoding import decode_bytes
from .common import read_page_bytes, stable_id


def article_from_text(text: str, data: bytes, shown: str) -> Article:
    """An ``Article`` from a page's plain text; raises ``NoArticle`` when no body is found."""
    page = read_text_page(text)
    if not page.body:
        raise NoArticle("no article text found (no line looks like prose)", shown,
                        hint="is this a news article page?")
    return Article(id=stable_id(data), path=shown, body=page.body, outlet=page.outlet,
                   title=page.title, published=page.published, tags=page.tags,
                   )


def read_text(path: Path, shown: str, skip: int = 0) -> Iterator[Article | InputError]:
    if skip:
        return
    try:
        data = read_page_bytes(path, shown)
        yield article_from_text(decode_bytes(data, shown), data, shown)
    except InputError as exc:
        yield exc
