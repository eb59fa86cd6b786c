"""How the cost of ingest + story clustering grows with corpus size.

Ingests the first N articles of the ANT corpus (../shared/data/ant-full/articles.jsonl.gz,
31,525 articles; Chouigui, Ben Khiroun, Elayeb, AJSE 46(8), 2021) into a fresh SQLite
database, for N = 1k, 2k, 4k, 8k, 16k and all, each in its own process, and prints
articles/second, milliseconds per article and peak memory (max RSS). No assertions.

    python benchmarks/stories.py [--sizes 1000,2000,...] [--corpus PATH]
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


def one(corpus: Path, n: int) -> dict[str, float]:
    """Run in a child process: ingest the first n articles, report time and memory."""
    sys.path.insert(0, str(REPO))
    import marsad

    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "part.jsonl"
        with gzip.open(corpus, "rt", encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
        store = marsad.open_store(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        report = marsad.run([str(part)], store)
        seconds = time.perf_counter() - start
        counts = store.counts()
        store.close()
    return {"n": report.read, "seconds": seconds, "stories": counts["stories"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sizes", default="1000,2000,4000,8000,16000,0", help="0 means the whole corpus")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(one(args.corpus, args.child or 10**9)))
        return
    import marsad

    print(f"# marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · corpus {args.corpus.name}")
    print(f"{'articles':>9} {'seconds':>8} {'art/s':>7} {'ms/art':>7} {'stories':>8} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--corpus", str(args.corpus), "--child", str(size)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['n']:>9,} {r['seconds']:>8.1f} {r['n'] / r['seconds']:>7.0f} "
              f"{1000 * r['seconds'] / r['n']:>7.2f} {r['stories']:>8,} {r['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
