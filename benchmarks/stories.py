"""How the cost of ingest + story clustering grows with corpus size.

Ingests the first N articles of the ANT corpus (../shared/data/ant-full/articles.jsonl.gz,
31,525 articles; Chouigui, Ben Khiroun, Elayeb, AJSE 46(8), 2021) into a fresh SQLite
database, for N = 1k, 2k, 4k, 8k, 16k and all, each in its own process, and prints
articles/second, milliseconds per article (wall, and CPU: what to compare on a shared machine)
and peak memory (max RSS). For the largest size it then prints how long and how big the stories are: the span from first to last
article (hours) and the articles per story, as percentiles, with the longest stories.
No assertions.

    python benchmarks/stories.py [--sizes 1000,2000,...] [--corpus PATH] [--scorer model|cosine]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "ant-full" / "articles.jsonl.gz"


def spans(rows: list[dict]) -> dict:
    """Span (hours from first to last article) and size of every story, from the stored articles.

    A story's span is that of its own articles, as the story's first and last publication times
    are; copies (an outlet filing a text again, exactly or nearly) follow their original wherever it
    is and are counted apart: how many were published more than a day outside their story's span.
    """
    from marsad.article import timestamp
    from marsad.clean.dates import parse_date

    by_story: dict[str, list[float]] = {}
    titles: dict[str, str] = {}
    copies: list[tuple[str, float]] = []
    for r in rows:
        if r["story_id"] and r["published"]:
            ts = timestamp(parse_date(r["published"]))
            if r["duplicate_of"]:
                copies.append((r["story_id"], ts))
                continue
            by_story.setdefault(r["story_id"], []).append(ts)
            titles.setdefault(r["story_id"], r["title"] or "")
    stats = sorted(((max(ts) - min(ts)) / 3600, len(ts), sid) for sid, ts in by_story.items())
    far = sum(1 for sid, ts in copies if sid in by_story
              and not min(by_story[sid]) - 86400 <= ts <= max(by_story[sid]) + 86400)
    return {"spans": [h for h, _, _ in stats], "sizes": sorted(n for _, n, _ in stats),
            "longest": [(h, n, titles[sid]) for h, n, sid in stats[-5:]], "copies": len(copies), "far_copies": far}


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: on a shared machine, what the wall time would be
    without the others (the run's own processes do not overlap much: one orders and writes, workers read)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def one(corpus: Path, n: int, scorer: str, with_spans: bool) -> dict:
    """Run in a child process: ingest the first n articles, report time and memory."""
    sys.path.insert(0, str(REPO))
    import marsad
    from marsad.settings import StorySettings

    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "part.jsonl"
        with gzip.open(corpus, "rt", encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
        store = marsad.open_store(str(Path(tmp) / "bench.db"))
        start, cpu0 = time.perf_counter(), _cpu()
        report = marsad.run([str(part)], store, story_settings=StorySettings(scorer=scorer))
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu0
        counts = store.counts()
        shape = spans(store.iter_articles()) if with_spans else None
        store.close()
    return {"n": report.read, "seconds": seconds, "cpu": cpu, "stories": counts["stories"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "shape": shape}


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def print_shape(shape: dict) -> None:
    sp, sz = shape["spans"], shape["sizes"]
    print(f"# story span, hours: p50 {_pct(sp, .5):.1f} · p90 {_pct(sp, .9):.1f} · p99 {_pct(sp, .99):.1f} · "
          f"max {sp[-1]:.1f} · over 96 h: {sum(1 for h in sp if h > 96)}")
    print(f"# original articles per story: p50 {_pct(sz, .5)} · p90 {_pct(sz, .9)} · p99 {_pct(sz, .99)} · max {sz[-1]} · "
          f"stories of 20 or more: {sum(1 for n in sz if n >= 20)}")
    print(f"# copies: {shape['copies']:,}, of which {shape['far_copies']} published more than a day outside "
          "their story's span (they follow their original)")
    for h, n, title in reversed(shape["longest"]):
        print(f"#   {h:6.1f} h  {n:4d} articles  {title[:70]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sizes", default="1000,2000,4000,8000,16000,0", help="0 means the whole corpus")
    ap.add_argument("--scorer", default="model", choices=["model", "cosine"],
                    help="how articles are matched with stories (StorySettings.scorer)")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--spans", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(one(args.corpus, args.child or 10**9, args.scorer, args.spans)))
        return
    import marsad

    print(f"# marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · corpus {args.corpus.name} · scorer {args.scorer}")
    print(f"{'articles':>9} {'seconds':>8} {'art/s':>7} {'ms/art':>7} {'CPU ms/art':>10} {'stories':>8} {'peak MB':>8} "
          f"{'load':>5}")
    sizes = [int(s) for s in args.sizes.split(",")]
    last = sizes.index(0) if 0 in sizes else sizes.index(max(sizes))
    shape = None
    for k, size in enumerate(sizes):
        cmd = [sys.executable, __file__, "--corpus", str(args.corpus), "--child", str(size), "--scorer", args.scorer]
        out = subprocess.run(cmd + (["--spans"] if k == last else []), check=True, capture_output=True,
                             text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        shape = r["shape"] or shape
        print(f"{r['n']:>9,} {r['seconds']:>8.1f} {r['n'] / r['seconds']:>7.0f} "
              f"{1000 * r['seconds'] / r['n']:>7.2f} {1000 * r['cpu'] / r['n']:>10.2f} {r['stories']:>8,} "
              f"{r['peak_mb']:>8.0f} {os.getloadavg()[0]:>5.1f}", flush=True)
    if shape:
        print_shape(shape)


if __name__ == "__main__":
    main()
