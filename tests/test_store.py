"""The store itself on both backends: one schema, all-or-nothing batches, clear errors when it cannot open."""
from __future__ import annotations

import json
import socket
import sys

import pytest
from hypothesis import given, strategies as st
from click.testing import CliRunner

import marsad
from marsad.article import Article
from marsad.cli import main
from marsad.errors import StoreError
from marsad.store import schema
from marsad.store.base import BatchWrite, SourceProgress, StoryState
from pgserver import fetch_rows


def _columns(url: str, table: str) -> list[str]:
    if url.startswith("postgresql://"):
        return [r[0] for r in fetch_rows(url, "SELECT column_name FROM information_schema.columns WHERE "
                                              f"table_name = '{table}' ORDER BY ordinal_position")]
    return [r[1] for r in fetch_rows(url, f"PRAGMA table_info({table})")]


def _batch(article_id: str, outlets: dict) -> BatchWrite:
    article = Article(id=article_id, path="batch.jsonl", record="line 1", body="نص الخبر كاملا", story_id="s-1")
    return BatchWrite(articles=[article], stories=[StoryState("s-1", "عنوان", None, None, 1, outlets)],
                      df_delta={"خبر": 1}, sources=[SourceProgress("k", "batch.jsonl", 1, True)],
                      fingerprints={article_id: "f"})


@pytest.mark.parametrize("table", ["articles", "stories", "sources", "feed_state", "minhashes", "story_merges"])
def test_both_backends_create_every_declared_column_in_order(store_url, table):
    marsad.open_store(store_url).close()
    assert _columns(store_url, table) == schema.columns(table)


def test_a_batch_that_fails_midway_stores_nothing(store_url):
    store = marsad.open_store(store_url)
    try:
        with pytest.raises(TypeError):   # the story's outlets cannot be written, after the article was
            store.write_batch(_batch("a-1", {"x": {1, 2}}))
        assert store.counts()["articles"] == 0 and store.source_progress("k") is None
        assert store.write_batch(_batch("a-1", {"وكالة": 1})) == 1
        assert store.term_df() == (1, {"خبر": 1})
        assert store.write_batch(_batch("a-1", {"وكالة": 1})) == 0   # the id is already stored
        assert store.counts() == {"articles": 1, "copies": 0, "stories": 1, "outlets": 0, "sources": 1}
    finally:
        store.close()


def test_reopening_keeps_what_was_stored_and_adds_no_column(store_url):
    store = marsad.open_store(store_url)
    store.write_batch(_batch("a-1", {}))
    store.close()
    store = marsad.open_store(store_url)
    try:
        assert store.get_article("a-1")["body"] == "نص الخبر كاملا"
        assert _columns(store_url, "articles") == schema.columns("articles")
    finally:
        store.close()


def test_a_database_made_before_a_column_was_added_gets_it_on_open(store_url):
    store = marsad.open_store(store_url)
    store.write_batch(_batch("a-1", {}))
    store.db.execute("ALTER TABLE articles DROP COLUMN similarity")   # as an older Marsad made it
    store.close()
    assert "similarity" not in _columns(store_url, "articles")
    store = marsad.open_store(store_url)
    try:
        assert _columns(store_url, "articles") == schema.columns("articles")
        assert store.get_story("s-1")["articles"][0]["id"] == "a-1"
    finally:
        store.close()


def test_postgresql_drops_nul_characters_it_cannot_store(pg_server):
    store = marsad.open_store(pg_server.new_database())
    try:
        batch = _batch("a-1", {})
        batch.articles[0].body = "نص\x00 الخبر"
        store.write_batch(batch)
        assert store.get_article("a-1")["body"] == "نص الخبر"
    finally:
        store.close()


