"""Story and thread quality on the labelled windows of ant-stories, and the clusterer's invariants.

Data: the ANT corpus (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8), 2021), read in place.
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main
from marsad.evaluate import evaluate_store, read_labels
from marsad.settings import IngestSettings, StorySettings
from pgserver import fetch_rows

# Floors pinned about 0.01 under what the shipped defaults (the story model trained on these four windows)
# measured on 2026-12-04: stories B-cubed F1 / pairwise F1 / threads B-cubed F1 of dev 0.874 / 0.572 / 0.869,
# train-a 0.940 / 0.679 / 0.875, train-b 0.883 / 0.516 / 0.857, train-c 0.932 / 0.711 / 0.866. A change that
# loses quality on any window fails here. (Their leave-one-window-out figures are in the README.)
FLOORS = {
    "dev": {("stories", "bcubed"): 0.864, ("stories", "pairwise"): 0.55, ("threads", "bcubed"): 0.855},
    "train-a": {("stories", "bcubed"): 0.930, ("stories", "pairwise"): 0.66, ("threads", "bcubed"): 0.865},
    "train-b": {("stories", "bcubed"): 0.873, ("stories", "pairwise"): 0.50, ("threads", "bcubed"): 0.845},
    "train-c": {("stories", "bcubed"): 0.922, ("stories", "pairwise"): 0.69, ("threads", "bcubed"): 0.855},
}


@pytest.fixture(scope="module")
def dev(shared):
    return shared / "data" / "ant-stories" / "dev"


def _evaluate(dev, tmp_path, source=None, batch_size=200, settings=None):
    store = marsad.open_store(str(tmp_path / f"dev-{batch_size}-{source is not None}.db"))
    marsad.run([str(source or dev / "articles.jsonl")], store, story_settings=settings,
               ingest_settings=IngestSettings(batch_size=batch_size))
    result = evaluate_store(store.iter_articles(), read_labels(str(dev / "labels.jsonl")))
    store.close()
    return result


@pytest.mark.parametrize("window", sorted(FLOORS))
def test_story_and_thread_quality_hold_their_floors_on_every_labelled_window(shared, window, tmp_path):
    result = _evaluate(shared / "data" / "ant-stories" / window, tmp_path)
    for (level, metric), floor in FLOORS[window].items():
        assert result[level][metric]["f1"] >= floor, (level, metric, result[level][metric])
    assert result["stories"]["gold_articles_not_in_db"] == 0


def test_batch_size_and_arrival_order_barely_change_quality(dev, tmp_path):
    one = _evaluate(dev, tmp_path, batch_size=1000)["stories"]["bcubed"]["f1"]
    fifty = _evaluate(dev, tmp_path, batch_size=50)["stories"]["bcubed"]["f1"]
    reversed_file = tmp_path / "reversed.jsonl"
    lines = (dev / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    reversed_file.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    backwards = _evaluate(dev, tmp_path, source=reversed_file, batch_size=50)["stories"]["bcubed"]["f1"]
    assert abs(one - fifty) <= 0.02, (one, fifty)
    assert abs(one - backwards) <= 0.02, (one, backwards)


def _partition(store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in store.iter_articles():
        groups.setdefault(row["story_id"], set()).add(row["id"])
    return {frozenset(g) for g in groups.values()}


def test_a_later_run_with_older_articles_regroups_stored_ones_as_if_all_came_in_order(dev, tmp_path):
    # The second day is ingested first, the first day by a later run (a backfill): the stored second-day
    # articles are taken back and placed again with the older ones, so the stories are those of one
    # run in publication order, and every change reaches the database.
    lines = (dev / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    day1 = [line for line in lines if '"date": "2018-04-14' in line]
    day2 = [line for line in lines if line not in set(day1)]
    assert day1 and day2
    (tmp_path / "day1.jsonl").write_text("\n".join(day1) + "\n", encoding="utf-8")
    (tmp_path / "day2.jsonl").write_text("\n".join(day2) + "\n", encoding="utf-8")
    in_order = marsad.open_store(str(tmp_path / "in-order.db"))
    marsad.run([str(dev / "articles.jsonl")], in_order)
    backfilled = marsad.open_store(str(tmp_path / "backfilled.db"))
    marsad.run([str(tmp_path / "day2.jsonl")], backfilled)
    before = {r["id"]: r["story_id"] for r in backfilled.iter_articles()}
    report = marsad.run([str(tmp_path / "day1.jsonl")], backfilled)
    assert report.moved > 0
    assert _partition(backfilled) == _partition(in_order)
    rows = backfilled.iter_articles()
    # a copy stays in its original's story; an emptied story's id still leads to where its first article went
    story_of = {r["id"]: r["story_id"] for r in rows}
    copies = [r for r in rows if r["duplicate_of"]]
    assert copies and all(r["story_id"] == story_of[r["duplicate_of"]] for r in copies)
    listed = {s["id"]: s for s in backfilled.list_stories()}
    emptied = {old for old in before.values() if old not in listed}
    assert emptied
    assert all(backfilled.get_story(old)["id"] in listed for old in emptied)
    assert sum(s["n_articles"] for s in listed.values()) == sum(1 for r in rows if not r["duplicate_of"])
    in_order.close()
    backfilled.close()


def test_eval_cli_scores_stories_and_threads(dev, tmp_path):
    db = str(tmp_path / "dev.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(dev / "articles.jsonl"), "--db", db, "--no-analyze"]).exit_code == 0
    result = runner.invoke(main, ["eval", "stories", "--gold", str(dev / "labels.jsonl"), "--db", db, "--json"])
    scored = json.loads(result.stdout)
    assert set(scored) == {"stories", "threads"}
    assert scored["stories"]["gold_stories"] == 190 and scored["stories"]["articles"] == 294
    text = runner.invoke(main, ["eval", "stories", "--gold", str(dev / "labels.jsonl"), "--db", db]).stdout
    assert "B-cubed" in text and "worst merges" in text and "worst splits" in text
    # where the loss is: each listed gold story (or topic) would raise F1 by its gain if grouped right
    base = scored["stories"]["bcubed"]["f1"]
    for key in ("gains", "gains_by_topic"):
        listed = scored["stories"][key]
        assert listed and all(abs(u["f1"] - base - u["gain"]) < 2e-4 and u["gain"] > 0 and u["title"] for u in listed)
    # a topic made right includes its stories made right, so the best topic gains at least the best story
    assert scored["stories"]["gains_by_topic"][0]["f1"] >= scored["stories"]["gains"][0]["f1"] - 1e-4
    assert "where the loss is" in text


def test_eval_rejects_a_labels_file_that_is_not_jsonl(seeds, tmp_path):
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"id": "a", "story": "s1"}\nnot json\n', encoding="utf-8")
    CliRunner().invoke(main, ["ingest", str(seeds), "--db", str(tmp_path / "x.db")])
    result = CliRunner().invoke(main, ["eval", "stories", "--gold", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert f"{bad}:line 2: not a label line" in result.output


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_stories_limit_below_one_is_a_usage_error(seeds, tmp_path, limit):
    db = str(tmp_path / "m.db")
    CliRunner().invoke(main, ["ingest", str(seeds), "--db", db])
    result = CliRunner().invoke(main, ["stories", "--limit", limit, "--db", db])
    assert result.exit_code == 2 and "--limit" in result.output


@pytest.mark.parametrize("lines, message", [
    ('{"id": "nowhere-1", "story": "s1"}\n', "none of the 1 labelled articles is in the database"),
    ('{"id": "a", "topic": "t1"}\n', "no label line has a story"),
])
def test_eval_with_nothing_to_score_is_an_error_not_a_perfect_score(seeds, tmp_path, lines, message):
    gold = tmp_path / "labels.jsonl"
    gold.write_text(lines, encoding="utf-8")
    db = str(tmp_path / "x.db")
    CliRunner().invoke(main, ["ingest", str(seeds), "--db", db])
    result = CliRunner().invoke(main, ["eval", "stories", "--gold", str(gold), "--db", db])
    assert result.exit_code == 1
    assert f"{gold}: {message}" in result.output


def test_stories_list_groups_threads(seeds, tmp_path):
    db = str(tmp_path / "m.db")
    CliRunner().invoke(main, ["ingest", str(seeds), "--db", db])
    grouped = json.loads(CliRunner().invoke(main, ["stories", "--threads", "--json", "--db", db]).stdout)
    assert len(grouped) == 1 and grouped[0]["n_articles"] == 2
    assert grouped[0]["stories"][0]["thread_id"] == grouped[0]["id"]


def test_a_story_that_turns_out_to_be_the_same_event_is_absorbed_and_the_merge_recorded(seeds, store_url):
    # With a join threshold no article reaches, every article starts a story; a low merge threshold
    # then lets the seeds' two stories become one, and the merge says why.
    store = marsad.open_store(store_url)
    settings = replace(StorySettings(), scorer="cosine", join_threshold=0.99, merge_threshold=0.2)
    marsad.run([str(seeds)], store, story_settings=settings, ingest_settings=IngestSettings(batch_size=1))
    stories = store.list_stories()
    assert len(stories) == 1 and stories[0]["n_articles"] == 2
    merges = fetch_rows(store_url, "SELECT into_id, absorbed_id, reason FROM story_merges")
    assert len(merges) == 1 and "merge_threshold" in merges[0][2]
    assert store.get_story(merges[0][1])["id"] == stories[0]["id"]
    store.close()


def test_stories_that_ended_long_before_the_newest_article_leave_memory_not_the_store(seeds, tmp_path):
    from datetime import datetime

    from marsad.article import Article
    from marsad.stories.assign import StoryIndex

    store = marsad.open_store(str(tmp_path / "evict.db"))
    marsad.run([str(seeds)], store)
    index = StoryIndex(store, replace(StorySettings(), retain_days=14))
    old = set(index.stories)
    assert old
    later = Article(id="later", path="x", title="خبر بعد شهرين", body="نص خبر جديد تماما عن موضوع آخر",
                    published=datetime(2021, 2, 20, 12, 0))
    index.assign(later)
    index._evict()
    assert not old & set(index.stories)
    assert all(store.get_story(sid) for sid in old)
    store.close()
