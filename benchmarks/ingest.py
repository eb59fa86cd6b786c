"""Ingest speed and memory on the whole ANT corpus, from JSONL and from a WARC crawl.

For each configuration, in a fresh process and a fresh SQLite file, prints
articles/s and peak resident memory:

- JSONL (../shared/data/ant-full/articles.jsonl.gz, 31,525 articles): parse + clean +
  dedup without story clustering, and the whole pipeline with clustering; 1 and 2 workers;
- WARC: the first N articles wrapped as HTML pages in WARC.gz response records (four
  files, so worker processes can share them; builder from bench_warc.py), whole pipeline.

Corpus: A. Chouigui, O. Ben Khiroun, B. Elayeb, AJSE 46(8), 2021 (read in place).

    python benchmarks/ingest.py [--n 31525] [--warc-n 4000]
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
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "data" / "ant-full" / "articles.jsonl.gz"


def child(kind: str, path: str, workers: int, cluster: bool) -> dict[str, float]:
    import marsad
    from marsad.settings import IngestSettings

    settings = replace(IngestSettings(), workers=workers, cluster=cluster, parallel_min_bytes=0)
    with tempfile.TemporaryDirectory() as tmp:
        store = marsad.open_store(str(Path(tmp) / "bench.db"))
        paths = sorted(str(p) for p in Path(path).iterdir()) if Path(path).is_dir() else [path]
        start = time.perf_counter()
        report = marsad.run(paths, store, ingest_settings=settings)
        seconds = time.perf_counter() - start
        store.close()
    return {"read": report.read, "seconds": seconds, "skipped": sum(report.skipped.values()),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def first_lines(n: int, dest: Path) -> Path:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src, gzip.open(dest, "wt", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= n:
                break
            out.write(line)
    return dest


def build_warcs(n: int, folder: Path, files: int = 4) -> Path:
    """``files`` WARC.gz files of n/files pages each (bench_warc.build_warc writes the pages)."""
    from bench_warc import build_warc

    folder.mkdir(parents=True, exist_ok=True)
    # build_warc reads from the start of the corpus: one file of n pages, then split by record
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    whole = folder.parent / "whole.warc.gz"
    build_warc(whole, n)
    writers, handles = [], []
    for k in range(files):
        fh = open(folder / f"crawl-{k}.warc.gz", "wb")
        handles.append(fh)
        writers.append(WARCWriter(fh, gzip=True))
    with open(whole, "rb") as fh:
        for i, record in enumerate(ArchiveIterator(fh)):
            writers[i * files // n].write_record(record)
    for fh in handles:
        fh.close()
    whole.unlink()
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=31525, help="JSONL articles (default: all)")
    ap.add_argument("--warc-n", type=int, default=4000, help="WARC pages")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, path, workers, cluster = args.child
        print(json.dumps(child(kind, path, int(workers), cluster == "1")))
        return
    import marsad

    print(f"# marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · {time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = first_lines(args.n, Path(tmp) / "part.jsonl.gz")
        warcs = build_warcs(args.warc_n, Path(tmp) / "warc") if args.warc_n else None
        runs = [("jsonl", jsonl, w, c) for c in (False, True) for w in (1, 2)]
        if warcs:
            runs += [("warc", warcs, w, True) for w in (1, 2)]
        print(f"{'input':<6} {'stories':<8} {'workers':>7} {'articles':>9} {'seconds':>8} {'art/s':>7} {'peak MB':>8}")
        for kind, path, workers, cluster in runs:
            out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), str(workers),
                                  "1" if cluster else "0"], check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{kind:<6} {'yes' if cluster else 'no':<8} {workers:>7} {r['read']:>9,} {r['seconds']:>8.1f} "
                  f"{r['read'] / r['seconds']:>7.0f} {r['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
