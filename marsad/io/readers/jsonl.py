"""JSONL exports: one article per line (``id, url, source, date, title, text``; other fields kept
in ``extra``). ``.jsonl.gz`` is read streaming."""
from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ...article import Article
from ...clean.dates import parse_date
from ...clean.page import clean_body
from ...errors import BadRecord, EmptyInput, InputError, NoArticle, TooLarge
from ..encoding import decode_bytes
from .common import MAX_LINE_BYTES, stable_id

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


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _holds_lone_surrogate(obj: Any) -> bool:
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def article_from_record(obj: Any, raw: bytes, shown: str, record: str) -> Article:
    """An ``Article`` from one decoded JSON record; raises ``BadRecord`` saying what is missing."""
    if not isinstance(obj, dict):
        raise BadRecord(f"a JSON {type(obj).__name__}, not an object", shown, record,
                        hint="each line must be one JSON object; line skipped")
    if _SURROGATE_ESCAPE.search(raw) and _holds_lone_surrogate(obj):  # the store could not write it: the whole
        raise BadRecord("a lone UTF-16 surrogate (an escape such as \\ud800 without its pair)", shown, record,
                        hint="line skipped; the exporter split a character in two")  # batch would fail
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
    cleaned = clean_body(body)
    if not cleaned.strip():  # only share prompts, marks or furniture: an empty article would be stored
        raise NoArticle("no article text once the page furniture is removed from \"text\"", shown, record,
                        hint="line skipped")
    return Article(id=str(ident) if ident not in (None, "") else stable_id(raw),
                   path=shown, record=record, body=cleaned,
                   url=str(url) if url else None, outlet=str(outlet).strip() if outlet else None,
                   title=str(title).strip() if title else None, published=published,
                   tags=[str(t) for t in tags], extra=obj)


# A .jsonl.gz that unpacks to more than this many times its size is a decompression bomb, not an export (JSON
# text compresses 3 to 10 times); checked once this much has been unpacked, so that reading it stops in seconds
MAX_GZIP_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 64_000_000


class _Bomb(Exception):
    def __init__(self, unpacked: int, packed: int) -> None:
        super().__init__(f"unpacks to more than {MAX_GZIP_RATIO} times its size ({unpacked:,} bytes from "
                         f"{packed:,} so far): a decompression bomb, not an export")


def jsonl_lines(path: Path, shown: str, skip: int = 0) -> Iterator[tuple[int, bytes] | InputError]:
    """(line number, raw bytes) of the non-blank lines after ``skip``; an ``InputError`` if the
    file breaks off (the lines before it are kept), for a line longer than ``MAX_LINE_BYTES``
    (skipped without being held in memory) and for a decompression bomb (the rest is not read)."""
    gz = path.name.lower().endswith(".gz")
    seen = False  # a line with something on it, read now or by the run this one resumes
    n = 0
    try:
        with open(path, "rb") as packed, (gzip.GzipFile(fileobj=packed) if gz else packed) as fh:
            unpacked = 0

            def check(more: int) -> None:
                nonlocal unpacked
                unpacked += more
                if gz and unpacked > RATIO_CHECKED_FROM_BYTES and unpacked > MAX_GZIP_RATIO * packed.tell():
                    raise _Bomb(unpacked, packed.tell())

            while raw := fh.readline(MAX_LINE_BYTES + 1):
                n += 1
                check(len(raw))
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    size = len(raw) + _rest_of_line(fh, check)
                    seen = True
                    if n > skip:
                        yield TooLarge(f"a line of {size:,} bytes, longer than any article "
                                       f"({MAX_LINE_BYTES:,} bytes at most)", shown, f"line {n}",
                                       hint="line skipped without being read, rest of file read")
                elif n <= skip:
                    seen = True
                elif raw.strip():
                    seen = True
                    yield n, raw
    except _Bomb as exc:
        yield TooLarge(str(exc), shown, f"line {n}", hint="rest of the file not read; lines before it are kept")
        return
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield InputError(f"cannot read: {exc}", shown, hint="file truncated or not gzip; "
                         "records read before the damage are kept")
        return
    if not seen:  # an export that came out empty is a mistake to report, as an empty page is
        yield EmptyInput("empty file", shown, hint="no JSON lines in it; nothing to read")


def _rest_of_line(fh: BinaryIO, check: Callable[[int], None]) -> int:
    """Read past the end of the current line a megabyte at a time; returns how many bytes that was."""
    skipped = 0
    while chunk := fh.readline(1 << 20):
        skipped += len(chunk)
        check(len(chunk))
        if chunk.endswith(b"\n"):
            break
    return skipped


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
