"""Stored story analyses (marsad.analysis): computed once per story revision, stale when the story's
articles change, read by `show`, `compare`, the pages and the API; the actors table summed from them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import marsad
from marsad import analysis, queries
from marsad.analysis import ANALYSIS_VERSION, analyze, strip_timings
from marsad.cli import main
from marsad.compare import compare_story as live_compare
from marsad.entities import story_entities
from marsad.normalize import fold_for_match
from marsad.pipeline import ingest

SEED_FILES = ["000_fa5338184ecd9d0a.txt", "004_d44edca8de48cbaa.txt"]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def only_story(store) -> str:
    (story,) = queries.list_stories(store)
    return story["id"]


def test_ingest_analyses_the_stories_it_touched_and_show_and_compare_read_them(seeds: Path, tmp_path: Path):
    db = str(tmp_path / "m.db")
    report = json.loads(run("ingest", str(seeds), "--db", db, "--workers", "1", "--json").stdout)
    assert report["analysis"]["analysed"] == 1 and report["analysis"]["failed"] == []
    store = marsad.open_store(db)
    sid = only_story(store)
    row = store.analysis(sid)
    assert analysis.is_fresh(row) and row["version"] == ANALYSIS_VERSION
    story = store.get_story(sid, with_body=True)
    shown = json.loads(run("show", sid, "--db", db, "--json").stdout)
    assert shown["actors"] == json.loads(json.dumps(story_entities(story["articles"]), ensure_ascii=False))["actors"]
    compared = json.loads(run("compare", sid, "--db", db, "--json").stdout)
    live = live_compare({**story, "articles": queries.compared_articles(store, story)}, store.outlet_dates())
    assert strip_timings(compared) == strip_timings(json.loads(json.dumps(live, ensure_ascii=False)))
    store.close()


def test_no_analyze_leaves_the_story_stale_and_analyze_brings_it_up_to_date(seeds: Path, tmp_path: Path):
    db = str(tmp_path / "m.db")
    run("ingest", str(seeds), "--db", db, "--no-analyze")
    store = marsad.open_store(db)
    assert store.analysis(only_story(store)) is None
    assert len(store.stale_analyses(ANALYSIS_VERSION)) == 1
    result = run("analyze", "--db", db, "--workers", "1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["analysed"] == 1
    assert store.stale_analyses(ANALYSIS_VERSION) == []
    assert json.loads(run("analyze", "--db", db, "--json").stdout)["stale"] == 0   # nothing left to do
    store.close()


def test_a_new_article_in_a_story_makes_its_analysis_stale(seeds: Path, store):
    ingest([str(seeds / SEED_FILES[0])], store)
    analyze(store)
    sid = only_story(store)
    first = store.analysis(sid)
    assert analysis.is_fresh(first)
    report = ingest([str(seeds / SEED_FILES[1])], store)       # the other outlet's article joins the story
    assert sid in report.touched
    assert not analysis.is_fresh(store.analysis(sid))
    assert store.stale_analyses(ANALYSIS_VERSION) == [(sid, store.story_revision(sid))]
    done = analyze(store)
    assert (done.stale, done.analysed) == (1, 1)
    again = store.analysis(sid)
    assert analysis.is_fresh(again) and again["compare"] is not None
    assert {a["outlet"] for a in again["compare"]["articles"]} == {"يافع نيوز", "الخليج الجديد"}


def test_changing_the_analysis_version_makes_every_story_stale(seeds: Path, store, monkeypatch):
    ingest([str(seeds)], store)
    analyze(store)
    assert store.stale_analyses(ANALYSIS_VERSION) == []
    monkeypatch.setattr(analysis, "ANALYSIS_VERSION", ANALYSIS_VERSION + 1)
    assert analyze(store).analysed == 1
    assert store.analysis(only_story(store))["version"] == ANALYSIS_VERSION + 1


def test_a_page_computes_a_missing_analysis_once_and_stores_it(seeds: Path, tmp_path: Path, monkeypatch):
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    db = str(tmp_path / "m.db")
    run("ingest", str(seeds), "--db", db, "--no-analyze")
    store = marsad.open_store(db)
    sid = only_story(store)
    client = TestClient(create_app(db))
    assert client.get(f"/stories/{sid}").status_code == 200
    assert analysis.is_fresh(store.analysis(sid))
    calls = []
    monkeypatch.setattr(analysis, "analyse", lambda item: calls.append(item))
    assert client.get(f"/api/v1/stories/{sid}/compare").json()["available"] is True
    assert client.get(f"/stories/{sid}").status_code == 200
    assert calls == []                                   # read from the store, not computed again
    store.close()


def test_coverage_gaps_are_counted_afresh_as_the_timeline_counts_them(store):
    sample = Path(marsad.__file__).parent / "data" / "sample"
    ingest([str(p) for p in sorted(sample.iterdir()) if p.is_dir()], store)
    story = queries.biggest_story(queries.list_stories(store))
    full = store.get_story(story["id"], with_body=True)
    live = live_compare({**full, "articles": queries.compared_articles(store, full)}, store.outlet_dates())
    stored = analysis.stored_analysis(store, story["id"])
    assert stored["compare"]["timeline"]["not_reported_by"] == live["timeline"]["not_reported_by"]
    assert strip_timings(stored["compare"]) == strip_timings(json.loads(json.dumps(live, ensure_ascii=False)))


def test_actors_table_gives_each_outlets_labels_for_haftar(seeds: Path, expected: dict, store):
    ingest([str(seeds)], store)
    analyze(store)
    total, actors = store.list_actors()
    assert total == len(actors) > 0
    haftar = queries.find_actor(store, "حفتر")
    assert haftar["name"] == "خليفة حفتر" and haftar["type"] == "person"
    assert haftar["articles"] == 2 and haftar["stories"] == 1
    (want,) = [a for a in expected["actors"] if a["name"] == "خليفة حفتر"]
    for path, labels in want["labels"].items():
        outlet = expected["articles"][path]["outlet"]
        (shown,) = [o for o in haftar["outlets"] if o["outlet"] == outlet]
        assert {fold_for_match(x["label"]) for x in shown["labels"]} >= {fold_for_match(x) for x in labels}
        assert all(x["stories"][0]["id"] == only_story(store) for x in shown["labels"])
    listed = {a["id"]: a for a in queries.list_actors(store)}
    assert listed[haftar["id"]]["labels"]["يافع نيوز"][0][1] >= 1


def test_forgetting_an_emptied_story_sums_its_actors_again(seeds: Path, store):
    ingest([str(seeds)], store)
    analyze(store)
    sid = only_story(store)
    haftar = queries.find_actor(store, "حفتر")["id"]
    # as a merge leaves it: the story has no articles any more
    store._run("UPDATE stories SET n_articles = 0, revision = revision + 1 WHERE id = %s", (sid,))
    done = analyze(store)
    assert done.dropped == 1 and store.analysis(sid) is None
    assert store.get_actor(haftar) is None and store.list_actors()[0] == 0


def test_actors_api_pages_every_actor_without_a_cap(seeds: Path, tmp_path: Path):
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    db = str(tmp_path / "m.db")
    run("ingest", str(seeds), "--db", db, "--workers", "1")
    client = TestClient(create_app(db))
    first = client.get("/api/v1/actors", params={"limit": 3}).json()
    rest = client.get("/api/v1/actors", params={"limit": 100, "offset": 3}).json()
    assert first["available"] and first["total"] == rest["total"] > 3
    names = [a["name"] for a in first["actors"] + rest["actors"]]
    assert len(names) == first["total"] and "خليفة حفتر" in names
    haftar = next(a for a in first["actors"] + rest["actors"] if a["name"] == "خليفة حفتر")
    page = client.get(f"/api/v1/actors/{haftar['id']}").json()
    assert {o["outlet"] for o in page["outlets"]} == {"يافع نيوز", "الخليج الجديد"}
    assert client.get("/api/v1/actors/a-000000000000").status_code == 404


def test_actor_command_names_each_outlets_labels(seeds: Path, tmp_path: Path):
    db = str(tmp_path / "m.db")
    run("ingest", str(seeds), "--db", db, "--workers", "1")
    text = run("actor", "المشير خليفة حفتر", "--db", db).stdout
    assert "خليفة حفتر" in text and "المشير" in text and "الجنرال المتقاعد" in text
    missing = run("actor", "لا أحد", "--db", db)
    assert missing.exit_code == 1 and "no actor named 'لا أحد'" in missing.output


@pytest.mark.parametrize("label", ["<script>alert(1)</script>"])
def test_actor_page_escapes_labels_and_links_stories(tmp_path: Path, label: str):
    """The actor page shows text from articles: it is escaped, never markup."""
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    db = str(tmp_path / "m.db")
    store = marsad.open_store(db)
    ingest([str(Path(marsad.__file__).parent / "data" / "sample")], store)
    sid = queries.list_stories(store)[0]["id"]
    row = {"story_id": sid, "revision": store.story_revision(sid), "version": ANALYSIS_VERSION, "seconds": 0.0,
           "entities": {"actors": [], "places": [], "event": None}, "compare": None, "articles": 1,
           "actors": [{"id": "a-0123456789ab", "name": "فلان <b>", "type": "person", "aliases": [], "mentions": 1,
                       "articles": 1, "uses": [{"article": "x1", "outlet": "منبر", "day": "2020-12-19",
                                                "mentions": 1, "labels": {label: 1}}]}]}
    store.write_analyses([row], [], analysis.sum_actors)
    store.close()
    html = TestClient(create_app(db)).get("/actors/a-0123456789ab").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "فلان &lt;b&gt;" in html and f'href="/stories/{sid}"' in html
    assert 'dir="rtl"' in html and "<svg" in html
