"""WARC / WARC.gz input: article pages stored, other pages counted as skipped, damage reported."""
from __future__ import annotations

import json
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.cli import main
from marsad.errors import NotAnArticle, TruncatedInput
from marsad.io.readers.warc import listing_reason, read_warc
from marsad.normalize import fold_for_match
from pgserver import article_ids


def ant_articles(shared: Path, n: int) -> list[dict]:
    with open(shared / "data" / "ant-stories" / "dev" / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh)]


def page(a: dict, charset: str = "utf-8", meta_charset: bool = True, date: str | None = None) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in a["text"].split("\n") if p.strip())
    head = f'<meta charset="{charset}">' if meta_charset else ""
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    return (f"<html><head>{head}<title>{a['title']}</title></head><body><article><h1>{a['title']}</h1>"
            f"{paras}</article></body></html>").encode(charset)


def write_warc(path: Path, records: list[tuple[str, str, list[tuple[str, str]], bytes]],
               gzip: bool = True) -> None:
    """records: (url, 'STATUS Reason', headers, payload) written as WARC response records."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for url, status, headers, payload in records:
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(payload), http_headers=http,
                warc_headers_dict={"WARC-Date": "2021-03-04T05:06:07Z"}))


HTML = [("Content-Type", "text/html; charset=utf-8")]


@pytest.fixture()
def crawl(shared: Path, tmp_path: Path) -> tuple[Path, list[dict]]:
    arts = ant_articles(shared, 4)
    records = [
        ("https://www.alyaum.com/articles/6245101/x", "200 OK", HTML, page(arts[0], date="2020-01-02T10:00:00")),
        # Windows-1256 declared only by the HTTP header
        ("https://aawsat.com/home/article/2043/y", "200 OK", [("Content-Type", "text/html; charset=windows-1256")],
         page(arts[1], "cp1256", meta_charset=False, date="2020-01-03T11:00:00")),
        # Windows-1256 declared only by <meta charset>, no date in the page: the crawl date stands in
        ("https://www.hespress.com/politique/55.html", "200 OK", [("Content-Type", "text/html")],
         page(arts[2], "cp1256")),
        ("https://www.alyaum.com/", "200 OK", HTML, page(arts[3])),
        ("https://www.alyaum.com/tag/sport", "200 OK", HTML, page(arts[3])),
        ("https://www.alyaum.com/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n" * 40),
        ("https://www.alyaum.com/articles/404", "404 Not Found", HTML, b"<html><body>not found</body></html>"),
        ("https://www.alyaum.com/old", "301 Moved Permanently", [("Location", "https://www.alyaum.com/new")], b""),
        ("https://www.alyaum.com/articles/777/empty", "200 OK", HTML,
         b"<html><body><div>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7</div></body></html>"),
    ]
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, records)
    return path, arts


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_warc_article_pages_are_stored_and_other_pages_counted_as_skipped(crawl, tmp_path):
    path, arts = crawl
    db = str(tmp_path / "m.db")
    result = run("ingest", str(path), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["read"] == 3 and report["stored"] == 3
    assert report["failed"] == {}
    assert report["skipped"] == {"not an article": 6}
    stories = json.loads(run("stories", "--json", "--db", db).stdout)
    stored = {a["url"]: a for s in stories for a in s["articles"]}
    assert set(stored) == {"https://www.alyaum.com/articles/6245101/x", "https://aawsat.com/home/article/2043/y",
                           "https://www.hespress.com/politique/55.html"}
    assert {a["record"] for a in stored.values()} == {"WARC record 1", "WARC record 2", "WARC record 3"}
    assert stored["https://aawsat.com/home/article/2043/y"]["outlet"] == "aawsat.com"


def test_warc_skipped_pages_are_summarised_without_failing(crawl, tmp_path):
    path, _ = crawl
    result = run("ingest", str(path), "--db", str(tmp_path / "m.db"))
    assert result.exit_code == 0
    assert "skipped: 6 not an article" in result.stderr
    assert "failed" not in result.stderr


def test_warc_windows_1256_pages_are_decoded(crawl):
    path, arts = crawl
    got = {a.url: a for a in read_warc(path, "crawl.warc.gz") if not isinstance(a, Exception)}
    for url, src in (("https://aawsat.com/home/article/2043/y", arts[1]),
                     ("https://www.hespress.com/politique/55.html", arts[2])):
        a = got[url]
        assert a.title == src["title"]
        first_words = fold_for_match(src["text"].split()[0:6] and " ".join(src["text"].split()[:6]))
        assert fold_for_match(a.body).startswith(first_words)


def test_warc_page_date_preferred_and_crawl_date_kept(crawl):
    path, _ = crawl
    got = {a.url: a for a in read_warc(path, "crawl.warc.gz") if not isinstance(a, Exception)}
    dated = got["https://www.alyaum.com/articles/6245101/x"]
    assert dated.published == datetime(2020, 1, 2, 10, 0)
    assert dated.extra["crawled"].startswith("2021-03-04T05:06:07")
    assert "date_source" not in dated.extra
    undated = got["https://www.hespress.com/politique/55.html"]
    assert undated.published is not None and undated.published.date().isoformat() == "2021-03-04"
    assert undated.extra["date_source"] == "crawl"


def test_warc_skip_reasons_name_the_page(crawl):
    path, _ = crawl
    skipped = [e for e in read_warc(path, "crawl.warc.gz") if isinstance(e, NotAnArticle)]
    texts = [str(e) for e in skipped]
    assert texts[0] == "crawl.warc.gz:WARC record 4: a home page; https://www.alyaum.com/; skipped"
    assert texts[1] == ("crawl.warc.gz:WARC record 5: a listing page (/tag/ in the URL); "
                        "https://www.alyaum.com/tag/sport; skipped")
    assert texts[2] == "crawl.warc.gz:WARC record 6: not an HTML page (image/png); https://www.alyaum.com/logo.png; skipped"
    assert texts[3] == "crawl.warc.gz:WARC record 7: HTTP 404; https://www.alyaum.com/articles/404; skipped"
    assert texts[4] == ("crawl.warc.gz:WARC record 8: HTTP 301 redirect to https://www.alyaum.com/new; "
                        "https://www.alyaum.com/old; skipped")
    assert texts[5].startswith("crawl.warc.gz:WARC record 9: no article text found in the page")


def test_warc_resumes_after_the_records_already_stored(crawl):
    path, _ = crawl
    items = list(read_warc(path, "crawl.warc.gz", skip=2))
    assert [i.record for i in items] == [f"WARC record {n}" for n in range(3, 10)]


def test_warc_ingested_twice_adds_nothing(crawl, tmp_path):
    path, _ = crawl
    db = str(tmp_path / "m.db")
    run("ingest", str(path), "--db", db)
    again = json.loads(run("ingest", str(path), "--db", db, "--json").stdout)
    assert again["stored"] == 0 and again["files_skipped"] == 1


def test_truncated_warc_gz_reports_the_file_and_keeps_earlier_records(crawl, tmp_path):
    path, _ = crawl
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    # keep the first three records whole and half of the fourth
    offsets = []
    with open(path, "rb") as fh:
        from warcio.archiveiterator import ArchiveIterator
        it = ArchiveIterator(fh)
        for _ in it:
            offsets.append(it.get_record_offset())
    cut.write_bytes(data[:offsets[3] + (offsets[4] - offsets[3]) // 2])
    db = str(tmp_path / "m.db")
    result = run("ingest", str(cut), "--db", db, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stored"] == 3
    assert report["failed"] == {"truncated": 1}
    assert report["errors"][0].startswith(f"{cut}:WARC record 4: WARC record 4 is cut short (")
    assert report["errors"][0].endswith("file truncated or damaged; records read before the damage are kept")


def test_uncompressed_warc_is_read(shared, tmp_path):
    a = ant_articles(shared, 1)[0]
    path = tmp_path / "one.warc"
    write_warc(path, [("https://www.alyaum.com/articles/1/x", "200 OK", HTML, page(a))], gzip=False)
    items = list(read_warc(path, "one.warc"))
    assert len(items) == 1 and items[0].title == a["title"]


def test_random_bytes_in_a_warc_give_an_input_error(tmp_path):
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage" * 50)
    items = list(read_warc(path, "junk.warc.gz"))
    assert len(items) == 1 and isinstance(items[0], TruncatedInput)


@pytest.mark.parametrize("url, reason", [
    ("https://www.alyaum.com/", "a home page"),
    ("https://www.alyaum.com/index.html", "a home page"),
    ("https://www.alyaum.com/sports/", "a section page (/sports)"),
    ("https://www.alyaum.com/category/politics/page/2", "a listing page (/category/ in the URL)"),
    ("https://www.alyaum.com/articles/6245101/x", None),
    ("https://www.hespress.com/politique/55.html", None),
    ("https://aawsat.com/home/article/2043", None),
    ("https://www.alyaum.com/tag/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7", "a listing page (/tag/ in the URL)"),
    # a listing word in an article's own URL: the id, the date or the long slug tells
    ("https://www.example.com/archive/2020/12/19/story", None),
    ("https://www.example.com/topic/news/6245101", None),
    ("https://www.example.com/page/%D8%AA%D8%B1%D9%85%D8%A8-%D8%B7%D9%84%D8%A8-%D8%B6%D8%B1%D8%A8%D8%A9-"
     "%D8%B4%D8%B1%D8%B3%D8%A9-%D8%A8%D8%B3%D9%88%D8%B1%D9%8A%D8%A7", None),
])
def test_listing_urls_are_told_from_article_urls(url, reason):
    assert listing_reason(url) == reason


def test_killed_warc_ingest_resumes_without_duplicates_or_holes(shared, tmp_path, store_url):
    import sqlite3
    import signal
    import subprocess
    import sys
    import time

    arts = list({(a["title"], a["text"]): a for a in ant_articles(shared, 110)}.values())  # distinct pages
    records = []
    for n, a in enumerate(arts):
        records.append((f"https://www.alyaum.com/articles/{n}/x", "200 OK", HTML, page(a)))
        if n % 10 == 0:  # skipped pages between the articles: the resume position must count them too
            records.append((f"https://www.alyaum.com/tag/{n}", "200 OK", HTML, page(a)))
    path = tmp_path / "big.warc.gz"
    write_warc(path, records)
    reference = tmp_path / "ref.db"
    assert run("ingest", str(path), "--db", str(reference), "--no-analyze").exit_code == 0
    with sqlite3.connect(reference) as con:
        want = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
    cmd = [sys.executable, "-m", "marsad", "ingest", str(path), "--db", store_url, "--batch-size", "5", "--no-analyze"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(article_ids(store_url) or []) >= 20:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < len(article_ids(store_url)) < len(want)
    resumed = subprocess.run(cmd + ["--json"], check=True, capture_output=True, text=True)
    assert json.loads(resumed.stdout)["already_stored"] == 0  # nothing read twice
    assert sorted(article_ids(store_url)) == want


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([b"", b"\x1f\x8b\x08\x00", b"WARC/1.0\r\n", b"WARC/1.1\r\nWARC-Type: response\r\n"]),
       data=st.binary(max_size=400))
def test_any_bytes_give_articles_or_input_errors_never_a_crash(tmp_path, head, data):
    from marsad.errors import InputError

    path = tmp_path / "fuzz.warc.gz"
    path.write_bytes(head + data)
    for item in read_warc(path, "fuzz.warc.gz"):
        assert isinstance(item, InputError) or item.body


def test_a_warc_whose_first_header_lies_about_its_length_is_named_as_damage(tmp_path):
    # a response record announcing 99,999 bytes and holding a few: no Python internals in the message
    path = tmp_path / "lying.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n"
                     b"HTTP/1.1 200 OK\r\n\r\n<html><body>short</body></html>")
    items = list(read_warc(path, "lying.warc"))
    assert len(items) == 1 and isinstance(items[0], TruncatedInput)
    message = str(items[0])
    assert message.startswith("lying.warc:WARC record 1: ")
    assert "NoneType" not in message and "attribute" not in message
