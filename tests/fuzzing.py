"""Fuzzing Marsad's readers and parsers with hypothesis, by mutating real inputs.

Seeds come from the invented sample (``marsad/data/sample``) and the ANT windows (``../shared/data/
ant-stories``); a mutation flips, inserts, deletes, duplicates or splices bytes and drops in tokens
that break parsers (NUL, byte-order marks, unclosed tags, lying lengths, JSON escapes, FTS syntax).
Each target is a function of the mutated input that fails (``AssertionError``) when Marsad breaks its
promise: no exception escapes but a ``MarsadError``; each bad input is one line naming the file and
the record; the good inputs around a bad one are read. ``tests/test_fuzz.py`` runs every target a
few hundred times; ``benchmarks/fuzz.py`` runs them 10,000 times each and prints the counts.
"""
from __future__ import annotations

import gzip
import json
import shutil
import tempfile
import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from reliability import REPO, SAMPLE, SHARED

WINDOWS = SHARED / "data" / "ant-stories"

# bytes that break parsers: NUL, byte-order marks, control bytes, markup, JSON and WARC syntax, Arabic
# and bidi marks, numbers past any range
TOKENS = [b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\x1b", b"\x7f", b"\x85", b"\r", b"\n",
          b"\r\n", b"\t", b"<", b">", b"</html>", b"<html>", b"<body>", b"<!--", b"-->", b"<![CDATA[", b"]]>",
          b"<script>", b"<!DOCTYPE html>", b"&", b"&#0;", b"&#x110000;", b"&amp;", b"&nbsp;", b'"', b"'", b"\\",
          b"\\u0000", b"\\ud800", b"{", b"}", b"[", b"]", b":", b",", b"null", b"1e999", b"-0", b"NaN",
          b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"Content-Length: -1\r\n", b"\r\n\r\n",
          b"HTTP/1.1 200 OK\r\n", b"\x1f\x8b\x08", "\u0640".encode(), "\u202e".encode(), "\ufeff".encode(),
          "\u200f".encode(), "٣٢".encode(), "أبريل/نيسان".encode(), "ديسمبر".encode(), b"9" * 40, b"2020-13-45",
          b"T25:61", b"+99:99", b"<item>", b"</item>", b"<entry>", b"<link>", b"</link>", b"<!ENTITY a 'b'>"]


