"""The CLI end to end: `marsad ingest`, `stories`, `show`, on the seeds and on broken input."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main
from marsad.normalize import fold_for_match
from pgserver import article_ids, count_rows
from reliability import assert_check_clean

SEED_FILES = ["000_fa5338184ecd9d0a.txt", "004_d44edca8de48cbaa.txt"]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_seed_articles_share_one_story_with_expected_fields(seeds, expected, store_url):
    db = store_url
    assert run("ingest", str(seeds), "--db", db).exit_code == 0
    result = run("stories", "--json", "--db", db)
    stories = json.loads(result.stdout)
    groups = [sorted(Path(a["path"]).name for a in s["articles"]) for s in stories]
    assert sorted(expected["same_story"][0]) in groups
    assert len(stories) == 1
    story = stories[0]
    assert {"id", "title", "first_published", "last_published", "articles"} <= set(story)
    shown = json.loads(run("show", story["id"], "--json", "--db", db).stdout)
    for article in shown["articles"]:
        want = expected["articles"][Path(article["path"]).name]
        assert {"id", "path", "url", "outlet", "title", "published", "tags", "body"} <= set(article)
        assert article["outlet"] == want["outlet"]
        assert article["title"] == want["title"]
        published = article["published"] and datetime.fromisoformat(article["published"])
        assert published == (want["published"] and datetime.fromisoformat(want["published"]))
        assert article["tags"] == want.get("tags", [])
        assert article["body"].startswith(want["body_starts_with"])
        assert article["body"].endswith(want["body_ends_with"])
        for junk in want["boilerplate_not_in_body"]:
            assert fold_for_match(junk) not in fold_for_match(article["body"])


def test_ingest_twice_adds_nothing_and_says_so(seeds, store_url):
    db = store_url
    run("ingest", str(seeds), "--db", db)
    before = json.loads(run("stories", "--json", "--db", db).stdout)
    again = run("ingest", str(seeds), "--db", db)
    assert again.exit_code == 0
    assert "0 new stored" in again.stderr
    assert "already in the database: 2 files" in again.stderr
    assert json.loads(run("stories", "--json", "--db", db).stdout) == before


def test_a_file_given_twice_in_one_command_is_read_once(seeds, tmp_path):
    db = str(tmp_path / "twice.db")
    copy = tmp_path / "copy.txt"
    shutil.copy(seeds / SEED_FILES[0], copy)
    report = json.loads(run("ingest", str(seeds / SEED_FILES[0]), str(copy), str(seeds / SEED_FILES[0]),
                            "--db", db, "--json").stdout)
    assert report["files"] == 3 and report["files_skipped"] == 2
    assert report["read"] == 1 and report["stored"] == 1 and report["already_stored"] == 0


def test_same_file_under_another_path_is_not_stored_twice(seeds, tmp_path, store_url):
    db = store_url
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    shutil.copy(seeds / SEED_FILES[0], copy / "renamed.txt")
    run("ingest", str(seeds), "--db", db)
    assert "0 new stored" in run("ingest", str(copy), "--db", db).stderr


@pytest.fixture()
def broken_batch(seeds, tmp_path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.jsonl").write_bytes(b"\n\n")  # an export that came out empty
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (folder / "truncated.html").write_text(
        "<html lang='ar'><head><title>خبر</title></head><body><article><h1>خبر</h1><p>بدأ الاجتماع صباح اليوم في",
        encoding="utf-8")
    good = {"id": "j-1", "url": "https://example.org/1", "source": "وكالة مثال", "date": "2025-03-10T10:00:00+03:00",
            "title": "افتتاح معرض الكتاب", "text": "افتتح وزير الثقافة صباح اليوم معرض الكتاب الدولي بمشاركة مئات دور النشر."}
    (folder / "export.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    text = (seeds / SEED_FILES[1]).read_text(encoding="utf-8")
    (folder / "seed-cp1256.txt").write_bytes(text.encode("cp1256"))
    shutil.copy(seeds / SEED_FILES[0], folder / SEED_FILES[0])
    return folder


def test_bad_input_is_reported_by_name_and_the_rest_is_stored(broken_batch, expected, store_url):
    db = store_url
    result = run("ingest", str(broken_batch), "--db", db)
    assert result.exit_code == 1
    err = result.stderr
    assert "Traceback" not in err
    assert err.count(f"{broken_batch / 'empty.txt'}: empty file") == 1  # once, also when stderr is no terminal
    assert f"{broken_batch / 'empty.jsonl'}: empty file" in err
    assert f"{broken_batch / 'binary.txt'}: binary data" in err
    assert f"{broken_batch / 'truncated.html'}: truncated HTML page" in err
    assert f"{broken_batch / 'export.jsonl'}:line 2: not JSON" in err
    assert "failed: " in err
    stories = json.loads(run("stories", "--json", "--db", db).stdout)
    articles = {Path(a["path"]).name: a for s in stories for a in s["articles"]}
    assert set(articles) == {"export.jsonl", "seed-cp1256.txt", SEED_FILES[0]}
    assert articles["export.jsonl"]["id"] == "j-1"
    cp = articles["seed-cp1256.txt"]
    want = expected["articles"][SEED_FILES[1]]
    assert cp["title"] == want["title"] and cp["outlet"] == want["outlet"]
    body = json.loads(run("show", cp["story_id"], "--json", "--db", db).stdout)["articles"]
    body = next(a for a in body if a["id"] == cp["id"])["body"]
    assert body.startswith(want["body_starts_with"]) and body.endswith(want["body_ends_with"])


def test_a_broken_input_is_still_reported_when_ingested_again(broken_batch, tmp_path):
    # the rerun passes over every file read before, but says again which ones could not be read in full
    db = str(tmp_path / "again.db")
    first = run("ingest", str(broken_batch), "--db", db, "--json")
    again = run("ingest", str(broken_batch), "--db", db, "--json")
    assert first.exit_code == again.exit_code == 1
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert two["stored"] == 0 and two["read"] == 0 and two["files_skipped"] == one["files"]
    broken = {"empty.txt", "empty.jsonl", "binary.txt", "truncated.html", "export.jsonl"}
    assert two["failed"] == {"failed before": len(broken)}
    for name in broken:
        assert f"{broken_batch / name}: could not be read in full when it was ingested before" in again.stderr
    assert "export.jsonl: could not be read in full when it was ingested before (1 error)" in again.stderr


def test_show_prints_each_article_labelled(seeds, tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(seeds), "--db", db)
    story = json.loads(run("stories", "--json", "--db", db).stdout)[0]
    text = run("show", story["id"], "--db", db).stdout
    assert text.count("outlet:") == 2 and text.count("title:") == 2
    assert "يافع نيوز" in text and "الخليج الجديد" in text
    assert "التقى قائد الجيش الليبي المشير خليفة حفتر السبت" in text


def test_show_unknown_story_is_a_clear_error(seeds, tmp_path):
    run("ingest", str(seeds), "--db", str(tmp_path / "m.db"))
    result = CliRunner().invoke(main, ["show", "s-nope", "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 1
    assert "no story with id 's-nope'" in result.output and "marsad stories" in result.output


@pytest.mark.parametrize("command", [[], ["ingest"], ["stories"], ["show"], ["demo"], ["eval", "stories"]])
def test_every_command_explains_itself(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 5
    if command and command != ["eval", "stories"] and command != ["demo"]:
        assert "--db" in result.output


def test_cli_runs_as_a_subprocess_and_prints_arabic_as_utf8(seeds, tmp_path):
    db = str(tmp_path / "m.db")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    subprocess.run([sys.executable, "-m", "marsad", "ingest", str(seeds), "--db", db], check=True,
                   capture_output=True, env=env)
    out = subprocess.run([sys.executable, "-m", "marsad", "stories", "--json", "--db", db], check=True,
                         capture_output=True, env=env).stdout.decode("utf-8")
    assert "حفتر" in out


def test_killed_ingest_resumes_without_duplicates_or_holes(shared, store_url):
    source = shared / "data" / "ant-stories" / "dev" / "articles.jsonl"
    ids = [json.loads(line)["id"] for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    cmd = [sys.executable, "-m", "marsad", "ingest", str(source), "--db", store_url, "--batch-size", "7",
           "--no-analyze"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(article_ids(store_url) or []) >= 30:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < len(article_ids(store_url)) < len(ids)
    subprocess.run(cmd, check=True, capture_output=True)
    assert sorted(article_ids(store_url)) == sorted(ids)
    assert count_rows(store_url, "SELECT COUNT(*) FROM articles WHERE story_id IS NULL") == 0
    assert_check_clean(store_url)


def test_ctrl_c_stops_ingest_with_a_report_and_the_next_run_goes_on(shared, tmp_path):
    # Ctrl-C reaches the whole process group: the worker processes (used above 2 MB of input) stay quiet,
    # the main one reports what it stored and exits 130; the next run stores the rest, nothing twice
    folder = shared / "data" / "ant-stories"
    sources = [folder / "dev" / "articles.jsonl", folder / "test-news" / "articles.jsonl"]
    assert sum(p.stat().st_size for p in sources) > 2_000_000  # the parallel path
    ids = {json.loads(line)["id"] for p in sources for line in p.read_text(encoding="utf-8").splitlines()
           if line.strip()}
    db = str(tmp_path / "stopped.db")
    cmd = [sys.executable, "-m", "marsad", "ingest", *map(str, sources), "--db", db, "--batch-size", "20",
           "--workers", "2", "--no-analyze"]
    proc = subprocess.Popen(cmd + ["--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and len(article_ids(db) or []) < 60:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be stopped"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    report = json.loads(out)
    assert report["interrupted"] is True and 0 < report["stored"] < len(ids)
    assert len(article_ids(db)) == report["stored"]
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert sorted(article_ids(db)) == sorted(ids)
    assert_check_clean(db)


def test_worker_processes_store_exactly_what_one_process_stores(shared, tmp_path):
    from dataclasses import replace

    import marsad
    from marsad.settings import IngestSettings

    source = str(shared / "data" / "ant-stories" / "dev" / "articles.jsonl")
    results = []
    for workers in (1, 2):
        store = marsad.open_store(str(tmp_path / f"w{workers}.db"))
        settings = replace(IngestSettings(), workers=workers, parallel_min_bytes=0)
        report = marsad.run([source], store, ingest_settings=settings)
        results.append((report.read, [(r["id"], r["story_id"], r["duplicate_of"]) for r in store.iter_articles()]))
        store.close()
    assert results[0] == results[1] and results[0][0] == 294


def test_two_records_with_one_id_and_different_text_are_reported_not_lost(tmp_path):
    rec = {"id": "x-1", "source": "وكالة", "date": "2025-03-10T10:00:00+03:00", "title": "خبر أول",
           "text": "افتتح وزير الثقافة صباح اليوم معرض الكتاب الدولي بمشاركة مئات دور النشر العربية."}
    other = dict(rec, title="خبر ثان", text="أعلنت وزارة الصحة عن حملة تطعيم جديدة تشمل كل المحافظات هذا الشهر.")
    (tmp_path / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n" +
                                      json.dumps(other, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = run("ingest", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--db", db)
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.jsonl'}:line 2: id 'x-1' is already used by another article with other text" in result.stderr
    assert "1 articles (nothing added for them)" in result.stderr  # line 1 of b.jsonl: the same record again


@pytest.mark.parametrize("command", [["stories"], ["show", "s-1"], ["search", "حفتر"], ["actors"]])
def test_reading_commands_do_not_create_a_database_at_a_mistyped_path(tmp_path, command):
    missing = tmp_path / "typo" / "none.db"
    result = CliRunner().invoke(main, [*command, "--db", str(missing)])
    assert result.exit_code == 1
    assert f"no database at {missing}" in result.output
    assert not missing.exists() and not missing.parent.exists()


def test_a_jsonl_line_with_a_raw_control_character_says_so_once():
    from marsad.io.readers.jsonl import parse_line

    error = parse_line(3, '{"id": "a", "title": "x\ty"}'.encode(), "export.jsonl")
    assert str(error) == ("export.jsonl:line 3: not JSON (Invalid control character at column 24); "
                          "line skipped, rest of file read")


def test_a_date_that_cannot_be_read_is_counted_and_kept_as_written(tmp_path):
    page = tmp_path / "dates.jsonl"
    rows = [{"id": "d-1", "title": "خبر أول", "date": "not a date", "text": "نص الخبر الأول كاملا هنا."},
            {"id": "d-2", "title": "خبر ثان", "date": "2020-12-19", "text": "نص الخبر الثاني كاملا هنا."}]
    page.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "d.db")
    result = run("ingest", str(page), "--db", db, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["dates_unread"] == 1
    text = run("ingest", str(page), "--db", str(tmp_path / "d2.db")).stderr
    assert "1 articles with a date that could not be read, stored undated" in text
    import marsad
    store = marsad.open_store(db)
    try:
        article = store.get_article("d-1")
        assert article["published"] is None and article["extra"]["unparsed_date"] == "not a date"
    finally:
        store.close()


def test_cli_json_output_reads_as_json_dumps_wrote_it_numbers_from_numpy_included(capsys):
    # --json output is written by orjson (10x json.dumps with indent on the whole corpus's actors); what
    # json.dumps took as numbers (numpy's float64 is a float) must still come out, the same
    import enum
    import json

    import numpy as np

    from marsad.cli import _print_json

    class Level(enum.IntEnum):
        HIGH = 2

    value = {"score": np.float64(0.125), "n": np.int64(7), "level": Level.HIGH, "ok": True,
             "names": ["خليفة حفتر", None], 3: (1.5, "x")}
    _print_json(value)
    out = capsys.readouterr().out
    assert "خليفة حفتر" in out  # UTF-8 as written, not \u escapes
    assert json.loads(out) == {"score": 0.125, "n": 7, "level": 2, "ok": True, "names": ["خليفة حفتر", None],
                               "3": [1.5, "x"]}
    with pytest.raises(TypeError):
        _print_json({"a": object()})


def test_a_jsonl_record_with_a_lone_surrogate_is_one_error_and_the_rest_is_stored(tmp_path):
    # "\ud800" without its pair decodes in Python but no store can write it: it stopped the whole ingest
    good = [{"id": f"g{i}", "title": f"خبر {i}", "text": f"نص الخبر رقم {i} عن اجتماع في بنغازي يوم السبت."}
            for i in range(3)]
    lines = [json.dumps(good[0], ensure_ascii=False), '{"id": "bad", "text": "نص \\ud800 مكسور"}',
             json.dumps(good[1], ensure_ascii=False),
             '{"id": "pair", "text": "نص فيه رمز \\ud83d\\ude00 سليم"}', json.dumps(good[2], ensure_ascii=False)]
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = CliRunner().invoke(main, ["ingest", str(export), "--db", db, "--no-analyze"])
    assert result.exit_code == 1, result.output
    assert f"{export}:line 2: a lone UTF-16 surrogate" in result.output
    store = marsad.open_store(db)
    try:
        assert sorted(r["id"] for r in store.iter_articles()) == ["g0", "g1", "g2", "pair"]
    finally:
        store.close()
