"""Shared fixtures: the shared data folder (read in place, never copied) and a temporary store."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
SAMPLE = REPO / "marsad" / "data" / "sample"


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` beside the repository (``$MARSAD_SHARED`` overrides)."""
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"shared data not found at {SHARED}: clone the repository beside ../shared "
                    "or set MARSAD_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared: Path) -> Path:
    return shared / "seeds"


@pytest.fixture(scope="session")
def expected(seeds: Path) -> dict:
    return json.loads((seeds / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture()
def store(store_url: str):
    """An open store on each backend (the tests using it run once on SQLite, once on PostgreSQL)."""
    import marsad

    s = marsad.open_store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session (see ``pgserver.py``); fails when none can be started."""
    from pgserver import running_server

    with running_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    """A new, empty store on each backend: a SQLite file path, or a PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return request.getfixturevalue("pg_server").new_database()