@st.composite
def mutated(draw: Any, seeds: list[bytes]) -> bytes:
    """One of ``seeds`` after 1 to 8 random mutations."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "token", "truncate", "splice"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(pos, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "duplicate":
            n = draw(st.integers(1, 256))
            data[pos:pos] = data[pos:pos + n] * draw(st.integers(1, 4))
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == "truncate":
            del data[pos:]
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            cut = draw(st.integers(0, len(other)))
            data[pos:] = other[cut:]
    return bytes(data)


def mutated_text(seeds: list[str]) -> st.SearchStrategy[str]:
    """Text mutated as UTF-8 bytes and decoded back (broken sequences become U+FFFD)."""
    return mutated([s.encode("utf-8") for s in seeds]).map(lambda b: b.decode("utf-8", "replace"))


# -- seeds -----------------------------------------------------------------------------------------
def window_articles(n: int = 40, window: str = "dev") -> list[dict]:
    with open(WINDOWS / window / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh)]


def text_seeds() -> list[bytes]:
    pages = [p.read_bytes() for p in sorted((SAMPLE / "txt").glob("*.txt"))]
    seeds_dir = SHARED / "seeds"
    pages += [p.read_bytes() for p in sorted(seeds_dir.glob("*.txt"))]
    pages += [f"{a['title']}\n\n{a['source']} – متابعات\n\n{a['text']}\n".encode("cp1256", "replace")
              for a in window_articles(5, "test")]
    return pages


def html_page(a: dict) -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in a["text"].split("\n") if p.strip())
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(a["title"] or "")}</title>'
            f'<meta property="article:published_time" content="{a["date"]}"></head><body><article>'
            f'<h1>{escape(a["title"] or "")}</h1>{paras}</article></body></html>').encode("utf-8")


def html_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((SAMPLE / "html").glob("*.html"))] + [
        html_page(a) for a in window_articles(6, "test-news")]


def jsonl_seeds() -> list[bytes]:
    lines = (SAMPLE / "jsonl" / "wire.jsonl").read_bytes().splitlines()
    return lines + [json.dumps(a, ensure_ascii=False).encode("utf-8") for a in window_articles(10)]


def warc_bytes(articles: list[dict], gzip_records: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = BytesIO()
    writer = WARCWriter(out, gzip=gzip_records)
    for i, a in enumerate(articles):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://www.example.com/news/{i}/{a['id']}", "response",
                                                      payload=BytesIO(html_page(a)), http_headers=http))
    return out.getvalue()


def warc_seeds() -> list[bytes]:
    arts = window_articles(6, "train-a")
    return [warc_bytes(arts[:2]), warc_bytes(arts[2:4], gzip_records=False), warc_bytes(arts[4:6])]


def feed_seeds() -> list[bytes]:
    arts = window_articles(5, "train-b")
    items = "".join(f"<item><title>{escape(a['title'] or '')}</title><link>https://e.example/{a['id']}</link>"
                    f"<pubDate>Sat, 14 Apr 2018 0{n}:00:00 GMT</pubDate><description><![CDATA[{a['text'][:200]}]]>"
                    "</description></item>" for n, a in enumerate(arts))
    rss = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    entries = "".join(f'<entry><title>{escape(a["title"] or "")}</title><id>{a["id"]}</id>'
                      f'<link href="/news/{a["id"]}"/><updated>2018-04-14T10:00:00Z</updated></entry>' for a in arts)
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<id>x</id><updated>2018-04-14T10:00:00Z</updated>{entries}</feed>')
    return [rss.encode("utf-8"), atom.encode("utf-8"), rss.encode("cp1256", "replace").replace(b"utf-8", b"windows-1256")]


def date_seeds() -> list[str]:
    from test_dates_table import CASES  # 220 date strings pinned by the dates table test

    texts = [case[0] for case in CASES]
    texts += [a["date"] for a in window_articles(20)]
    return texts


def query_seeds() -> list[str]:
    words = [w for a in window_articles(10) for w in (a["title"] or "").split()[:4]]
    syntax = ['NEAR(', '"', '""', "*", "-", "OR OR", "AND", "NOT", "^", ":", "(", ")", "{", "}", "'", "\\",
              "title:", "body:", "NEAR(a b, 2)", "&", "|", "!", "<->", ":*", "\x00", "\x1f"]
    return words + syntax + [f'"{w}" {s}' for w, s in zip(words, syntax)]


# -- checks shared by the targets --------------------------------------------------------------------
def one_line_errors(items: list[Any], shown: str) -> None:
    """Every item an ``Article`` read from ``shown`` or an ``InputError`` saying so in one line."""
    from marsad.article import Article
    from marsad.errors import InputError

    for item in items:
        if isinstance(item, InputError):
            text = str(item)
            assert "\n" not in text and "\r" not in text, f"error on more than one line: {text!r}"
            assert text.startswith(shown), f"error does not name the file: {text!r}"
            assert item.message.strip(), "error without a reason"
        else:
            assert isinstance(item, Article), f"reader yielded {type(item).__name__}"
            assert item.path == shown, f"article of {item.path!r} read from {shown!r}"
            assert item.body.strip(), f"an article without text: {item.id} {item.record}"


class Scratch:
    """A folder for the files a target writes (files are overwritten); a temporary one, removed with this
    object, unless one is given."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="marsad-fuzz-"))
            weakref.finalize(self, shutil.rmtree, folder, True)
        self.dir = folder

    def file(self, name: str, data: bytes) -> Path:
        path = self.dir / name
        path.write_bytes(data)
        return path


# -- the targets ----------------------------------------------------------------------------------
def fuzz_text(scratch: Scratch, data: bytes) -> None:
    from marsad.io.readers.text import read_text

    path = scratch.file("page.txt", data)
    items = list(read_text(path, "page.txt"))
    assert len(items) == 1, items
    one_line_errors(items, "page.txt")


def fuzz_html(scratch: Scratch, data: bytes) -> None:
    from marsad.io.readers.html import read_html

    path = scratch.file("page.html", data)
    items = list(read_html(path, "page.html"))
    assert len(items) == 1, items
    one_line_errors(items, "page.html")


GOOD_FIRST = json.dumps({"id": "good-1", "title": "عنوان", "text": "نص الخبر الأول كاملا. " * 5},
                        ensure_ascii=False).encode("utf-8")
GOOD_LAST = json.dumps({"id": "good-2", "title": "عنوان آخر", "text": "نص الخبر الثاني كاملا. " * 5},
                       ensure_ascii=False).encode("utf-8")


def fuzz_jsonl(scratch: Scratch, line: bytes) -> None:
    """A bad line between two good ones: both good ones are read, the bad one is one error."""
    from marsad.article import Article
    from marsad.io.readers.jsonl import read_jsonl

    path = scratch.file("export.jsonl", GOOD_FIRST + b"\n" + line + b"\n" + GOOD_LAST + b"\n")
    items = list(read_jsonl(path, "export.jsonl"))
    one_line_errors(items, "export.jsonl")
    assert isinstance(items[0], Article) and items[0].id == "good-1" and items[0].record == "line 1", \
        f"the good line before was not read: {items[0]}"
    assert isinstance(items[-1], Article) and items[-1].id == "good-2", f"the good line after was not read: {items[-1]}"
    for item in items[1:-1]:
        assert item.record and item.record.startswith("line "), f"no line number: {item}"


