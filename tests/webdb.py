"""A database for the web and search tests: the seeds, the invented sample corpus and one hostile article."""
from __future__ import annotations

import json
from pathlib import Path

import marsad
from marsad.analysis import analyze
from marsad.pipeline import ingest

SAMPLE = Path(__file__).resolve().parents[1] / "marsad" / "data" / "sample"

# Invented for the tests: a page whose text carries markup that must show as text, never run.
HOSTILE = {
    "id": "hostile-1", "url": "javascript:alert(1)", "source": "منبر الاختبار", "date": "2021-03-02 10:00",
    "title": "وفد <b>الإمارات</b> يزور الميناء",
    "text": ("أعلنت الهيئة الإماراتيّة للموانئ أن وفدًا سيزور الميناء يوم الثلاثاء. "
             "<script>document.title='pwned'</script> "
             "<img src=x onerror=\"document.body.dataset.pwned='yes'\"> "
             "وقال المتحدث إن الزيارة تأتي في إطار التعاون بين البلدين في مجال النقل البحري والتجارة."),
}


def build_web_db(path: Path | str, seeds: Path, folder: Path | None = None) -> Path | str:
    """Ingest the seeds, the sample corpus (when present) and ``HOSTILE`` into ``path`` (a SQLite file, or a
    PostgreSQL URL with ``folder`` to write the hostile article's file in)."""
    hostile = (folder or Path(path).parent) / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    inputs = [str(seeds), str(hostile)]
    if SAMPLE.is_dir():
        inputs += [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    store = marsad.open_store(str(path))
    try:
        ingest(inputs, store)
        analyze(store)   # as `marsad ingest` leaves it: the pages read stored analyses
    finally:
        store.close()
    return path


def seed_story_id(path: Path) -> str:
    """The story holding the two seed articles."""
    store = marsad.open_store(str(path))
    try:
        for row in store.iter_articles():
            if row["path"] and row["path"].endswith("000_fa5338184ecd9d0a.txt"):
                return row["story_id"]
    finally:
        store.close()
    raise AssertionError("seed article not stored")
