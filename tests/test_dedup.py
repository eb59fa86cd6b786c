"""Exact and near-duplicate copies: stored once more only as a link to the first-seen article."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

import marsad
from marsad.dedup.exact import fingerprint
from marsad.dedup.near import NearDuplicateIndex, shingles

SAMPLE = Path(__file__).resolve().parents[1] / "marsad" / "data" / "sample"
GROUPS = json.loads((SAMPLE / "GROUPS.json").read_text(encoding="utf-8"))


def _key(row: dict) -> str:
    return row["id"] if row["record"] else f"{Path(row['path']).parent.name}/{Path(row['path']).name}"


def test_fingerprint_ignores_spacing_punctuation_and_letter_variants():
    assert fingerprint("قال الرئيس: إن المفاوضات مستمرة.") == fingerprint("قال  الرئيس ان المفاوضات مستمره")
    assert fingerprint("قال الرئيس") != fingerprint("قال الوزير")


def test_shingles_of_a_short_body_are_the_whole_text():
    assert shingles("خبر قصير", 5) == {"خبر قصير".encode()}


def test_sample_copies_are_linked_to_their_original_with_no_false_match(store_url):
    store = marsad.open_store(store_url)
    marsad.run([str(SAMPLE / d) for d in ("txt", "html", "jsonl")], store)
    rows = {_key(r): r for r in store.iter_articles()}
    copies = {k for k, r in rows.items() if r["duplicate_of"]}
    expected = set()
    for dup in GROUPS["duplicates"]:
        a, b = rows[dup["original"]], rows[dup["copy"]]
        later = a if a["duplicate_of"] else b
        earlier = b if later is a else a
        assert later["duplicate_of"] == earlier["id"], dup
        expected.add(_key(later))
        story = store.get_story(earlier["story_id"])
        listed = next(x for x in story["articles"] if x["id"] == earlier["id"])["copies"]
        sim = next(c["similarity"] for c in listed if c["id"] == later["id"])
        assert sim == 1.0 if dup["kind"] == "exact" else 0.5 <= sim < 1.0
    assert copies == expected
    store.close()


def _edited(text: str, rng: random.Random) -> str:
    """A syndicated copy of a page: a dropped body sentence, another dateline, more page furniture."""
    lines = text.splitlines()
    body = [i for i, ln in enumerate(lines) if len(ln.split()) > 12]
    drop = rng.choice(body[1:]) if len(body) > 2 else None
    out = [ln for i, ln in enumerate(lines) if i != drop]
    out = [re.sub(r"^(.{2,30}) [–-] (متابعات|وكالات|خاص)$", r"وكالة الخبر - \2", ln) for ln in out]
    return "\n".join(["fbpx", *out, "", "شارك الخبر", "", "اقرأ أيضا", "عنوان خبر آخر لا علاقة له",
                      "عنوان ثالث عن موضوع مختلف تماما"]) + "\n"


def test_edited_copies_of_every_sample_page_are_all_found_and_nothing_else(tmp_path):
    rng = random.Random(7)
    originals = sorted((SAMPLE / "txt").glob("*.txt"))
    edited = tmp_path / "edited"
    edited.mkdir()
    for page in originals:
        (edited / f"copy-{page.name}").write_text(_edited(page.read_text(encoding="utf-8"), rng), encoding="utf-8")
    store = marsad.open_store(str(tmp_path / "e.db"))
    marsad.run([str(SAMPLE / "txt")], store)
    marsad.run([str(edited)], store)
    rows = store.iter_articles()
    by_path = {Path(r["path"]).name: r for r in rows}
    ids = {r["id"]: Path(r["path"]).name for r in rows}

    def root(row: dict) -> str:  # a copy keeps its date line, so either of the two may be the original
        return row["duplicate_of"] or row["id"]

    false_matches, missed = [], []
    for page in originals:
        copy = by_path.get(f"copy-{page.name}")
        if copy is None:  # an exact copy of an exact copy is the same file content: stored once
            continue
        target = by_path[page.name]
        if root(copy) == copy["id"] and root(target) == target["id"]:
            missed.append(page.name)
        elif root(copy) != root(target):
            false_matches.append((page.name, ids[root(copy)]))
    assert missed == [] and false_matches == []
    # among the sample's own pages, only its two copies lead to another page
    linked = {name for name, r in by_path.items() if not name.startswith("copy-")
              and ids[root(r)].removeprefix("copy-") != name}
    assert linked == {"sanabil-02.txt", "sanabil-05.txt"}
    store.close()


def test_different_articles_of_one_real_story_are_not_copies(shared, tmp_path):
    """ant-stories dev: only wire copies and the corpus's own double filings are linked."""
    store = marsad.open_store(str(tmp_path / "dev.db"))
    marsad.run([str(shared / "data" / "ant-stories" / "dev" / "articles.jsonl")], store)
    rows = {r["id"]: r for r in store.iter_articles()}
    source = {json.loads(line)["id"]: json.loads(line)
              for line in (shared / "data" / "ant-stories" / "dev" / "articles.jsonl").open(encoding="utf-8")}
    linked = [(i, r["duplicate_of"]) for i, r in rows.items() if r["duplicate_of"]]
    same_url = [p for p in linked if source[p[0]]["url"] == source[p[1]]["url"]]
    assert len(same_url) == 11  # the corpus's France24 double filings (PROVENANCE.md)
    for copy, original in linked:
        a, b = source[copy]["text"], source[original]["text"]
        sa, sb = shingles(a, 5), shingles(b, 5)
        assert len(sa & sb) / len(sa | sb) >= 0.45, (copy, original)
    store.close()


