"""Latency of the web app on a big database: the stories page, a story page, search (page and API).

Starts a real ``marsad serve`` (uvicorn) on a free 127.0.0.1 port over ``--db`` and times
sequential HTTP requests from this process. The database defaults to one built from
``../shared/data/ant-full/articles.jsonl.gz`` (31,525 articles of the ANT corpus: Chouigui,
Ben Khiroun & Elayeb, AJSE 46(8), 2021), ingested once when the file is missing (a few minutes).
Prints p50/p95 per request kind; asserts nothing.

    python benchmarks/web.py [--db /tmp/marsad-ant-full.db] [--n 50]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from marsad import __version__

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "data" / "ant-full" / "articles.jsonl.gz"
# Searches a reader of this corpus (2018–2019 news) might type, common and rare words, one phrase.
QUERIES = ["ترامب", "الحكومة", "الاماراتيه", "مجلس الأمن", '"وزير الخارجية"', "كرة القدم الجزائر", "حفتر"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[float, int, bytes]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
        status = r.status
    return (time.perf_counter() - t0) * 1000, status, body


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   (n={len(ms)})"


@contextmanager
def serving(db: Path | str) -> Iterator[str]:
    """A `marsad serve` over ``db`` on a free port of 127.0.0.1, answering; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                get(base + "/api/v1/outlets")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/marsad-ant-full.db")
    ap.add_argument("--n", type=int, default=50, help="requests per kind")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        print(f"ingesting {CORPUS} into {db} (once) …", flush=True)
        subprocess.run([sys.executable, "-m", "marsad", "ingest", str(CORPUS), "--db", str(db)], check=False)
    with serving(db) as base:
        counts = json.loads(get(base + "/api/v1/outlets")[2])["outlets"]
        print(f"Marsad {__version__} · Python {platform.python_version()} · {platform.machine()} · "
              f"{os.cpu_count()} cores · {db} ({sum(o['n_articles'] for o in counts):,} articles, "
              f"{len(counts)} outlets)")
        # A story many outlets covered (from the first page of stories), for the story page.
        stories = json.loads(get(base + "/api/v1/stories?limit=100")[2])["stories"]
        story = max(stories, key=lambda s: (len(s["outlets"]), s["n_articles"]))
        print(f"story page: {story['id']} ({story['n_articles']} articles, {len(story['outlets'])} outlets)")
        cold, status, _ = get(f"{base}/stories/{story['id']}")
        kinds = {
            "stories page  /": lambda i: f"{base}/?offset={(i % 5) * 20}",
            "story page    /stories/{id} (comparison cached)": lambda i: f"{base}/stories/{story['id']}",
            "story API     /api/v1/stories/{id}": lambda i: f"{base}/api/v1/stories/{story['id']}",
            "search page   /search?q=": lambda i: f"{base}/search?q={quote(QUERIES[i % len(QUERIES)])}",
            "search API    /api/v1/search?q=": lambda i: f"{base}/api/v1/search?q={quote(QUERIES[i % len(QUERIES)])}",
        }
        for name, url_of in kinds.items():
            get(url_of(0))                                     # warm-up
            ms = []
            for i in range(args.n):
                t, status, _ = get(url_of(i))
                assert status == 200, (name, status)
                ms.append(t)
            print(f"{name:50s} {percentiles(ms)}")
        print(f"{'story page, first request (computes the comparison)':50s} {cold:6.1f} ms")
        for q in QUERIES:
            body = json.loads(get(f"{base}/api/v1/search?q={quote(q)}")[2])
            print(f"  search {q!r}: {body['total']['articles']} articles in {body['total']['stories']} stories")


if __name__ == "__main__":
    main()
