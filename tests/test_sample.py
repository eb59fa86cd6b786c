"""The bundled invented sample corpus: its fields are read right and it clusters into its intended stories."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main
from marsad.evaluate import score

SAMPLE = Path(__file__).resolve().parents[1] / "marsad" / "data" / "sample"

GROUPS = json.loads((SAMPLE / "GROUPS.json").read_text(encoding="utf-8"))


def _member(article: dict) -> str:
    """The GROUPS.json name of a stored article: its JSONL id, else its path inside the sample."""
    if article["record"]:
        return article["id"]
    p = Path(article["path"])
    return f"{p.parent.name}/{p.name}"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("sample") / "sample.db")
    store = marsad.open_store(db)
    report = marsad.run([str(SAMPLE / d) for d in ("txt", "html", "jsonl")], store)
    store.close()
    assert report.n_failed == 0, [str(e) for e in report.errors]
    return db


@pytest.fixture(scope="module")
def rows(sample_db) -> dict[str, dict]:
    store = marsad.open_store(sample_db)
    out = {_member(r): r for r in store.iter_articles()}
    store.close()
    return out


def test_sample_is_big_enough_to_mean_something():
    members = [m for s in GROUPS["stories"].values() for m in s["members"]]
    assert len(members) >= 40 and len(GROUPS["stories"]) >= 10
    assert len(set(GROUPS["outlets"].values())) >= 5
    assert "invented" in (SAMPLE / "README.md").read_text(encoding="utf-8").lower()


def test_sample_clusters_into_its_intended_stories(rows):
    gold = {m: key for key, s in GROUPS["stories"].items() for m in s["members"]}
    assert set(rows) == set(gold)
    predicted = {m: r["story_id"] for m, r in rows.items()}
    for key, story in GROUPS["stories"].items():
        assert len({predicted[m] for m in story["members"]}) == 1, f"story {key} is split"
    result = score(predicted, gold)
    assert result["predicted_stories"] == len(GROUPS["stories"])
    assert result["bcubed"]["f1"] == 1.0


@pytest.mark.parametrize("field", ["outlets", "titles"])
def test_sample_page_fields_are_read(rows, field):
    column = {"outlets": "outlet", "titles": "title"}[field]
    wrong = {m: (r[column], GROUPS[field][m]) for m, r in rows.items() if r[column] != GROUPS[field][m]}
    assert wrong == {}


def test_sample_publication_dates_are_read(rows):
    for m, r in rows.items():
        want = GROUPS["published"][m]
        got = r["published"] and datetime.fromisoformat(r["published"]).replace(tzinfo=None)
        assert got == (want and datetime.fromisoformat(want)), m


def test_exact_copies_are_stored_once_and_linked(rows, sample_db):
    exact = [d for d in GROUPS["duplicates"] if d["kind"] == "exact"]
    assert exact
    store = marsad.open_store(sample_db)
    try:
        for dup in exact:
            original, copy = rows[dup["original"]], rows[dup["copy"]]
            linked = {original["duplicate_of"], copy["duplicate_of"]} - {None}
            assert linked == {original["id"]} or linked == {copy["id"]}, dup
            first = original if original["duplicate_of"] is None else copy
            story = store.get_story(first["story_id"])
            article = next(a for a in story["articles"] if a["id"] == first["id"])
            assert [c["id"] for c in article["copies"]] == [({original["id"], copy["id"]} - {first["id"]}).pop()]
    finally:
        store.close()


def test_demo_runs_on_the_sample_and_shows_a_story(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "demo.db")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "article 1/" in result.stdout and "outlet:" in result.stdout
    assert f"{len(GROUPS['stories'])} new stories" in result.stderr
