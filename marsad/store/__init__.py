"""Storage behind one interface (``base.Store``); SQLite now, PostgreSQL to follow."""
from __future__ import annotations

import os
from pathlib import Path

from .base import SourceProgress, Store, StoryState
from .sqlite import SqliteStore

DEFAULT_DB = "marsad.db"


def default_db() -> str:
    """``$MARSAD_DB`` or ``marsad.db`` in the current directory."""
    return os.environ.get("MARSAD_DB") or DEFAULT_DB


def open_store(url: str | None = None) -> Store:
    url = url or default_db()
    if url.startswith(("postgresql://", "postgres://")):
        from ..errors import StoreError

        raise StoreError("PostgreSQL storage is not built yet", url, hint="use a SQLite file path")
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    return SqliteStore(Path(url))


__all__ = ["open_store", "default_db", "Store", "StoryState", "SourceProgress", "SqliteStore"]
