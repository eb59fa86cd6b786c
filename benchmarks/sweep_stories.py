"""Sweep story-clustering settings on a labelled window and print B-cubed / pairwise scores.

Reproduces the choice of the values in ``marsad/settings.py`` (StorySettings):

    python benchmarks/sweep_stories.py --set join_threshold=0.25,0.3,0.35 --set lead_words=80,150
    python benchmarks/sweep_stories.py --warm-days 7      # as a database that has run for a week

Each combination ingests the window into a fresh temporary SQLite database, so the
numbers are those of a real ``marsad ingest`` + ``marsad eval stories``. With
``--warm-days D`` the database first takes the D days of ../shared/data/ant-full before the
window (ending ``--warm-gap-hours`` before its first article), as a Marsad that has been
running would have them; only the window's articles are scored. Data: the
ANT corpus windows in ../shared/data/ant-stories (Chouigui, Ben Khiroun, Elayeb,
AJSE 46(8), 2021). Choose settings leave-one-window-out
(``marsad eval stories --cross-windows``), not on one window's score.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from dataclasses import fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import marsad  # noqa: E402
from marsad.evaluate import read_gold, score  # noqa: E402
from marsad.settings import StorySettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant-stories"
FULL = ROOT.parent / "ant-full" / "articles.jsonl.gz"
SAMPLE = Path(__file__).resolve().parents[1] / "marsad" / "data" / "sample"


def sample_f1(settings: StorySettings) -> float:
    """B-cubed F1 of the invented sample corpus against its GROUPS.json (its test demands 1.0)."""
    import json

    groups = json.loads((SAMPLE / "GROUPS.json").read_text(encoding="utf-8"))
    gold = {m: k for k, s in groups["stories"].items() for m in s["members"]}
    with tempfile.TemporaryDirectory() as tmp:
        store = marsad.open_store(str(Path(tmp) / "sample.db"))
        marsad.run([str(SAMPLE / d) for d in ("txt", "html", "jsonl")], store, story_settings=settings)
        rows = store.iter_articles()
        store.close()
    pred = {(r["id"] if r["record"] else f"{Path(r['path']).parent.name}/{Path(r['path']).name}"): r["story_id"]
            for r in rows}
    return score(pred, gold)["bcubed"]["f1"]


def earlier_articles(window: Path, days: float, gap_hours: float, out: Path) -> int:
    """Write to ``out`` the ant-full articles of the ``days`` before the window's first one
    (ending ``gap_hours`` before it; the window's own articles left out); returns how many."""
    import gzip
    import json

    from marsad.article import timestamp
    from marsad.clean.dates import parse_date

    def ts_of(record: dict) -> float | None:
        try:
            return timestamp(parse_date(record["date"])) if record.get("date") else None
        except ValueError:
            return None

    own = [json.loads(line) for line in window.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = {r["id"] for r in own}
    start = min(t for t in map(ts_of, own) if t is not None)
    until, since = start - gap_hours * 3600, start - gap_hours * 3600 - days * 86400
    n = 0
    with gzip.open(FULL, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            ts = ts_of(record)
            if record["id"] not in ids and ts is not None and since <= ts < until:
                dst.write(line if line.endswith("\n") else line + "\n")
                n += 1
    return n


def run_once(articles: Path, settings: StorySettings, before: Path | None = None
             ) -> tuple[dict[str, str], dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = marsad.open_store(str(Path(tmp) / "sweep.db"))
        if before is not None:
            marsad.run([str(before)], store, story_settings=settings)
        marsad.run([str(articles)], store, story_settings=settings)
        rows = store.iter_articles()
        store.close()
    return ({r["id"]: r["story_id"] for r in rows},
            {r["id"]: r.get("thread_id") or r["story_id"] for r in rows})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--window", default="dev", help="ant-stories window with labels.jsonl (default dev)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2",
                    help="a StorySettings field and the values to try")
    ap.add_argument("--warm-days", type=float, default=0.0,
                    help="first ingest this many days of ant-full before the window (default 0: a new database)")
    ap.add_argument("--warm-gap-hours", type=float, default=0.0,
                    help="those days end this many hours before the window's first article")
    args = ap.parse_args()
    types = {f.name: f.type for f in fields(StorySettings)}
    grid: dict[str, list[object]] = {}
    for item in args.set:
        name, values = item.split("=", 1)
        if name not in types:
            ap.error(f"unknown setting {name!r}; known: {', '.join(types)}")
        cast = {"int": int, int: int, "str": str, str: str}.get(types[name], float)
        grid[name] = [cast(v) for v in values.split(",")]
    folder = ROOT / args.window
    with tempfile.TemporaryDirectory() as tmp:
        before = None
        if args.warm_days > 0:
            before = Path(tmp) / "before.jsonl"
            n = earlier_articles(folder / "articles.jsonl", args.warm_days, args.warm_gap_hours, before)
            print(f"# warm start: {n:,} articles of the {args.warm_days:g} days before the window "
                  f"(ending {args.warm_gap_hours:g} h before it) ingested first", flush=True)
        sweep(grid, folder, before)


def sweep(grid: dict[str, list[object]], folder: Path, before: Path | None) -> None:
    """One row of scores per combination of the grid's values."""
    story_gold = read_gold(str(folder / "labels.jsonl"), "story")
    topic_gold = read_gold(str(folder / "labels.jsonl"), "topic")
    names = list(grid)
    print("\t".join(names + ["stories", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1", "thread B3 F1",
                             "thread pair F1", "sample B3 F1"]))
    for combo in itertools.product(*(grid[n] for n in names)) if names else [()]:
        settings = replace(StorySettings(), **dict(zip(names, combo)))
        stories, threads = run_once(folder / "articles.jsonl", settings, before)
        s = score(stories, story_gold)
        t = score(threads, topic_gold)
        print("\t".join([str(v) for v in combo] + [str(s["predicted_stories"])] +
                        [f"{s[k][m]:.3f}" for k in ("bcubed", "pairwise") for m in ("precision", "recall", "f1")] +
                        [f"{t['bcubed']['f1']:.3f}", f"{t['pairwise']['f1']:.3f}",
                         f"{sample_f1(settings):.3f}"]), flush=True)


if __name__ == "__main__":
    main()
