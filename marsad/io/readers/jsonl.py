"""JSONL exports: one article per line (``id, url, source, date, title, text``; other fields kept
in ``extra``). ``.jsonl.gz`` is read streaming."""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...article import Article
from ...clean.dates import parse_date
from ...clean.page import clean_body
from ...errors import BadRecord, EmptyInput, InputError
from ..encoding import decode_bytes
from .common import stable_id

FIELD_ALIASES = {
    "id": ("id", "doc_id", "docno", "article_id"),
    "url": ("url", "link"),
    "outlet": ("source", "outlet", "site", "sitename", "publisher"),
    "published": ("date", "published", "pubdate", "time", "datetime"),
    "title": ("title", "headline"),
    "body": ("text", "body", "content"),
    "tags": ("tags", "keywords"),
}


def _take(obj: dict[str, Any], field: str) -> Any:
    for key in FIELD_ALIASES[field]:
        if key in obj:
            return obj.pop(key)
    return None


def article_from_record(obj: Any, raw: bytes, shown: str, record: str) -> Article:
    """An ``Article`` from one decoded JSON record; raises ``BadRecord`` saying what is missing."""
    if not isinstance(obj, dict):
        raise BadRecord(f"a JSON {type(obj).__name__}, not an object", shown, record,
                        hint="each line must be one JSON object; line skipped")
    obj = dict(obj)
    body = _take(obj, "body")
    if not isinstance(body, str) or not body.strip():
        raise BadRecord("no \"text\" field with article text", shown, record, hint="line skipped")
    ident = _take(obj, "id")
    raw_date = _take(obj, "published")
    published = parse_date(str(raw_date)) if raw_date else None
    tags = _take(obj, "tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.replace("،", ",").split(",") if t.strip()]
    title = _take(obj, "title")
    outlet = _take(obj, "outlet")
    url = _take(obj, "url")
    if raw_date and published is None:
        obj["unparsed_date"] = raw_date
    return Article(id=str(ident) if ident not in (None, "") else stable_id(raw),
                   path=shown, record=record, body=clean_body(body),
                   url=str(url) if url else None, outlet=str(outlet).strip() if outlet else None,
                   title=str(title).strip() if title else None, published=published,
                   tags=[str(t) for t in tags], extra=obj)


def jsonl_lines(path: Path, shown: str, skip: int = 0) -> Iterator[tuple[int, bytes] | InputError]:
    """(line number, raw bytes) of the non-blank lines after ``skip``; an ``InputError`` if the
    file breaks off (the lines before it are kept)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    seen = False  # a line with something on it, read now or by the run this one resumes
    try:
        with opener(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                if n <= skip:
                    seen = True
                elif raw.strip():
                    seen = True
                    yield n, raw
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(f"cannot read: {exc}", shown, hint="file truncated or not gzip; "
                         "records read before the damage are kept")
        return
    if not seen:  # an export that came out empty is a mistake to report, as an empty page is
        yield EmptyInput("empty file", shown, hint="no JSON lines in it; nothing to read")


def parse_line(n: int, raw: bytes, shown: str) -> Article | InputError:
    """The article of one JSONL line, or the error saying why it is none."""
    record = f"line {n}"
    try:
        obj = json.loads(decode_bytes(raw, shown))
    except json.JSONDecodeError as exc:
        what = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg  # "Invalid control character at"
        return BadRecord(f"not JSON ({what} at column {exc.colno})", shown, record,
                         hint="line skipped, rest of file read")
    except InputError as exc:
        exc.record = record
        return exc
    try:
        return article_from_record(obj, raw, shown, record)
    except InputError as exc:
        return exc


def read_jsonl(path: Path, shown: str, skip: int = 0) -> Iterator[Article | InputError]:
    for line in jsonl_lines(path, shown, skip):
        yield line if isinstance(line, InputError) else parse_line(line[0], line[1], shown)
