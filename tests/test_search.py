"""Arabic full-text search: keys, query parsing, the FTS5 index, highlighting in the original text."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import marsad
from marsad import queries
from marsad.errors import BadParameter
from marsad.search import BadQuery, index_text, key_spans, match_spans, parse_query, search_key, snippet
from marsad.normalize import fold_for_match

from webdb import HOSTILE, build_web_db, seed_story_id


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_db(request, tmp_path_factory, seeds) -> Path | str:
    """The web database on each backend: the search tests run on SQLite's FTS5 and PostgreSQL's tsvector."""
    folder = tmp_path_factory.mktemp("search")
    if request.param == "sqlite":
        return build_web_db(folder / "web.db", seeds)
    return build_web_db(request.getfixturevalue("pg_server").new_database(), seeds, folder)


@pytest.fixture()
def db(web_db):
    s = marsad.open_store(str(web_db))
    yield s
    s.close()


@pytest.mark.parametrize("written, typed", [
    ("الإماراتية", "الاماراتيه"),
    ("والإماراتيّة", "الإماراتية"),
    ("للإماراتية", "اماراتيه"),
    ("وحفتر", "حفتر"),
    ("الوزير", "وزير"),
    ("ووزير", "الوزير"),
])
def test_search_key_ignores_spelling_and_proclitics(written, typed):
    assert set(search_key(w) for w in index_text(written).split()) & set(parse_query(typed).terms[0].alternatives)


def test_attached_preposition_matches_through_query_expansion():
    assert "لحفتر" in parse_query("حفتر").terms[0].alternatives
    assert index_text("لحفتر") == "لحفتر"


def test_short_words_keep_their_article():
    assert search_key(fold_for_match("الله")) == "الله"   # not "له": that would match a common preposition


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآؤئء ًٌٍَُِّْـ والبلك", max_size=40))
def test_key_spans_point_into_the_original_text(text):
    for key, start, end in key_spans(text):
        assert 0 <= start < end <= len(text)
        assert search_key(fold_for_match(text[start:end]).strip()) == key or key in index_text(text[start:end])


@given(st.text(max_size=60))
def test_parse_query_gives_terms_or_a_bad_query(text):
    try:
        q = parse_query(text)
    except BadQuery:
        return
    assert q.terms and all(t.keys for t in q.terms)


@pytest.mark.parametrize("text, message", [
    ("", "the search query is empty"),
    ("  !!! ؟؟ ", "has no words to search for"),
    ("ب" * 501, "the limit is 500"),
])
def test_unusable_queries_are_refused_with_a_reason(text, message):
    with pytest.raises(BadQuery, match=message):
        parse_query(text)


def test_phrase_is_one_term_in_order():
    q = parse_query('"عباس كامل" حفتر')
    assert [t.keys for t in q.terms] == [["عباس", "كامل"], ["حفتر"]]
    assert q.terms[0].is_phrase and not q.terms[1].is_phrase


def test_search_finds_both_seed_articles_grouped_in_one_story(db, web_db, expected):
    result = queries.search(db, "حفتر")
    story = next(g for g in result["stories"] if g["id"] == seed_story_id(web_db))
    outlets = {h["outlet"] for h in story["hits"]}
    assert outlets == {a["outlet"] for a in expected["articles"].values()}


def test_unnormalised_query_finds_the_written_form_and_marks_it(db):
    result = queries.search(db, "الاماراتيه")
    hits = [h for g in result["stories"] for h in g["hits"]]
    assert [h["id"] for h in hits] == [HOSTILE["id"]]
    marked = [str(p["text"]) for p in hits[0]["snippet"] if p["match"]]
    assert marked == ["الإماراتيّة"]                 # highlighted as written, shadda included


def test_phrase_query_needs_the_words_in_order(db):
    assert queries.search(db, '"عباس كامل"')["total"]["articles"] >= 2
    assert queries.search(db, '"كامل عباس"')["total"]["articles"] == 0


def test_filters_by_outlet_and_date(db, expected):
    seeded = next(a for a in expected["articles"].values() if a["published"])
    by_outlet = queries.search(db, "حفتر", outlet=seeded["outlet"])
    assert {h["outlet"] for g in by_outlet["stories"] for h in g["hits"]} == {seeded["outlet"]}
    day = seeded["published"][:10]
    assert queries.search(db, "حفتر", since=day, until=day)["total"]["articles"] >= 1
    assert queries.search(db, "حفتر", since="2030-01-01")["total"]["articles"] == 0


def test_title_matches_rank_first(db):
    result = queries.search(db, "حفتر")
    hits = [h for g in result["stories"] for h in g["hits"]]
    assert hits == sorted(hits, key=lambda h: -h["score"])


@pytest.mark.parametrize("kwargs, message", [
    ({"since": "yesterday"}, "since='yesterday' is not a date"),
    ({"limit": 0}, "limit=0 is out of range"),
    ({"limit": 101}, "limit=101 is out of range"),
    ({"offset": -1}, "offset=-1 is negative"),
    ({"since": "2021-01-02", "until": "2021-01-01"}, "since='2021-01-02' is after until='2021-01-01'"),

])
def test_bad_parameters_raise_bad_parameter(db, kwargs, message):
    with pytest.raises(BadParameter, match=message):
        queries.search(db, "حفتر", **kwargs)


def test_since_and_until_on_the_same_day_cover_that_whole_day(db):
    # a seed article is published on 2020-12-19 at 22:29
    assert queries.search(db, "حفتر", since="2020-12-19", until="2020-12-19")["total"]["articles"] >= 1
    assert queries.find_stories(db, since="2020-12-19", until="2020-12-19")["total"] >= 1


def test_snippet_is_cut_around_the_first_match():
    text = "كلمة " * 200 + "حفتر" + " كلمة" * 200
    pieces = snippet(text, match_spans(text, parse_query("حفتر").highlight_keys()))
    assert pieces[0]["text"] == "… " and pieces[-1]["text"] == " …"
    assert [p["text"] for p in pieces if p["match"]] == ["حفتر"]
    assert sum(len(str(p["text"])) for p in pieces) < 300


def test_old_database_gets_its_search_index_on_open(tmp_path, seeds):
    path = build_web_db(tmp_path / "old.db", seeds)
    con = sqlite3.connect(path)                  # make it look like a schema-1 file
    con.execute("DROP TABLE articles_fts")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    store = marsad.open_store(str(path))
    try:
        assert queries.search(store, "حفتر")["total"]["articles"] >= 2
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    finally:
        store.close()


def test_newer_database_is_refused(store_url):
    store = marsad.open_store(store_url)
    store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(marsad.errors.StoreError, match="schema version 99"):
        marsad.open_store(store_url)


def test_search_command_prints_hits_and_json(web_db):
    from click.testing import CliRunner

    from marsad.cli import main

    run = CliRunner().invoke(main, ["search", "الاماراتيه", "--db", str(web_db)])
    assert run.exit_code == 0 and "الإماراتيّة" in run.output
    run = CliRunner().invoke(main, ["search", "حفتر", "--json", "--db", str(web_db)])
    assert run.exit_code == 0 and '"total"' in run.output
    run = CliRunner().invoke(main, ["search", "حفتر", "--since", "nope", "--db", str(web_db)])
    assert run.exit_code == 1 and "since='nope' is not a date" in run.output


def test_every_stored_article_is_found_by_its_title_as_a_phrase(db):
    rows = [r for r in db.iter_articles() if r["title"]]
    assert len(rows) >= 20
    for r in rows:
        phrase = '"' + r["title"].replace('"', " ") + '"'
        hits = [h["id"] for g in queries.search(db, phrase, limit=100)["stories"] for h in g["hits"]]
        assert r["id"] in hits, r["title"]


def test_index_is_written_with_each_batch(tmp_path, seeds):
    store = marsad.open_store(str(tmp_path / "batch.db"))
    try:
        from marsad.pipeline import ingest

        ingest([str(seeds)], store)
        n_articles = store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_indexed = store.db.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
        assert n_indexed == n_articles == 2
    finally:
        store.close()
