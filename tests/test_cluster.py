"""The Dask engine gives the store the local engine gives: same articles, copies, stories, threads and
analyses, also when a Dask worker is killed in the middle of the run (the scheduler runs its tasks again).

One LocalCluster of 2 worker processes serves the module; the commands reach it with --scheduler."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import marsad
from marsad.analysis import AnalyzeProgress, analyze, strip_timings
from marsad.cli import main
from marsad.engine import DaskEngine, open_engine
from marsad.pipeline import ingest
from marsad.report import Progress

SAMPLE = Path(marsad.__file__).parent / "data" / "sample"


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    yield local
    local.close()


def cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result


def tables(db: str) -> dict[str, list[tuple]]:
    """What the two engines must agree on, table by table (run times left out)."""
    store = marsad.open_store(db)
    q = store._all
    out = {
        "articles": [tuple(r) for r in q("SELECT id, story_id, duplicate_of, similarity, fingerprint FROM articles "
                                         "ORDER BY id")],
        "stories": [tuple(r) for r in q("SELECT id, title, n_articles, thread_id, merged_into, revision, outlets "
                                        "FROM stories ORDER BY id")],
        "analyses": [tuple(r) for r in q("SELECT story_id, version, revision, entities FROM story_analyses "
                                         "ORDER BY story_id")],
        "compare": [json.dumps(strip_timings(json.loads(r["compare"])), sort_keys=True) for r in
                    q("SELECT compare FROM story_analyses WHERE compare IS NOT NULL ORDER BY story_id")],
        "actors": [tuple(r) for r in q("SELECT * FROM actors ORDER BY id")],
        "actor_outlets": [tuple(r) for r in q("SELECT * FROM actor_outlets ORDER BY actor_id, outlet")],
        "actor_articles": [tuple(r) for r in q("SELECT * FROM actor_articles ORDER BY actor_id, article_id")],
    }
    store.close()
    return out


def shown(db: str) -> dict[str, Any]:
    """`stories --json`, and `show --json` and `compare --json` of every story with something to compare."""
    stories = cli("stories", "--db", db, "--json")
    out: dict[str, Any] = {"stories": stories}
    for s in stories:
        out[s["id"]] = cli("show", s["id"], "--db", db, "--json")
        if len(s["outlets"]) > 1 or s["n_copies"] or s["n_articles"] > 1:
            out[s["id"] + " compare"] = strip_timings(cli("compare", s["id"], "--db", db, "--json"))
    return out


def same_store(local_db: str, dask_db: str) -> None:
    a, b = tables(local_db), tables(dask_db)
    for table in a:
        assert a[table] == b[table], table
    assert shown(local_db) == shown(dask_db)


def test_sample_gives_the_same_store_on_dask_as_locally(cluster, tmp_path: Path):
    sources = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    local, dask = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    done = cli("ingest", *sources, "--db", local, "--workers", "1", "--json")
    on_dask = cli("ingest", *sources, "--db", dask, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                  "--json")
    assert done["stored"] == on_dask["stored"] > 40
    assert done["analysis"]["analysed"] == on_dask["analysis"]["analysed"] > 10
    assert on_dask["analysis"]["engine"] == "dask" and on_dask["analysis"]["workers"] == 2
    same_store(local, dask)


class KillOneWorker(Progress, AnalyzeProgress):
    """Kills one Dask worker process (SIGKILL) the first time the run reports progress: tasks are in flight."""

    def __init__(self, engine: DaskEngine) -> None:
        self.engine, self.killed = engine, []

    def advance(self, *args: Any) -> None:
        if not self.killed:
            address, pid = sorted(self.engine.worker_pids().items())[0]
            os.kill(pid, signal.SIGKILL)
            self.killed.append(address)

    def start(self, *args: Any) -> None: ...


def test_dev_window_gives_the_same_store_on_dask_with_a_worker_killed_mid_ingest_and_mid_analyze(
        cluster, dev: Path, tmp_path: Path, monkeypatch):
    import marsad.io.parallel as parallel

    monkeypatch.setattr(parallel, "JSONL_CHUNK_LINES", 16)   # 19 tasks: some are in flight when the worker dies
    source = str(dev / "articles.jsonl")
    local, dask = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    cli("ingest", source, "--db", local, "--workers", "1", "--batch-size", "40")
    engine = open_engine("dask", scheduler=cluster.scheduler_address)
    store = marsad.open_store(dask)
    try:
        from marsad.settings import IngestSettings

        killer = KillOneWorker(engine)
        report = ingest([source], store, progress=killer, engine=engine,
                        ingest_settings=IngestSettings(batch_size=40))
        assert killer.killed and report.stored == 294 and not report.n_failed
        cluster.wait_for_workers(2, timeout=60)   # the nanny starts the killed worker again
        killer = KillOneWorker(engine)
        done = analyze(store, engine, progress=killer, stories_per_task=4)
        assert killer.killed and done.failed == [] and done.analysed == done.stale > 150
    finally:
        store.close()
        engine.close()
    same_store(local, dask)


@pytest.fixture(scope="session")
def dev(shared: Path) -> Path:
    return shared / "data" / "ant-stories" / "dev"
