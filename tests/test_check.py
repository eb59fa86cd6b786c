"""`marsad check`: a database's invariants, verified on both backends; each broken one named in full."""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main
from reliability import SAMPLE_DIRS, assert_check_clean, execute, marsad_check


@pytest.fixture()
def sample_url(store_url):
    store = marsad.open_store(store_url)
    try:
        report = marsad.run([str(d) for d in SAMPLE_DIRS], store)
    finally:
        store.close()
    assert report.stored == 54
    return store_url


def test_a_new_database_passes_every_check(sample_url):
    result = CliRunner().invoke(main, ["check", "--db", sample_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 50 articles, 4 copies, 14 stories, 48 files read; "
                                  "11 kinds of check passed\n")
    assert json.loads(CliRunner().invoke(main, ["check", "--db", sample_url, "--json"]).stdout)["ok"] is True


def test_each_broken_invariant_is_named_with_examples(sample_url):
    pg = sample_url.startswith("postgresql://")
    wire = str(SAMPLE_DIRS[1] / "wire.jsonl")
    for sql in [
        "UPDATE articles SET duplicate_of = 'a-nowhere' WHERE id = 'a-4552247c1c45f03d'",
        "DELETE FROM stories WHERE id = 's-b99b5c6b1f14'",
        "UPDATE stories SET n_articles = n_articles + 1 WHERE id = 's-26f1cf2e1d87'",
        "UPDATE meta SET value = '52' WHERE key = 'n_docs'",
        "INSERT INTO articles_fts (seq, doc) VALUES (999999, to_tsvector('simple', 'x'))" if pg else
        "INSERT INTO articles_fts (rowid, title, body) VALUES (999999, 'x', 'y')",
        f"UPDATE sources SET position = 1, done = 0 WHERE path = '{wire}'",
    ]:
        execute(sample_url, sql)
    result = CliRunner().invoke(main, ["check", "--db", sample_url])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "problem: articles: 2 articles whose story does not exist (e.g. a-5ee2f238816200fe → s-b99b5c6b1f14, "
        "a-220a6e47711190b8 → s-b99b5c6b1f14)",
        "problem: copies: 1 copies whose original does not exist (e.g. a-4552247c1c45f03d → a-nowhere)",
        "problem: stories: 1 stories whose article count differs from the articles they hold "
        "(e.g. s-26f1cf2e1d87 says 4, holds 3)",
        "problem: search index: 1 full-text rows of no stored article (e.g. row 999999)",
        "problem: term counts: 2 documents counted for idf too many or too few (52 counted, 50 originals stored)",
        f"problem: sources: 1 sources with records stored past the position a rerun resumes at (e.g. {wire} "
        "resumes at 1, holds record 7)",
        f"note: {wire}: read up to record 1, not to its end (a run stopped); the same ingest command goes on "
        "from there",
    ]
    assert result.stdout.startswith("6 problems in ")


def test_a_damaged_sqlite_file_is_reported_by_integrity_check(tmp_path):
    db = tmp_path / "damaged.db"
    store = marsad.open_store(str(db))
    marsad.run([str(d) for d in SAMPLE_DIRS], store)
    store.close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_story'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(db, "r+b") as fh:  # flip bits in the story ids the index keeps at the end of its page
        fh.seek(root * page - 60)
        cells = fh.read(20)
        fh.seek(root * page - 60)
        fh.write(bytes(b ^ 1 if chr(b) in "0123456789abcdef" else b for b in cells))
    result = CliRunner().invoke(main, ["check", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.startswith("problem: sqlite: ")
    assert "missing from index articles_story" in result.stderr


def test_check_runs_as_a_subprocess_and_exits_1_on_a_problem(tmp_path):
    db = tmp_path / "m.db"
    store = marsad.open_store(str(db))
    marsad.run([str(SAMPLE_DIRS[1])], store)
    store.close()
    assert marsad_check(str(db)).returncode == 0
    execute(str(db), "UPDATE articles SET story_id = NULL WHERE id = 'wire-0001'")
    failed = marsad_check(str(db))
    assert failed.returncode == 1
    assert "problem: articles: 1 articles in no story (e.g. wire-0001)" in failed.stderr


def test_a_copy_of_an_original_weeks_older_is_counted_in_its_story(shared, tmp_path):
    # found by `marsad check` on all of ant-full: a copy filed 15 days after its original joined the original's
    # story, which had left memory, and the story's outlet counts missed it
    import json as _json

    first, other = [_json.loads(line) for line in
                    (shared / "data" / "ant-stories" / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:2]]
    first.update(date="2018-04-01T10:00:00+00:00", source="Alarabia")
    other.update(date="2018-04-20T10:00:00+00:00")
    copy = dict(first, id="copy-weeks-later", source="SkyNews", date="2018-04-21T10:00:00+00:00")
    runs = [[first, other], [copy]]
    db = str(tmp_path / "m.db")
    for n, rows in enumerate(runs):
        path = tmp_path / f"run{n}.jsonl"
        path.write_text("".join(_json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        store = marsad.open_store(db)
        try:
            marsad.run([str(path)], store)
        finally:
            store.close()
    store = marsad.open_store(db)
    try:
        story = store.get_story(store.story_of(first["id"]))
    finally:
        store.close()
    assert [c["id"] for a in story["articles"] for c in a["copies"]] == ["copy-weeks-later"]
    assert story["outlets"] == ["Alarabia", "SkyNews"]
    assert_check_clean(db)