def fuzz_jsonl_gz(scratch: Scratch, data: bytes) -> None:
    """A damaged .jsonl.gz: the lines before the damage, then one error."""
    from marsad.io.readers.jsonl import read_jsonl

    path = scratch.file("export.jsonl.gz", data)
    one_line_errors(list(read_jsonl(path, "export.jsonl.gz")), "export.jsonl.gz")


def jsonl_gz_seeds() -> list[bytes]:
    return [gzip.compress(b"\n".join(jsonl_seeds()[:6]) + b"\n")]


def fuzz_warc(scratch: Scratch, data: bytes) -> None:
    from marsad.io.readers.warc import read_warc

    path = scratch.file("crawl.warc.gz", data)
    items = list(read_warc(path, "crawl.warc.gz"))
    one_line_errors(items, "crawl.warc.gz")
    for item in items:
        assert item.record and item.record.startswith("WARC record "), f"no record number: {item}"


GOOD_WARC = None


def fuzz_warc_after_good(scratch: Scratch, data: bytes) -> None:
    """Good records, then a damaged one: the good ones are read."""
    global GOOD_WARC
    from marsad.article import Article
    from marsad.io.readers.warc import read_warc

    if GOOD_WARC is None:
        GOOD_WARC = warc_bytes(window_articles(2, "train-c"))
    path = scratch.file("crawl.warc.gz", GOOD_WARC + data)
    items = list(read_warc(path, "crawl.warc.gz"))
    one_line_errors(items, "crawl.warc.gz")
    assert [type(i) for i in items[:2]] == [Article, Article], [str(i) for i in items[:2]]


def fuzz_feed(scratch: Scratch, data: bytes) -> None:
    from marsad.feeds import FetchError, read_feed

    url = "https://e.example/feed.xml"
    try:
        links, broken = read_feed(data, url, "application/rss+xml")
    except FetchError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(url)
        return
    assert broken >= 0
    for link, fields in links:
        assert link.startswith(("http://", "https://")) and isinstance(fields, dict)


REFERENCE = datetime(2020, 12, 19, 12, 0, tzinfo=timezone.utc)


def fuzz_date(scratch: Scratch, text: str) -> None:
    from marsad.clean.dates import parse_date, resolve_date

    value = resolve_date(text, REFERENCE)
    if value is not None:
        assert value.iso()
    parse_date(text)


def fuzz_date_cli(scratch: Scratch, text: str) -> None:
    from click.testing import CliRunner

    from marsad.cli import main

    # "--" as a user would type it before a text that starts with a dash ("-1", "-->السبت ...")
    result = CliRunner().invoke(main, ["date", "--relative-to", "2020-12-19", "--", text.replace("\x00", "")])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.output.strip().splitlines()) == 1, result.output


class SearchTarget:
    """Search queries against one store: results, or a ``BadParameter`` (an HTTP 400); nothing else."""

    def __init__(self, url: str) -> None:
        import marsad

        self.store = marsad.open_store(url)

    def __call__(self, scratch: Scratch, query: str) -> None:
        from marsad import queries
        from marsad.errors import BadParameter

        try:
            result = queries.search(self.store, query)
        except BadParameter as exc:
            assert "\n" not in str(exc)
            return
        assert result["total"]["articles"] >= 0

    def close(self) -> None:
        self.store.close()


# target name → (seed strategy, function); the search target needs a store and is built by the caller
TARGETS: dict[str, tuple[Callable[[], st.SearchStrategy[Any]], Callable[[Scratch, Any], None]]] = {
    "text pages": (lambda: mutated(text_seeds()), fuzz_text),
    "html pages": (lambda: mutated(html_seeds()), fuzz_html),
    "jsonl lines": (lambda: mutated(jsonl_seeds()), fuzz_jsonl),
    "jsonl.gz files": (lambda: mutated(jsonl_gz_seeds()), fuzz_jsonl_gz),
    "warc files": (lambda: mutated(warc_seeds()), fuzz_warc),
    "warc after good records": (lambda: mutated(warc_seeds()), fuzz_warc_after_good),
    "feeds": (lambda: mutated(feed_seeds()), fuzz_feed),
    "dates": (lambda: mutated_text(date_seeds()), fuzz_date),
    "marsad date": (lambda: mutated_text(date_seeds()), fuzz_date_cli),
    "search queries": (lambda: mutated_text(query_seeds()), None),  # type: ignore[dict-item]
}

__all__ = ["TARGETS", "Scratch", "SearchTarget", "mutated", "REPO"]
