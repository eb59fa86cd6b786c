"""`marsad date`, `marsad actors` and the who/where/when of `marsad show`, in process."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from marsad.cli import main


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "seeds.db")
    result = CliRunner().invoke(main, ["ingest", str(seeds), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_date_prints_iso_8601():
    result = CliRunner().invoke(main, ["date", "السبت 19 ديسمبر 2020 10:29 م"])
    assert result.exit_code == 0
    assert result.output.strip() == "2020-12-19T22:29"


def test_date_reads_relative_words_against_a_reference():
    result = CliRunner().invoke(main, ["date", "مساء الجمعة", "--relative-to", "2020-12-19", "--json"])
    assert result.exit_code == 0
    value = json.loads(result.output)
    assert value["value"] == "2020-12-18" and value["part_of_day"] == "evening"


def test_date_that_cannot_be_read_exits_1_with_a_message():
    result = CliRunner().invoke(main, ["date", "أمس"])
    assert result.exit_code == 1
    assert "cannot read a date in 'أمس'" in result.output
    assert "--relative-to" in result.output


def test_show_json_has_actors_places_and_event(seeds_db):
    stories = json.loads(CliRunner().invoke(main, ["stories", "--db", seeds_db, "--json"]).output)
    result = CliRunner().invoke(main, ["show", stories[0]["id"], "--db", seeds_db, "--json"])
    story = json.loads(result.output)
    assert story["event"]["date"] == "2020-12-19"
    assert story["event"]["place"] == "بنغازي"
    assert "ترهونة" in story["places"]
    haftar = next(a for a in story["actors"] if a["name"] == "خليفة حفتر")
    assert haftar["type"] == "person" and "حفتر" in haftar["aliases"]
    assert set(haftar["labels"]) == {a["id"] for a in story["articles"]}


def test_show_prints_who_where_when_and_the_labels_table(seeds_db):
    stories = json.loads(CliRunner().invoke(main, ["stories", "--db", seeds_db, "--json"]).output)
    text = CliRunner().invoke(main, ["show", stories[0]["id"], "--db", seeds_db]).output
    assert "when:      2020-12-19" in text
    assert "where:     بنغازي" in text
    assert "labels per outlet" in text and "الجنرال المتقاعد" in text


def test_actors_lists_aliases_and_article_counts(seeds_db):
    result = CliRunner().invoke(main, ["actors", "--db", seeds_db, "--json", "--limit", "5"])
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert len(items) <= 5
    haftar = next(a for a in items if a["name"] == "خليفة حفتر")
    assert haftar["articles"] == 2 and "حفتر" in haftar["aliases"]
    text = CliRunner().invoke(main, ["actors", "--db", seeds_db]).output
    assert "خليفة حفتر" in text