def test_postgresql_stores_a_giant_page_and_finds_the_words_near_its_start(pg_server):
    from marsad.search import parse_query

    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = ["".join(letters[(i * 7 + k * 3) % len(letters)] for k in range(4 + i % 5)) + letters[i % 28] +
             letters[(i // 28) % 28] + letters[(i // 784) % 28] for i in range(150_000)]  # distinct: > 1 MB
    store = marsad.open_store(pg_server.new_database())
    try:
        batch = _batch("a-1", {})
        batch.articles[0].body = "منشور " + " ".join(words)
        assert store.write_batch(batch) == 1
        assert store.get_article("a-1")["body"] == batch.articles[0].body
        assert store.search(parse_query("منشور"))[0]["articles"] == 1
    finally:
        store.close()


def test_unreachable_postgresql_is_a_clear_error_with_the_password_hidden():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # closed again below: nothing listens there
    url = f"postgresql://marsad:secret@127.0.0.1:{port}/news"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        marsad.open_store(url)
    assert "secret" not in str(caught.value) and "marsad:***@127.0.0.1" in str(caught.value)
    result = CliRunner().invoke(main, ["stories", "--db", url])
    assert result.exit_code != 0 and "cannot connect to PostgreSQL" in result.output
    assert "Traceback" not in result.output and "secret" not in result.output


QUERIES = ["تونس", '"رئيس الحكومة"', "الانتخابات"]   # 4, 5 and 14 hits in ant-stories dev


def test_both_backends_give_the_same_answers_on_real_articles(shared, tmp_path, pg_server):
    """ant-stories dev into each backend: same stories, outlets, filters and search hits (rank may differ)."""
    from marsad.search import parse_query

    source = str(shared / "data" / "ant-stories" / "dev" / "articles.jsonl")
    answers = []
    for url in (str(tmp_path / "dev.db"), pg_server.new_database()):
        store = marsad.open_store(url)
        try:
            marsad.run([source], store)
            stories = store.list_stories()
            newest = stories[0]["last_published"]
            answers.append({
                "articles": [(r["id"], r["story_id"], r["duplicate_of"]) for r in store.iter_articles()],
                "stories": stories, "page": store.list_stories(limit=5, offset=3), "outlets": store.list_outlets(),
                "counts": store.counts(), "df": store.term_df(), "one": store.get_story(stories[-1]["id"], True),
                "wide": store.find_stories(limit=50, min_outlets=2),
                "outlet": store.find_stories(outlet=stories[0]["outlets"][0], without_outlet="nowhere"),
                "search": [(n, sorted(h["id"] for h in hits)) for n, hits in
                           (store.search(parse_query(q), limit=500) for q in QUERIES)],
                "headers": store.story_headers([s["id"] for s in stories[:10]]),
                "texts": store.story_texts(stories[0]["id"]), "newest": newest})
        finally:
            store.close()
    sqlite_answers, postgres_answers = answers
    assert sqlite_answers["search"][0][0]["articles"] > 0
    for key in sqlite_answers:
        assert postgres_answers[key] == sqlite_answers[key], key


def test_postgresql_url_without_psycopg_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)              # as if it were not installed
    monkeypatch.delitem(sys.modules, "marsad.store.postgres", raising=False)
    with pytest.raises(StoreError, match="needs psycopg") as caught:
        marsad.open_store("postgresql://marsad@127.0.0.1/news")
    assert caught.value.hint == "pip install 'psycopg[binary]'"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**80, 2**80) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@given(_json_values)
def test_whatever_the_store_wrote_as_json_reads_back_as_the_standard_library_reads_it(value):
    # the store reads its JSON columns with orjson and falls back to json for what orjson refuses
    # (NaN, Infinity, integers past 64 bits): the two must never disagree
    from marsad.store.rows import loads

    text = json.dumps(value, ensure_ascii=False)
    got, want = loads(text), json.loads(text)
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)


def _open_and_close(url: str, start, answers) -> None:
    start.wait()
    try:
        marsad.open_store(url).close()
        answers.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        answers.put(repr(exc))


def test_processes_opening_a_new_sqlite_file_at_once_all_succeed(tmp_path):
    # two ingests started together on a new file: both added the same column ("duplicate column name"), or
    # both switched it to WAL, which SQLite refuses one of at once ("database is locked", no busy wait)
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    for attempt in range(20):
        url = str(tmp_path / f"new-{attempt}.db")
        start = fork.Barrier(4)
        procs = [fork.Process(target=_open_and_close, args=(url, start, answers)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
    got = [answers.get(timeout=10) for _ in range(80)]
    assert [a for a in got if a != "ok"] == []
    assert _columns(url, "stories") == schema.columns("stories")
