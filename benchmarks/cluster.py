"""Ingest and analysis on the local engine and on Dask, and what a cluster would need for more news.

On the ANT corpus (``../shared/data/ant-full/articles.jsonl.gz``, 31,523 articles of five outlets;
A. Chouigui, O. Ben Khiroun, B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on
Single-document Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021):

1. ingest: the first ``--articles`` articles into a fresh SQLite file (``--no-analyze``), with the
   local engine in one process, and on Dask with 1 and 2 worker processes (a LocalCluster here);
2. analyze: ``--stories`` stories (every k-th story of the stories those articles make, so big and
   small ones alike), analysed from the same unanalysed store, with the same three engines;
3. per-task overhead: the round trip of an empty task on each engine;
4. the per-stage costs measured (ms per article: the workers' reading, cleaning and prepare; the
   one ordered consumer's dedup, stories and writes; the analysis per article) and, from them,
   the arithmetic of the workers needed for one million articles a day and a ten-million backfill.

Prints figures with the machine's load average; asserts nothing.

    python benchmarks/cluster.py [--articles 4000] [--stories 300]
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import marsad
from marsad.analysis import analyze
from marsad.engine import DaskEngine, InlineEngine, LocalEngine
from marsad.pipeline import ingest, prepare
from marsad.settings import IngestSettings

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "data" / "ant-full" / "articles.jsonl.gz"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def first_lines(n: int, out: Path) -> Path:
    with gzip.open(CORPUS, "rb") as src, out.open("wb") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def engines(names: list[str]):
    for name in names:
        if name == "local-1":
            yield name, InlineEngine()
        elif name == "local-2":
            yield name, LocalEngine(2)
        else:
            yield name, DaskEngine(None, int(name.split("-")[1]))


def noop(x: int) -> int:
    return x


def task_overhead_ms(engine, n: int = 200) -> float:
    """Mean wall time of an empty task, submitted and awaited one at a time."""
    engine.submit(noop, 0).result()
    t0 = time.perf_counter()
    for i in range(n):
        engine.submit(noop, i).result()
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=4000, help="first N articles of ant-full to ingest")
    ap.add_argument("--stories", type=int, default=300, help="stories to analyse per engine")
    ap.add_argument("--engines", default="local-1,dask-1,dask-2")
    args = ap.parse_args()
    names = args.engines.split(",")
    work = Path(tempfile.mkdtemp(prefix="marsad-cluster-"))
    print(f"marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {load()} · {time.strftime('%Y-%m-%d %H:%M')}")
    source = first_lines(args.articles, work / "first.jsonl")

    # the workers' share of ingest: reading, decoding, cleaning and prepare, in one process
    from marsad.io.readers.jsonl import read_jsonl
    t0 = time.perf_counter()
    n = sum(1 for a in read_jsonl(source, str(source), 0) if hasattr(a, "body") and prepare(a))
    worker_ms = (time.perf_counter() - t0) / n * 1000
    print(f"\nread + clean + prepare (the workers' share), one process: {worker_ms:.2f} ms/article")

    print(f"\n== ingest: first {args.articles:,} articles, --no-analyze, SQLite ==")
    base = None
    ingest_rate: dict[str, float] = {}
    for name, engine in engines(names):
        db = work / f"ingest-{name}.db"
        store = marsad.open_store(str(db))
        t0 = time.perf_counter()
        report = ingest([str(source)], store, engine=engine,
                        ingest_settings=IngestSettings(workers=1 if name == "local-1" else 2, parallel_min_bytes=0))
        seconds = time.perf_counter() - t0
        overhead = task_overhead_ms(engine)
        store.close()
        engine.close()
        ingest_rate[name] = report.read / seconds
        base = base or ingest_rate[name]
        print(f"{name:8} {report.read:6,} articles {seconds:7.1f} s  {ingest_rate[name]:6.1f} articles/s  "
              f"speed-up {ingest_rate[name] / base:4.2f}  empty task {overhead:6.2f} ms  load {load()}")
        if not (work / "base.db").exists():   # the unanalysed store the analysis runs start from
            shutil.copy(db, work / "base.db")
    consumer_ms = 1000 / ingest_rate[names[0]] - worker_ms   # the serial part, with the workers' share taken off

    print(f"\n== analyze: {args.stories} stories of those articles ==")
    store = marsad.open_store(str(work / "base.db"))
    stale = store.stale_analyses(marsad.analysis.ANALYSIS_VERSION)
    store.close()
    step = max(1, len(stale) // args.stories)
    chosen = [sid for sid, _ in stale[::step]][:args.stories]
    base = None
    per_article_ms = 0.0
    for name, engine in engines(names):
        db = work / f"analyze-{name}.db"
        shutil.copy(work / "base.db", db)
        store = marsad.open_store(str(db))
        t0 = time.perf_counter()
        done = analyze(store, engine, story_ids=chosen)
        seconds = time.perf_counter() - t0
        overhead = task_overhead_ms(engine)
        store.close()
        engine.close()
        rate = done.analysed / seconds
        base = base or rate
        if name == names[0]:
            per_article_ms = seconds / max(1, done.articles) * 1000
        print(f"{name:8} {done.analysed:5} stories ({done.articles:,} articles) {seconds:7.1f} s  {rate:6.2f} stories/s  "
              f"{done.articles / seconds:6.1f} articles/s  speed-up {rate / base:4.2f}  empty task {overhead:6.2f} ms  "
              f"load {load()}")

    print("\n== what more news would need (from the costs above, one process each) ==")
    day = 1_000_000 / 86_400
    print(f"one million articles a day = {day:.1f} articles/s on average")
    print(f"ingest, workers' share {worker_ms:.2f} ms/article: {day:.1f} × {worker_ms:.2f} / 1000 = "
          f"{day * worker_ms / 1000:.2f} worker processes busy")
    print(f"ingest, the one ordered consumer {consumer_ms:.2f} ms/article: {day:.1f} × {consumer_ms:.2f} / 1000 = "
          f"{day * consumer_ms / 1000:.2f} of one process (it cannot be split: at most {1000 / consumer_ms:.0f} articles/s)")
    print(f"analysis {per_article_ms:.1f} ms/article: {day:.1f} × {per_article_ms:.1f} / 1000 = "
          f"{day * per_article_ms / 1000:.1f} worker processes busy")
    back = 10_000_000
    print(f"ten-million backfill: the consumer alone takes {back} × {consumer_ms:.2f} ms = "
          f"{back * consumer_ms / 1000 / 3600:.1f} h; reading it in that time takes {back * worker_ms / 1000 / 3600:.1f} "
          f"process-hours ≈ {worker_ms / consumer_ms:.1f} workers; analysing it {back * per_article_ms / 1000 / 3600:.0f} "
          f"process-hours = {back * per_article_ms / 1000 / 3600 / 24:.0f} worker-days "
          f"(e.g. {back * per_article_ms / 1000 / 3600 / 24 / 3:.0f} workers for 3 days)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
