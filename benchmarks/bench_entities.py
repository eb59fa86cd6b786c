"""Actor extraction speed and output on a labelled ANT window.

    python benchmarks/bench_entities.py [--split dev] [--report]

Prints articles per second of actor extraction (every article scanned and linked on
its own, one core) and the speed of whole-story linking over the gold stories. With
``--report``: the twenty most frequent actors over the window and twenty rows of
per-outlet labels. Data: ANT (A. Chouigui, O. Ben Khiroun, B. Elayeb, Arabian Journal
for Science and Engineering 46(8), 2021) in ../shared/data/ant-stories, read in place.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import marsad  # noqa: E402
from marsad.entities import story_entities  # noqa: E402
from marsad.entities.resolve import analyse  # noqa: E402
from marsad.normalize import fold_for_match  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant-stories"


def load(split: str) -> tuple[list[dict], dict[str, str]]:
    articles = []
    with open(ROOT / split / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            articles.append({"id": o["id"], "outlet": o.get("source"), "title": o.get("title"),
                             "body": o.get("text") or "", "published": o.get("date")})
    gold = {}
    with open(ROOT / split / "labels.jsonl", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            gold[o["id"]] = o["story"]
    return articles, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--report", action="store_true", help="print top actors and label rows")
    args = ap.parse_args()
    articles, gold = load(args.split)
    analyse(articles[:2])  # load the language data once, outside the timing
    # CPU time of this process: the figure for one core, even on a machine others share
    t0 = time.process_time()
    for a in articles:
        analyse([a])
    per_article = time.process_time() - t0
    stories: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        stories[gold.get(a["id"], a["id"])].append(a)
    t0 = time.process_time()
    results = {sid: story_entities(arts) for sid, arts in stories.items()}
    per_story = time.process_time() - t0
    chars = sum(len(a["body"]) for a in articles)
    print(f"marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()}")
    print(f"{args.split}: {len(articles)} articles, {chars / len(articles):,.0f} characters each on average")
    print(f"actor extraction, article by article: {len(articles) / per_article:,.0f} articles/s (CPU time, one core)")
    print(f"story_entities over {len(stories)} gold stories: {len(articles) / per_story:,.0f} articles/s (CPU time)")
    if not args.report:
        return
    freq: Counter[tuple[str, str]] = Counter()
    arts: Counter[tuple[str, str]] = Counter()
    for r in results.values():
        for actor in r["actors"]:
            freq[(actor["name"], actor["type"])] += actor["mentions"]
            arts[(actor["name"], actor["type"])] += len(actor["articles"])
    print("\ntwenty most frequent actors (mentions, articles):")
    for (name, kind), n in freq.most_common(20):
        print(f"  {n:4d} {arts[(name, kind)]:3d}  {kind:12s} {name}")
    outlet = {a["id"]: a["outlet"] for a in articles}
    rows = []
    for sid, r in results.items():
        for actor in r["actors"]:
            per_outlet: dict[str, list[str]] = {}
            for aid, labels in actor["labels"].items():
                for label in labels:
                    if fold_for_match(label) == fold_for_match(actor["name"]):
                        continue   # a body's own name is no descriptor
                    if label not in per_outlet.setdefault(outlet[aid], []):
                        per_outlet[outlet[aid]].append(label)
            per_outlet = {o: ls for o, ls in per_outlet.items() if ls}
            for out, labels in per_outlet.items():
                rows.append((-len(per_outlet), sid, actor["name"], out, labels))
    rows.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    print("\nlabels per outlet, actors labelled by several outlets first, at most 6 rows a story"
          " (story | actor | outlet: labels):")
    shown: Counter[str] = Counter()
    for _, sid, name, out, labels in rows:
        if shown[sid] < 6 and sum(shown.values()) < 20:
            shown[sid] += 1
            print(f"  {sid} | {name} | {out}: {' · '.join(labels)}")


if __name__ == "__main__":
    main()
