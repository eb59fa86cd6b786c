"""Helpers shared by the reliability tests: run `marsad check`, write to a database behind Marsad's back."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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
