"""WARC / WARC.gz crawls: each HTML response becomes an article through the HTML path.

Read streaming with warcio: one record at a time, a page's bytes capped at
``MAX_PAGE_BYTES``, so memory does not grow with the size of the file. Records are
numbered in file order ("WARC record N", every record counted, requests and
metadata included) so an interrupted run resumes after the last record stored.

Pages that are no article (a non-200 status, a redirect, media, a home, tag or
section page, a page with no article text) are yielded as ``NotAnArticle``: the
pipeline counts them as skipped, not failed, and stores nothing for them.
"""
from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import warcio.bufferedreaders as _warcio_buffered
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ...article import Article, format_published
from ...clean.dates import parse_date
from ...errors import InputError, NoArticle, NotAnArticle, TruncatedInput
from ..encoding import declared_charset, decode_bytes
from .common import MAX_PAGE_BYTES
from .html import article_from_html

_DAMAGE_HINT = "file truncated or damaged; records read before the damage are kept"


# warcio reports some damage itself, on stderr or its logger, over lines of raw record bytes, before handing back
# what read_warc turns into one error line: a broken gzip member in mid-record ("Error -3 while decompressing"),
# spaces in a WARC-Target-URI. Both are silenced; read_warc says what was wrong, with the file and record.
logging.getLogger("warcio").setLevel(logging.ERROR)


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


_warcio_buffered.sys = SimpleNamespace(stderr=_Discard())  # type: ignore[attr-defined]


class _QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its warning on stderr (raw record bytes over many lines) when a record is
    not followed by a blank line: ``read_warc`` reports that as one error, from ``err_count``."""

    INC_RECORD = ""

# URL path segments of listing pages rather than articles (site conventions, not language data)
LISTING_SEGMENTS = frozenset({
    "tag", "tags", "category", "categories", "section", "sections", "author", "authors", "topic",
    "topics", "search", "page", "archive", "archives", "feed", "rss", "login", "contact", "about",
})
_INDEX_NAMES = re.compile(r"^(?:index|default|home)\.(?:html?|php|aspx?)$", re.I)
# one short path segment without digits, hyphens or extension ("/sports/", "/economy"): a section front
_SECTION_NAME = re.compile(r"^[A-Za-z_]{1,20}$")
_LONG_NUMBER = re.compile(r"\d{5,}")
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/[01]?\d/[0-3]?\d(?:/|$)")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


def listing_reason(url: str | None) -> str | None:
    """Why ``url`` looks like a home, tag or section page rather than an article, or None."""
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if not parts or (len(parts) == 1 and _INDEX_NAMES.match(parts[0])):
        return "a home page"
    lowered = [p.lower() for p in parts]
    hit = next((p for p in lowered if p in LISTING_SEGMENTS), None)
    if hit and not _looks_like_article(parts):
        return f"a listing page (/{hit}/ in the URL)"
    if len(parts) == 1 and _SECTION_NAME.match(parts[0]):
        return f"a section page (/{parts[0]})"
    return None


def _looks_like_article(parts: list[str]) -> bool:
    """An article id (5+ digits), a /YYYY/MM/DD/ date or a long slug (4+ words) in the path."""
    path = "/" + "/".join(parts)
    if _LONG_NUMBER.search(path) or _DATE_PATH.search(path):
        return True
    return any(len(re.split(r"[-_+]", unquote(p))) >= 5 for p in parts)


def outlet_from_url(url: str | None) -> str | None:
    """The site's host without ``www.``: the outlet when the page names none."""
    host = urlsplit(url).hostname if url else None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def article_from_response(data: bytes, shown: str, record: str, url: str | None,
                          content_type: str | None, crawled: datetime | None) -> Article:
    """An ``Article`` from one fetched HTML page (WARC response or live fetch).

    Raises ``NotAnArticle`` for listing pages and pages without article text, other
    ``InputError`` for bytes that cannot be decoded. ``published`` is the page's own
    date, else the crawl date (then ``extra["date_source"] == "crawl"``); the crawl date
    is kept in ``extra["crawled"]``.
    """
    reason = listing_reason(url)
    if reason:
        raise NotAnArticle(reason, shown, record, hint=f"{url}; skipped")
    http_charset = None
    if content_type:
        m = _CHARSET.search(content_type)
        http_charset = m.group(1) if m else None
    try:
        html = decode_bytes(data, shown, declared=declared_charset(data, http_charset))
        article = article_from_html(html, data, shown, url=url, fetched=crawled)
    except NoArticle as exc:
        raise NotAnArticle(exc.message, shown, record, hint=f"{url}; skipped") from exc
    except InputError as exc:
        exc.record = record
        if exc.hint:
            exc.hint = exc.hint.replace("file skipped", "page skipped")
        raise
    article.record = record
    if not article.outlet:
        article.outlet = outlet_from_url(url)
    if crawled is not None:
        article.extra["crawled"] = format_published(crawled)
        if article.published is None:
            article.published = crawled
            article.extra["date_source"] = "crawl"
    return article


