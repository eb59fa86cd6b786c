"""The acceptance figures of stored analyses on a big database, after `marsad analyze`.

- `marsad actors --json` over the whole database (a fresh process, wall time) and how much of the
  database its actors cover (stories analysed, articles in them);
- the story page of the biggest story: the first request after the server starts, then ``--n``
  sequential requests (there is no in-memory cache: every request reads the stored analysis, so
  each is what a first view costs), p50 and p95; and ``/api/v1/actors`` pages.

On ``../shared/data/ant-full`` (the ANT corpus: A. Chouigui, O. Ben Khiroun, B. Elayeb, Arabian
Journal for Science and Engineering 46(8), 2021), ingested and analysed beforehand:

    marsad ingest ../shared/data/ant-full/articles.jsonl.gz --db /tmp/ant.db && marsad analyze --db /tmp/ant.db
    python benchmarks/analyses.py --db /tmp/ant.db

Prints figures with the load average; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from web import get, percentiles, serving  # noqa: E402

import marsad  # noqa: E402
from marsad.analysis import ANALYSIS_VERSION  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    store = marsad.open_store(args.db)
    counts = store.counts()
    stale = store.stale_analyses(ANALYSIS_VERSION)
    (big, size), = store.largest_stories(1)
    store.close()
    print(f"marsad {marsad.__version__} · {args.db}: {counts['articles']:,} articles, {counts['stories']:,} stories, "
          f"{len(stale):,} not analysed · load {load()} · {time.strftime('%Y-%m-%d %H:%M')}")

    t0, cpu0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-m", "marsad", "actors", "--json", "--db", args.db],
                         capture_output=True, check=True).stdout
    seconds, cpu1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime  # what a quiet machine's wall time nears
    actors = json.loads(out)
    print(f"marsad actors --json: {seconds:.2f} s wall, {cpu:.2f} s CPU (a fresh process), {len(actors):,} actors, "
          f"{sum(a['articles'] for a in actors):,} actor-article pairs, {len(out) / 1e6:.1f} MB · load {load()}")

    with serving(args.db) as base:
        first, status, body = get(f"{base}/stories/{big}")
        print(f"biggest story {big} ({size} articles): first request after start {first:.1f} ms "
              f"(status {status}, {len(body) / 1e3:.0f} kB)")
        for name, url in ((f"story page /stories/{big}", f"{base}/stories/{big}"),
                          (f"story API /api/v1/stories/{big}", f"{base}/api/v1/stories/{big}"),
                          (f"compare API /api/v1/stories/{big}/compare", f"{base}/api/v1/stories/{big}/compare"),
                          ("actors API /api/v1/actors?limit=100", f"{base}/api/v1/actors?limit=100")):
            ms = [get(url)[0] for _ in range(args.n)]
            print(f"{name:55s} {percentiles(ms)} · load {load()}")


if __name__ == "__main__":
    main()