@pytest.mark.parametrize("threshold", [0.5])
def test_index_survives_a_restart(store_url, threshold):
    store = marsad.open_store(store_url)
    marsad.run([str(SAMPLE / "txt" / "nafidha-04.txt")], store)
    store.close()
    store = marsad.open_store(store_url)
    assert len(NearDuplicateIndex(store).signatures) == 1
    marsad.run([str(SAMPLE / "txt" / "sanabil-02.txt")], store)
    rows = {Path(r["path"]).name: r for r in store.iter_articles()}
    assert rows["sanabil-02.txt"]["duplicate_of"] == rows["nafidha-04.txt"]["id"]
    store.close()


def test_copies_are_looked_for_within_the_retention_window_only(tmp_path):
    """The MinHash index forgets articles 30 days older than the newest (memory stays flat)."""
    import json as _json

    text = (SAMPLE / "txt" / "nafidha-04.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if len(line.split()) > 12)
    recs = [{"id": "old", "source": "أ", "date": "2025-01-01T10:00:00+00:00", "title": "قديم", "text": body},
            {"id": "new", "source": "ب", "date": "2025-03-15T10:00:00+00:00", "title": "جديد",
             "text": body.replace("مارس", "آذار") + "\nسطر إضافي في آخر الخبر لا يغير شيئا من مضمونه الأصلي."},
            {"id": "new2", "source": "ج", "date": "2025-03-16T10:00:00+00:00", "title": "جديد 2",
             "text": body.replace("مارس", "آذار") + "\nسطر آخر في آخر الخبر."}]
    src = tmp_path / "r.jsonl"
    src.write_text("\n".join(_json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    store = marsad.open_store(str(tmp_path / "w.db"))
    marsad.run([str(src)], store)
    rows = {r["id"]: r for r in store.iter_articles()}
    assert rows["new"]["duplicate_of"] is None            # its original is 73 days older: forgotten
    assert rows["new2"]["duplicate_of"] == "new"          # a day apart: a copy
    store.close()


def _dev_lines(shared) -> list[str]:
    return (shared / "data" / "ant-stories" / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()


def _links_partition_df(store) -> tuple[dict, set, tuple]:
    rows = store.iter_articles()
    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(r["story_id"], set()).add(r["id"])
    n_docs, df = store.term_df()
    return ({r["id"]: r["duplicate_of"] for r in rows if r["duplicate_of"]},
            {frozenset(g) for g in groups.values()}, (n_docs, {t: n for t, n in df.items() if n}))


def test_the_original_of_a_copy_is_the_earliest_published_whatever_the_arrival_order(shared, tmp_path):
    # ant-stories dev read backwards in batches of 10: its 4 cross-outlet wire copies (hours apart) and
    # its 11 France24 double filings (same minute; the lower id is the original) get the originals, the
    # stories and the document frequencies of a run in publication order
    from marsad.settings import IngestSettings

    lines = _dev_lines(shared)
    backwards = tmp_path / "backwards.jsonl"
    backwards.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    in_order = marsad.open_store(str(tmp_path / "in-order.db"))
    marsad.run([str(shared / "data" / "ant-stories" / "dev" / "articles.jsonl")], in_order)
    late = marsad.open_store(str(tmp_path / "backwards.db"))
    marsad.run([str(backwards)], late, ingest_settings=IngestSettings(batch_size=10))
    want, got = _links_partition_df(in_order), _links_partition_df(late)
    assert len(want[0]) == 15
    assert got[0] == want[0]
    assert got[1] == want[1]
    assert got[2] == want[2]
    in_order.close()
    late.close()


def test_an_earlier_copy_arriving_later_takes_the_originals_place(shared, store_url, tmp_path):
    # Sky News carried Al Arabiya's wire text 12 hours later. Sky News' page and a re-filing of it are
    # stored first; Al Arabiya's page comes in a later run and becomes the original of both.
    from pgserver import fetch_rows

    records = {json.loads(line)["id"]: json.loads(line) for line in _dev_lines(shared)}
    early, late = records["AL-internationalNews-925-20180415"], records["SK-internationalNews-947-20180415"]
    refiled = dict(late, id="SK-refiled", date="2018-04-16T01:00:00+00:00")
    (tmp_path / "late.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (late, refiled)) + "\n",
                                         encoding="utf-8")
    (tmp_path / "early.jsonl").write_text(json.dumps(early, ensure_ascii=False) + "\n", encoding="utf-8")
    store = marsad.open_store(store_url)
    marsad.run([str(tmp_path / "late.jsonl")], store)
    first_story = store.get_article(late["id"])["story_id"]
    report = marsad.run([str(tmp_path / "early.jsonl")], store)
    assert (report.stored, report.copies, report.replaced) == (1, 0, 1)
    rows = {r["id"]: r for r in store.iter_articles()}
    assert rows[early["id"]]["duplicate_of"] is None
    assert rows[late["id"]]["duplicate_of"] == early["id"]
    assert rows["SK-refiled"]["duplicate_of"] == early["id"]
    story = store.get_story(rows[early["id"]]["story_id"])
    assert story["n_articles"] == 1 and story["n_copies"] == 2
    assert {c["id"] for c in story["articles"][0]["copies"]} == {late["id"], "SK-refiled"}
    assert all(r["story_id"] == story["id"] for r in rows.values())
    assert store.get_story(first_story)["id"] == story["id"]  # the emptied story's id still leads there
    reasons = [r[0] for r in fetch_rows(store_url, "SELECT reason FROM story_merges")]
    assert reasons and "earlier-published" in reasons[0]
    assert set(fetch_rows(store_url, "SELECT root FROM minhashes")) == {(early["id"],)}
    # counted as if Al Arabiya's page had come first: one document, its terms
    alone = marsad.open_store(str(tmp_path / "alone.db"))
    marsad.run([str(tmp_path / "early.jsonl")], alone)
    n_docs, df = store.term_df()
    assert (n_docs, {t: n for t, n in df.items() if n}) == alone.term_df()
    alone.close()
    store.close()


def test_a_run_that_groups_no_stories_makes_no_story_vectors_and_still_finds_every_copy(monkeypatch, tmp_path):
    # the story index's term vector was a quarter of the time of an ingest without stories
    import marsad.pipeline as pipeline
    from marsad.settings import IngestSettings

    def no_vector(*args, **kwargs):
        raise AssertionError("a story vector was made for a run without stories")

    monkeypatch.setattr(pipeline, "article_vector", no_vector)
    store = marsad.open_store(str(tmp_path / "flat.db"))
    try:
        report = marsad.run([str(SAMPLE)], store, ingest_settings=IngestSettings(cluster=False, workers=1))
        assert report.stored > 0 and report.copies > 0
        assert store.counts()["stories"] == 0
    finally:
        store.close()
    monkeypatch.undo()

    prepared = pipeline.prepare(marsad.Article(id="x", path="p", body="قال المشير خليفة حفتر إن الجيش"))
    assert "vector" in prepared.derived  # made by default, for runs that group stories