def _not_html(content_type: str | None) -> bool:
    if not content_type:
        return False  # no header: look at the bytes
    return not content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _from_record(rec, shown: str, record: str) -> Article | InputError:  # type: ignore[no-untyped-def]
    url = rec.rec_headers.get_header("WARC-Target-URI")
    crawled = parse_date(rec.rec_headers.get_header("WARC-Date") or "")
    where = url or "no URL"
    if rec.http_headers is not None:
        status = rec.http_headers.get_statuscode() or ""
        content_type = rec.http_headers.get_header("Content-Type")
    else:  # a 'resource' record: the page itself, no HTTP envelope
        status, content_type = "200", rec.rec_headers.get_header("Content-Type")
    if status.startswith("3"):
        target = rec.http_headers.get_header("Location") or "?"
        return NotAnArticle(f"HTTP {status} redirect to {target}", shown, record, hint=f"{where}; skipped")
    if status != "200":
        return NotAnArticle(f"HTTP {status or 'status missing'}", shown, record, hint=f"{where}; skipped")
    if _not_html(content_type):
        kind = content_type.split(";")[0].strip()[:80] if content_type else "?"
        return NotAnArticle(f"not an HTML page ({kind})", shown, record, hint=f"{where}; skipped")
    data = rec.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return NotAnArticle(f"page larger than {MAX_PAGE_BYTES:,} bytes", shown, record,
                            hint=f"{where}; skipped")
    try:
        return article_from_response(data, shown, record, url, content_type, crawled)
    except InputError as exc:
        return exc


def read_warc(path: Path, shown: str, skip: int = 0) -> Iterator[Article | InputError]:
    """Articles from the HTML responses of a WARC or WARC.gz file, records after ``skip``.

    Damage (a cut-off gzip member, a record shorter than its Content-Length, garbage
    where a header should be) ends the file with one ``TruncatedInput`` naming the record;
    the records before it are kept.
    """
    n = 0
    try:
        with open(path, "rb") as fh:
            archive = _QuietArchiveIterator(fh)
            records = iter(archive)
            while True:
                try:
                    rec = next(records)
                except StopIteration:
                    rec = None
                if archive.err_count:  # the record before did not end where its Content-Length said
                    yield TruncatedInput(f"WARC record {n + 1} does not start where WARC record {n} ends (a wrong "
                                         "Content-Length)", shown, f"WARC record {n + 1}", hint=_DAMAGE_HINT)
                    return
                if rec is None:
                    return
                n += 1
                if n <= skip or rec.rec_type not in ("response", "resource"):
                    continue
                item = _from_record(rec, shown, f"WARC record {n}")
                while rec.raw_stream.read(1 << 16):  # drain, to see whether the record is whole
                    pass
                if getattr(rec.raw_stream, "limit", 0) > 0:
                    yield TruncatedInput(f"WARC record {n} is cut short ({rec.raw_stream.limit:,} bytes missing)",
                                         shown, f"WARC record {n}", hint=_DAMAGE_HINT)
                    return
                yield item
    except _WARCIO_ERRORS as exc:
        # warcio's own messages say what is wrong; a Python error from inside it (a header it could not
        # parse) says nothing to a reader, so it is named as damage
        detail = (str(exc).strip().splitlines()[0] if str(exc).strip() else "") \
            if isinstance(exc, (ArchiveLoadFailed, OSError, EOFError, zlib.error)) else ""
        where = f"past WARC record {n}" if n else "its first WARC record"
        yield TruncatedInput(f"cannot read {where}" + (f" ({detail[:120]})" if detail else
                                                        " (a damaged header or length)"), shown,
                             f"WARC record {n + 1}", hint=_DAMAGE_HINT)


# What warcio raises on damaged input: its own error, zlib/gzip errors, and on a mangled header
# the errors of parsing it (a missing field gives AttributeError/TypeError, a bad number ValueError).
_WARCIO_ERRORS = (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError, TypeError,
                  IndexError, KeyError)
