"""Helpers shared by the reliability tests: run `marsad check`, write to a database behind Marsad's back."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))  # as conftest.py finds it
SAMPLE = REPO / "marsad" / "data" / "sample"
SAMPLE_DIRS = [SAMPLE / "html", SAMPLE / "jsonl", SAMPLE / "txt"]


def marsad_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad", *args]


def marsad_check(url: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``marsad check --db url`` in a process of its own (what a user runs after a crash)."""
    return subprocess.run(marsad_cmd("check", "--db", url), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


def assert_check_clean(url: str) -> None:
    """Fail with its findings unless ``marsad check`` (run in this process) finds nothing wrong."""
    import marsad
    from marsad.store.check import check_store

    store = marsad.open_store(url)
    try:
        report = check_store(store)
    finally:
        store.close()
    assert report.ok, "marsad check: " + "; ".join(map(str, report.findings))


def execute(url: str, sql: str) -> None:
    """Run one writing statement on either backend, committed."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as con:
            con.execute(sql)
        return
    con = sqlite3.connect(url)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


def run_measured(args: list[str], timeout: float = 300) -> tuple[int, str, float]:
    """``marsad ARGS`` in a process of its own: (exit status, stderr, peak resident memory in MB)."""
    import resource  # noqa: F401  (os.wait4 reports the child's own rusage)
    import tempfile

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(marsad_cmd(*args), stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            _, status, usage = _wait4(proc.pid, timeout)
        except TimeoutError:
            proc.kill()
            proc.wait()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return proc.returncode, err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024


def _wait4(pid: int, timeout: float):
    import time

    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return done, status, usage
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} still running after {timeout:g} s")
        time.sleep(0.05)
