"""Storage behind one interface (``base.Store``): a SQLite file, or a PostgreSQL database by URL."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError
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


_AFTER_A_FAILED_WRITE = ("the batch being written was not kept and everything stored before stays (`marsad check` "
                         "verifies it); ")


def store_failure(exc: BaseException, where: str) -> StoreError | None:
    """The ``StoreError`` a database driver's exception means, in words a user can act on (a full disk,
    a lost PostgreSQL connection, a lock, a damaged file); None when ``exc`` is not a database error."""
    import sqlite3

    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, sqlite3.Error):
        text = first.lower()
        if "full" in text or "disk i/o" in text:
            return StoreError(f"cannot write to the database ({first}): is the disk full, or a file-size limit "
                              "reached?", where, hint=_AFTER_A_FAILED_WRITE + "free some space, then run the same "
                              "command again to go on where it stopped")
        if "locked" in text or "busy" in text:
            return StoreError(f"the database is locked by another process ({first})", where,
                              hint="wait for the other Marsad run to finish, then run the command again")
        if "malformed" in text or "not a database" in text or isinstance(exc, sqlite3.DatabaseError) \
                and not isinstance(exc, sqlite3.OperationalError):
            return StoreError(f"the database file is damaged ({first})", where,
                              hint="`marsad check` says what is wrong; restore a copy, or ingest again into a new file")
        return StoreError(f"the database failed ({first})", where, hint=_AFTER_A_FAILED_WRITE + "run the command again")
    try:
        import psycopg
    except ImportError:
        return None
    if isinstance(exc, psycopg.OperationalError):
        return StoreError(f"lost the connection to PostgreSQL ({first})", where,
                          hint=_AFTER_A_FAILED_WRITE + "run the same command again once the server is back")
    if isinstance(exc, psycopg.Error):
        return StoreError(f"PostgreSQL refused a statement ({first})", where,
                          hint=_AFTER_A_FAILED_WRITE + "run the command again; if it fails the same way, report it")
    return None


__all__ = ["open_store", "default_db", "store_failure", "Store", "StoryState", "SourceProgress", "SqliteStore"]
