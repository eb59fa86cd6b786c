"""Storage behind one interface (``base.Store``): a SQLite file, or a PostgreSQL database by URL."""
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
    """``postgresql://user@host/db`` (or ``postgres://``) opens PostgreSQL; anything else is a SQLite path."""
    url = url or default_db()
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from .postgres import PostgresStore  # psycopg is loaded only for PostgreSQL URLs
        except ImportError as exc:
            from ..errors import StoreError

            raise StoreError(f"PostgreSQL storage needs psycopg, which cannot be imported ({exc})",
                             hint="pip install 'psycopg[binary]'") from exc
        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    return SqliteStore(Path(url))


__all__ = ["open_store", "default_db", "Store", "StoryState", "SourceProgress", "SqliteStore"]
