"""Time `marsad.compare.compare_story` on a story of N articles of about W words built from real articles.

The articles come from the biggest gold story of the ant-stories dev window (the April 2018
strikes on Syria, 44 articles from 5 outlets; ANT corpus, Chouigui, Ben Khiroun & Elayeb,
AJSE 46(8), 2021), read in place. Each benchmark article is one real article followed by
further articles of the same story until it reaches W words, so outlets share real passages
and claims. Prints figures; asserts nothing.

    python benchmarks/bench_compare.py [--n 20] [--words 600] [--repeat 3] [--encoder auto|tfidf|use]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from pathlib import Path

from marsad import __version__
from marsad.compare import CompareSettings, compare_story
from marsad.compare.text import tokens

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def build_story(n: int, words: int) -> dict:
    dev = SHARED / "data" / "ant-stories" / "dev"
    labels = {r["id"]: r["story"] for r in map(json.loads, (dev / "labels.jsonl").open(encoding="utf-8"))}
    by_story = defaultdict(list)
    for line in (dev / "articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        by_story[labels[a["id"]]].append(a)
    pool = max(by_story.values(), key=len)
    articles = []
    for i in range(n):
        parts, k = [], i
        while sum(len(p.split()) for p in parts) < words:
            parts.append(pool[k % len(pool)]["text"])
            k += 7
        text = " ".join("\n".join(parts).split(" ")[:words])
        src = pool[i % len(pool)]
        articles.append({"id": f"bench-{i}", "outlet": src["source"], "published": src["date"],
                         "title": src["title"], "url": None, "body": text, "copies": []})
    return {"id": "s-bench", "outlets": sorted({a["outlet"] for a in articles}), "articles": articles}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--encoder", default="auto", choices=["auto", "tfidf", "use"])
    args = ap.parse_args()
    story = build_story(args.n, args.words)
    settings = CompareSettings(encoder=args.encoder)
    times, cpu, parts = [], [], []
    for _ in range(args.repeat):
        tokens.cache_clear()  # each run folds the bodies afresh, as a new story would
        t, c = time.perf_counter(), time.process_time()
        result = compare_story(story, {o: [] for o in story["outlets"]}, settings)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        parts.append(result["timings"])
    n_words = sum(len(a["body"].split()) for a in story["articles"])
    print(f"marsad {__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} CPUs")
    print(f"story: {args.n} articles, {n_words} words, {len(story['outlets'])} outlets; encoder {result['encoder']}")
    print(f"compare_story: first run {times[0]:.3f} s (imports, model load), median of {args.repeat} "
          f"{statistics.median(times):.3f} s wall, {statistics.median(cpu):.3f} s CPU "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print("median by part: " + ", ".join(f"{k} {statistics.median(p[k] for p in parts):.3f} s" for k in parts[0])
          + f" (labels from {result['labels'].get('from')})")
    print(f"found: {len(result['copied_passages'])} copied passages, {len(result['same_claims'])} same-claim "
          f"groups, {len(result['only_here'])} only-here sentences, {len(result['summary'])} summary sentences")


if __name__ == "__main__":
    main()
