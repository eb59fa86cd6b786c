"""Hostile files: each is one clear error, memory stays bounded (under 1 GB), and the good records around it are
stored. (Hostile servers and feeds: test_hostile_network.py. The full sizes: benchmarks/hostile.py.)"""
from __future__ import annotations

import gzip
import json
import re

import pytest

import marsad
from reliability import SAMPLE, assert_check_clean, run_measured

GIB = 1024
GOOD = [json.dumps({"id": f"good-{n}", "title": "عنوان الخبر", "text": f"نص الخبر رقم {n} كاملا، وفيه جمل. " * 8},
                   ensure_ascii=False).encode("utf-8") + b"\n" for n in (1, 2)]


def stored_ids(db: str) -> set[str]:
    store = marsad.open_store(db)
    try:
        return {a["id"] for a in store.iter_articles()}
    finally:
        store.close()


def gzip_bomb(unpacked_gb: int) -> bytes:
    """A gzip file that unpacks to ``unpacked_gb`` GB of zeros (one member, repeated; gzip reads them as one)."""
    member = gzip.compress(b"0" * 16_000_000, compresslevel=9)
    return member * (unpacked_gb * 1000 // 16)


def test_a_gzip_bomb_is_stopped_within_memory_and_what_came_before_it_is_stored(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(GOOD[0]) + gzip_bomb(10) + gzip.compress(GOOD[1]))  # 10 GB unpacked
    db = str(tmp_path / "m.db")
    code, err, peak_mb = run_measured(["ingest", str(path), "--db", db, "--workers", "1"])
    assert code == 1
    assert re.search(rf"error: {re.escape(str(path))}:line 2: unpacks to more than 100 times its size \([\d,]+ "
                     r"bytes from [\d,]+ so far\): a decompression bomb, not an export; rest of the file not read; "
                     r"lines before it are kept\n", err), err
    assert "Traceback" not in err
    assert peak_mb < GIB
    assert stored_ids(db) == {"good-1"}
    assert_check_clean(db)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_100_mb_line_is_skipped_unread_and_the_lines_around_it_are_stored(tmp_path, workers):
    path = tmp_path / "export.jsonl"
    with open(path, "wb") as fh:
        fh.write(GOOD[0])
        fh.write(b'{"id": "huge", "text": "' + b"x" * 100_000_000 + b'"}\n')
        fh.write(GOOD[1])
    db = str(tmp_path / "m.db")
    code, err, peak_mb = run_measured(["ingest", str(path), "--db", db, "--workers", workers])
    assert code == 1
    assert (f"error: {path}:line 2: a line of 100,000,027 bytes, longer than any article (16,000,000 bytes at most); "
            "line skipped without being read, rest of file read\n") in err
    assert peak_mb < GIB
    assert stored_ids(db) == {"good-1", "good-2"}
    assert_check_clean(db)


def test_a_50_mb_page_and_a_page_nested_100000_deep_cost_one_error_each(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    good = sorted((SAMPLE / "html").glob("*.html"))[0]
    (folder / "good.html").write_bytes(good.read_bytes())
    with open(folder / "huge.html", "wb") as fh:
        fh.write(b"<html><body><article>" + "<p>نص طويل جدا</p>".encode() * 2_000_000 + b"</article></body></html>")
    deep = 100_000
    (folder / "deep.html").write_bytes(b"<html><body>" + b"<div>" * deep + "<p>نص الخبر العميق</p>".encode() * 20
                                       + b"</div>" * deep + b"</body></html>")
    db = str(tmp_path / "m.db")
    code, err, peak_mb = run_measured(["ingest", str(folder), "--db", db])
    assert code == 1
    size = (folder / "huge.html").stat().st_size
    assert (f"error: {folder / 'huge.html'}: {size:,} bytes, larger than any news page (5,000,000 bytes at most); "
            "file skipped without being read\n") in err
    assert f"error: {folder / 'deep.html'}: no article text found in the page" in err
    assert "Traceback" not in err
    assert peak_mb < GIB
    assert {a["path"] for a in _articles(db)} == {str(folder / "good.html")}
    assert_check_clean(db)


def _articles(db: str) -> list[dict]:
    store = marsad.open_store(db)
    try:
        return store.iter_articles()
    finally:
        store.close()


def _warc(articles: list[dict]) -> bytes:
    from fuzzing import warc_bytes

    return warc_bytes(articles, gzip_records=False)


MISPLACED = "WARC record 3: WARC record 3 does not start where WARC record 2 ends (a wrong Content-Length)"


@pytest.mark.parametrize("lie, expected", [
    (lambda n: n + 500, [MISPLACED]),
    (lambda n: 10_000_000_000, ["WARC record 2: WARC record 2 is cut short (9,999,99"]),
    (lambda n: n - 700, ["WARC record 2: truncated HTML page", MISPLACED]),
], ids=["longer", "10GB", "shorter"])
def test_a_warc_record_whose_length_lies_is_one_error_and_the_records_before_are_stored(tmp_path, lie, expected):
    from fuzzing import window_articles

    arts = window_articles(3, "test")
    data = _warc(arts)
    second = data.index(b"WARC/1.0", 10)
    m = re.compile(rb"Content-Length: (\d+)\r\n").search(data, second)
    path = tmp_path / "lies.warc"
    path.write_bytes(data[:m.start(1)] + str(lie(int(m.group(1)))).encode() + data[m.end(1):])
    db = str(tmp_path / "m.db")
    code, err, peak_mb = run_measured(["ingest", str(path), "--db", db])
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), err
    for line, start in zip(errors, expected):
        assert line.startswith(f"error: {path}:{start}"), line
    assert "WARNING" not in err and "Traceback" not in err
    assert len(_articles(db)) >= 1
    assert peak_mb < GIB
    assert_check_clean(db)
