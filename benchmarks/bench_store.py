"""Ingest speed on SQLite and on PostgreSQL: the same input, the same pipeline, only the store differs.

Ingests a JSONL file (default: ant-stories dev, 294 articles from the ANT corpus; Chouigui, Ben
Khiroun, Elayeb, AJSE 46(8), 2021) into a fresh database of each backend, ``--repeat`` times, and
prints articles/second for the whole run (parse, clean, dedup, clustering, store) and the seconds
spent inside ``write_batch``. PostgreSQL is a throwaway local server started like the tests'
(``tests/pgserver.py``: initdb in a temporary folder, fsync off) unless ``--pg URL`` names one whose
user may create databases. No assertions.

    python benchmarks/bench_store.py [--input PATH] [--first N] [--repeat 3] [--pg postgresql://user@host/postgres]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

DEV = REPO.parent / "shared" / "data" / "ant-stories" / "dev" / "articles.jsonl"


def one_run(url: str, source: Path) -> tuple[int, float, float]:
    """(articles read, wall seconds, seconds in write_batch) of one ingest into a new store."""
    import marsad

    store = marsad.open_store(url)
    in_store = 0.0
    write = store.write_batch

    def timed(batch):  # type: ignore[no-untyped-def]
        nonlocal in_store
        t = time.perf_counter()
        try:
            return write(batch)
        finally:
            in_store += time.perf_counter() - t

    store.write_batch = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    report = marsad.run([str(source)], store)
    wall = time.perf_counter() - started
    store.close()
    return report.read, wall, in_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEV)
    parser.add_argument("--first", type=int, default=0, help="only the first N lines of the input (.jsonl[.gz])")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default="", help="admin URL of an existing server (default: start one)")
    args = parser.parse_args()

    from pgserver import TestServer

    if args.pg:
        os.environ["MARSAD_TEST_PG"] = args.pg
    server = TestServer()
    server.start()
    try:
        import marsad

        print(f"marsad {marsad.__version__}, Python {platform.python_version()}, {platform.machine()}, "
              f"{os.cpu_count()} cores; input {args.input}")
        with tempfile.TemporaryDirectory() as tmp:
            source = args.input
            if args.first:
                source = Path(tmp) / "first.jsonl"
                opener = gzip.open if args.input.suffix == ".gz" else open
                with opener(args.input, "rt", encoding="utf-8") as src, open(source, "w", encoding="utf-8") as dst:
                    dst.writelines(itertools.islice(src, args.first))
            for backend in ("sqlite", "postgresql"):
                runs = []
                for i in range(args.repeat):
                    url = str(Path(tmp) / f"bench-{i}.db") if backend == "sqlite" else server.new_database()
                    runs.append(one_run(url, source))
                n = runs[0][0]
                wall = statistics.median(r[1] for r in runs)
                in_store = statistics.median(r[2] for r in runs)
                print(f"{backend:10s} {n} articles: {n / wall:7.1f} articles/s (median of {args.repeat}, "
                      f"{wall:.2f} s), write_batch {in_store:.2f} s = {1000 * in_store / n:.2f} ms/article")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
