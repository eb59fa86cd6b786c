"""Worker processes end with their run, however the main process ends."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from pgserver import article_ids
from processes import descendants, kill_all, left_behind
from reliability import assert_check_clean

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_ingest_leaves_no_worker_process_behind(shared, tmp_path, how):
    folder = shared / "data" / "ant-stories"
    sources = [folder / "dev" / "articles.jsonl", folder / "test-news" / "articles.jsonl"]
    db = str(tmp_path / "killed.db")
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "ingest", *map(str, sources), "--db", db,
                             "--workers", "2", "--batch-size", "20"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= descendants(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed"
    assert len(workers) >= 2
    proc.send_signal(how)
    proc.wait()
    left = left_behind(workers, seconds=5)
    kill_all(left)
    assert not left, f"{len(left)} worker processes still running 5 s after the main one died"
    if article_ids(db) is not None:  # the killed run may have died before making its tables
        assert_check_clean(db)
