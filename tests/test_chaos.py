"""A small kill campaign (benchmarks/chaos.py runs the full one): Marsad killed with SIGKILL at random moments
of ingest (JSONL, WARC, a folder of pages; 1 and 2 workers) and of watch, on SQLite and PostgreSQL, then run
again: every article stored exactly once, `marsad check` clean, no process left behind."""
from __future__ import annotations

import importlib.util
import random
import sys

import pytest

from reliability import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; forks")


def load_chaos():
    spec = importlib.util.spec_from_file_location("chaos", REPO / "benchmarks" / "chaos.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# (target, backend, kills): 10 kills; the reference run of each target is made once, on SQLite. The ingests
# leave the analysis to the analyze target here (the benchmark kills ingests that analyse too).
PLAN = [("jsonl-w2", "sqlite", 2), ("warc-w2", "sqlite", 2), ("pages-w1", "sqlite", 1), ("watch", "sqlite", 1),
        ("analyze", "sqlite", 2), ("jsonl-w2", "postgresql", 1), ("watch", "postgresql", 1)]


def test_killed_runs_resume_with_every_article_once_and_a_clean_check(tmp_path, request):
    chaos = load_chaos()
    launcher = chaos.ForkLauncher(tmp_path)
    sites: list = []
    targets = {t.name: t for t in chaos.make_targets(tmp_path, 24, sorted({t for t, _, _ in PLAN}), sites,
                                                     ingest_options=("--no-analyze",))}
    counter = iter(range(1000))
    new_db = {"sqlite": lambda: str(tmp_path / f"chaos-{next(counter)}.db"),
              "postgresql": lambda: request.getfixturevalue("pg_server").new_database()}
    rng = random.Random(17)
    try:
        refs = {name: chaos.reference_run(targets[name], new_db["sqlite"], launcher) for name in targets}
        results = [chaos.campaign(targets[name], backend, new_db[backend], kills, rng, launcher, ref=refs[name])
                   for name, backend, kills in PLAN]
    finally:
        for site in sites:
            site.close()
    assert sum(r.kills for r in results) >= 10
    for r in results:
        assert r.ok, f"{r.target} on {r.backend}: {r.problems}"
        assert r.expected >= 20
    assert next(r for r in results if r.target == "analyze").kills == 2
    assert any(r.kills_with_workers for r in results if r.target.endswith("-w2"))
