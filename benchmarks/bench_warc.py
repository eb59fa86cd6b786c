"""WARC input speed and memory: pages/s and peak memory for N pages, to show memory stays flat.

Builds a WARC.gz of N pages from real ANT articles (../shared/data/ant-full, read in place;
each article's text wrapped in a simple HTML page, one in ten pages a home or tag page
and one in twenty an image, as in a crawl), then in a fresh process per N:

- read: the WARC reader alone (decode + trafilatura + cleaning), pages/s and the peak
  of Python allocations (tracemalloc) while streaming;
- ingest: the whole pipeline into a new SQLite file (dedup, stories), pages/s and
  peak resident memory (ru_maxrss) of the process.

    python benchmarks/bench_warc.py                 # N = 1000 and 5000
    python benchmarks/bench_warc.py --n 2000 --n 8000
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
import tracemalloc
from html import escape
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "data" / "ant-full" / "articles.jsonl.gz"


def build_warc(path: Path, n: int) -> dict[str, int]:
    """A WARC.gz of ``n`` response records from the first ANT articles; returns what it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    kinds = {"article": 0, "listing": 0, "image": 0}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src, open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            if i % 20 == 19:
                kinds["image"] += 1
                url, ctype, body = f"https://img.example.com/{i}.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" * 2000
            else:
                a = json.loads(next(src))
                paras = "".join(f"<p>{escape(p)}</p>" for p in a["text"].split("\n") if p.strip())
                title = escape(a["title"] or "")
                listing = i % 10 == 9
                kinds["listing" if listing else "article"] += 1
                host = (a.get("source") or "example").lower()
                url = (f"https://www.{host}.com/tag/{i}" if listing else f"https://www.{host}.com/news/{i}/{a['id']}")
                ctype = "text/html; charset=utf-8"
                body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
                        f'<meta property="article:published_time" content="{a["date"]}"></head><body>'
                        f'<nav><a href="/">الرئيسية</a></nav><article><h1>{title}</h1>{paras}</article>'
                        f"<footer>© {host}</footer></body></html>").encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=http))
    return kinds


def measure_read(path: Path) -> dict[str, float]:
    from marsad.io.readers.warc import read_warc

    tracemalloc.start()
    started = time.perf_counter()
    n = articles = 0
    for item in read_warc(path, path.name):
        n += 1
        articles += not isinstance(item, Exception)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"pages": n, "articles": articles, "seconds": seconds, "peak_python_mb": peak / 2**20}


def measure_ingest(path: Path, db: Path) -> dict[str, float]:
    import marsad

    store = marsad.open_store(str(db))
    started = time.perf_counter()
    report = marsad.run([str(path)], store)
    seconds = time.perf_counter() - started
    store.close()
    return {"stored": report.stored, "skipped": sum(report.skipped.values()), "failed": report.n_failed,
            "seconds": seconds, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one(n: int, mode: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"ant-{n}.warc.gz"
        build_warc(path, n)
        size_mb = path.stat().st_size / 2**20
        if mode == "read":
            out = measure_read(path)
        else:
            out = measure_ingest(path, Path(tmp) / "bench.db")
        out["warc_mb"] = size_mb
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, action="append", help="pages in the WARC (repeatable)")
    ap.add_argument("--one", choices=("read", "ingest"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.n[0], args.one)))
        return
    import marsad

    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · {time.strftime('%Y-%m-%d')}")
    print(f"corpus: {CORPUS} (ANT corpus, Chouigui et al. 2021)")
    print(f"{'N':>6} {'WARC MB':>8} {'mode':>7} {'pages/s':>8} {'kept':>6} {'skipped':>8} {'peak MB':>8}")
    for n in args.n or [1000, 5000]:
        for mode in ("read", "ingest"):
            raw = subprocess.run([sys.executable, __file__, "--n", str(n), "--one", mode],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(raw.strip().splitlines()[-1])
            if mode == "read":
                kept, skipped, peak = r["articles"], r["pages"] - r["articles"], f"{r['peak_python_mb']:.1f} py"
            else:
                kept, skipped, peak = r["stored"], r["skipped"], f"{r['max_rss_mb']:.0f} rss"
            print(f"{n:>6} {r['warc_mb']:>8.1f} {mode:>7} {n / r['seconds']:>8.0f} {kept:>6} {skipped:>8} "
                  f"{peak:>8}")


if __name__ == "__main__":
    main()
