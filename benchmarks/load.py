"""Load: locust, headless and bounded, against `marsad serve` on a database; prints errors, p50/p95/p99 per kind
of request and the server's memory over the run.

    python benchmarks/load.py --db /tmp/marsad-ant-full.db             # 50 users for 60 s
    python benchmarks/load.py --db news.db --users 5 --seconds 10

Build the database of all of ant-full first (ANT corpus: A. Chouigui, O. Ben Khiroun, B. Elayeb, Arabian
Journal for Science and Engineering 46(8), 2021; read in place):

    marsad ingest ../shared/data/ant-full/articles.jsonl.gz --db /tmp/marsad-ant-full.db
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = REPO / "benchmarks" / "locustfile.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class LoadResult:
    users: int
    seconds: float
    requests: int = 0
    failures: int = 0
    rows: list[dict[str, str]] = field(default_factory=list)   # locust's stats, one row per request name
    memory_mb: list[float] = field(default_factory=list)       # server RSS once a second
    failures_text: str = ""

    @property
    def total(self) -> dict[str, str]:
        return next(r for r in self.rows if r["Name"] == "Aggregated")


def serve(db: str, port: int) -> subprocess.Popen:
    """`marsad serve` on ``db``, once it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"marsad serve exited: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("marsad serve did not start within 120 s")


def run_load(db: str, users: int, seconds: float, spawn_rate: float = 10.0) -> LoadResult:
    """Serve ``db``, run ``users`` locust users for ``seconds``, stop the server; what locust measured."""
    port = free_port()
    server = serve(db, port)
    result = LoadResult(users, seconds)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            try:
                result.memory_mb.append(rss_mb(server.pid))
            except OSError:
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            done = subprocess.run(["locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r",
                                   str(spawn_rate), "-t", f"{int(seconds)}s", "--host", f"http://127.0.0.1:{port}",
                                   "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                                  capture_output=True, text=True, timeout=seconds + 180)
            with open(prefix + "_stats.csv", newline="", encoding="utf-8") as fh:
                result.rows = list(csv.DictReader(fh))
            failures = Path(prefix + "_failures.csv")
            result.failures_text = failures.read_text(encoding="utf-8") if failures.exists() else ""
            if not result.rows:
                raise RuntimeError(f"locust wrote no statistics:\n{done.stderr[-3000:]}")
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    result.requests = int(result.total["Request Count"])
    result.failures = int(result.total["Failure Count"])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="the database to serve (SQLite file or PostgreSQL URL)")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import marsad

    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')}")
    store = marsad.open_store(args.db)
    counts = store.counts()
    store.close()
    print(f"database: {args.db} ({counts['articles'] + counts['copies']:,} articles, {counts['stories']:,} stories); "
          f"{args.users} users for {args.seconds:g} s")
    r = run_load(args.db, args.users, args.seconds)
    if args.json:
        print(json.dumps(r.__dict__, indent=2, default=str))
    print(f"{'request':<26} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for row in r.rows:
        print(f"{row['Name'][:26]:<26} {row['Request Count']:>6} {row['Failure Count']:>6} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}")
    mem = r.memory_mb
    if mem:
        third = max(1, len(mem) // 3)
        print(f"server memory (RSS): start {mem[0]:.0f} MB, after the first third {mem[third]:.0f} MB, "
              f"end {mem[-1]:.0f} MB, peak {max(mem):.0f} MB")
    if r.failures_text.strip().count("\n"):
        print("failures:\n" + r.failures_text)


if __name__ == "__main__":
    main()
