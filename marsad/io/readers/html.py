"""HTML pages: main text, title, outlet and publication time by ``clean.webpage``.

See ``marsad.clean.webpage`` for the order of trust of each field; this reader only decodes,
rejects truncated and article-less pages, and makes the ``Article``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ...article import Article
from ...clean.webpage import read_webpage
from ...errors import InputError, NoArticle, TruncatedInput
from ..encoding import declared_charset, decode_bytes
from .common import read_page_bytes, stable_id

MIN_BODY_CHARS = 100  # less than this is a caption or a teaser, not an article
_OPENED = re.compile(r"<(?:html|body)[\s>]", re.I)
_CLOSED = re.compile(r"</(?:html|body)\s*>", re.I)


def article_from_html(html: str, data: bytes, shown: str, url: str | None = None,
                      fetched: datetime | None = None) -> Article:
    """An ``Article`` from one HTML page; raises ``InputError`` for truncated or article-less pages.

    ``fetched`` (a crawl's date) dates a page that only says how long ago it was published.
    """
    if _OPENED.search(html) and not _CLOSED.search(html):
        raise TruncatedInput("truncated HTML page (it opens <html> or <body> but never closes it)", shown,
                         hint="download it again; file skipped")
    page = read_webpage(html, url, reference=fetched)
    if page is None or not page.body:
        raise NoArticle("no article text found in the page", shown,
                        hint="a home, tag or media page? file skipped")
    if len(page.body) < MIN_BODY_CHARS:
        raise NoArticle(f"no article text found in the page (only {len(page.body)} characters of text)",
                        shown, hint="a home, tag or media page? file skipped")
    return Article(id=stable_id(data), path=shown, body=page.body, url=url or page.url, outlet=page.outlet,
                   title=page.title, published=page.published, tags=page.tags)


def read_html(path: Path, shown: str, skip: int = 0) -> Iterator[Article | InputError]:
    if skip:
        return
    try:
        data = read_page_bytes(path, shown)
        html = decode_bytes(data, shown, declared=declared_charset(data))
        yield article_from_html(html, data, shown)
    except InputError as exc:
        yield exc
