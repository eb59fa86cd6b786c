"""HTML pages: main text by trafilatura, then the same furniture filter as text pages.

Metadata: title, site name and tags from trafilatura; the full publication time
(trafilatura keeps only the day) from the page's ``article:published_time`` /
``datePublished`` / ``<time datetime>``.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import trafilatura

from ...article import Article
from ...clean.dates import parse_date
from ...clean.page import clean_body, split_tags
from ...errors import InputError, NoArticle, TruncatedInput
from ...normalize import fold_for_match
from ..encoding import declared_charset, decode_bytes
from .common import read_page_bytes, stable_id

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_TIME_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|date)["'][^>]*content\s*=\s*["']([^"']+)["']"""
    r"""|<meta[^>]+content\s*=\s*["']([^"']+)["'][^>]*(?:property|name|itemprop)\s*=\s*["']"""
    r"""(?:article:published_time|datePublished)["']"""
    r"""|<time[^>]+datetime\s*=\s*["']([^"']+)["']""", re.I)


def _published(html: str, fallback: str | None) -> datetime | None:
    for m in _TIME_META.finditer(html):
        value = next(g for g in m.groups() if g)
        when = parse_date(value)
        if when:
            return when
    return parse_date(fallback) if fallback else None


MIN_BODY_CHARS = 100  # less than this is a caption or a teaser, not an article
_OPENED = re.compile(r"<(?:html|body)[\s>]", re.I)
_CLOSED = re.compile(r"</(?:html|body)\s*>", re.I)


MAX_LABEL_WORDS = 4  # a section label or breadcrumb above the headline ("اقتصاد")


def _after_title(lines: list[str], title: str | None) -> list[str]:
    """The extracted lines after the headline, when it (with only short labels above it) opens the text."""
    if not title:
        return lines
    for i, line in enumerate(lines[:4]):
        if fold_for_match(line.strip()) == fold_for_match(title):  # a tashkeel or alef variant is the same title
            if all(len(above.split()) <= MAX_LABEL_WORDS for above in lines[:i]):
                return lines[i + 1:]
            break
    return lines


def article_from_html(html: str, data: bytes, shown: str, url: str | None = None) -> Article:
    """An ``Article`` from one HTML page; raises ``InputError`` for truncated or article-less pages."""
    if _OPENED.search(html) and not _CLOSED.search(html):
        raise TruncatedInput("truncated HTML page (it opens <html> or <body> but never closes it)", shown,
                         hint="download it again; file skipped")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None:
        raise NoArticle("no article text found in the page", shown,
                        hint="a home, tag or media page? file skipped")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = (meta.get("title") or "").strip() or None
    lines = (meta.get("text") or "").split("\n")
    lines = _after_title(lines, title)
    body = clean_body("\n\n".join(ln.strip() for ln in lines if ln.strip()))
    if len(body) < MIN_BODY_CHARS:
        raise NoArticle(f"no article text found in the page (only {len(body)} characters of text)",
                        shown, hint="a home, tag or media page? file skipped")
    tags: list[str] = []
    for t in (meta.get("tags") or []) + (meta.get("categories") or []):
        tags.extend(split_tags(t, body))
    return Article(id=stable_id(data), path=shown, body=body, url=url or meta.get("url"),
                   outlet=(meta.get("sitename") or "").strip() or None, title=title,
                   published=_published(html, meta.get("date")), tags=list(dict.fromkeys(tags)))


def read_html(path: Path, shown: str, skip: int = 0) -> Iterator[Article | InputError]:
    if skip:
        return
    try:
        data = read_page_bytes(path, shown)
        html = decode_bytes(data, shown, declared=declared_charset(data))
        yield article_from_html(html, data, shown)
    except InputError as exc:
        yield exc
