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
    false_matches, missed = [], []
    for page in originals:
        copy = by_path.get(f"copy-{page.name}")
        if copy is None:  # an exact copy of an exact copy is the same file content: stored once
            continue
        target = by_path[page.name]
        root = target["duplicate_of"] or target["id"]
        if copy["duplicate_of"] is None:
            missed.append(page.name)
        elif copy["duplicate_of"] != root:
            false_matches.append((page.name, ids[copy["duplicate_of"]]))
    assert missed == [] and false_matches == []
    originals_linked = [r for r in rows if not Path(r["path"]).name.startswith("copy-") and r["duplicate_of"]]
    assert {Path(r["path"]).name for r in originals_linked} == {"sanabil-02.txt", "sanabil-05.txt"}
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
