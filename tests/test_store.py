"""The store itself on both backends: one schema, all-or-nothing batches, clear errors when it cannot open."""
from __future__ import annotations

import socket

import pytest
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


def test_postgresql_drops_nul_characters_it_cannot_store(pg_server):
    store = marsad.open_store(pg_server.new_database())
    try:
        batch = _batch("a-1", {})
        batch.articles[0].body = "نص\x00 الخبر"
        store.write_batch(batch)
        assert store.get_article("a-1")["body"] == "نص الخبر"
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
