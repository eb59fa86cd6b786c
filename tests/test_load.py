"""A small load run (benchmarks/load.py runs 50 users for 60 s on all of ant-full): locust users reading the
front page, story pages, search and the API of `marsad serve`; no error, memory bounded, database untouched."""
from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest

from reliability import REPO, assert_check_clean
from webdb import build_web_db

pytestmark = pytest.mark.skipif(shutil.which("locust") is None or not sys.platform.startswith("linux"),
                                reason="needs locust (the test extra) and /proc")


def test_readers_under_load_get_no_error(tmp_path, seeds):
    spec = importlib.util.spec_from_file_location("load", REPO / "benchmarks" / "load.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules["load"] = load
    spec.loader.exec_module(load)
    db = str(build_web_db(tmp_path / "web.db", seeds))
    result = load.run_load(db, users=5, seconds=8, spawn_rate=5)
    assert result.requests >= 10
    assert result.failures == 0, result.failures_text
    assert len({row["Name"] for row in result.rows}) >= 4  # several kinds of page and API call (drawn at random)
    assert max(result.memory_mb) < 1024
    assert_check_clean(db)
