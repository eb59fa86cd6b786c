"""SQLite store: one file, WAL journal, one transaction per batch; the queries are ``sql.SqlStore``'s."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from ..article import Article
from ..errors import StoreError
from ..search import Term, article_keys, index_text
from .schema import ADDED_COLUMNS, SCHEMA_VERSION, add_column_statement, index_statements, table_statements
from .sql import ARTICLE_INSERT_COLUMNS, SqlStore, chunks


def _fill_search_index(db: sqlite3.Connection) -> None:
    """Schema 3: index every stored article with the keys of ``search.index_text`` (name skeletons);
    a file of schema 1, made before the full-text index existed, is filled by this step too."""
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")  # a contentless table's DELETE
    rows = db.execute("SELECT seq, title, body FROM articles ORDER BY seq")
    while batch := rows.fetchmany(1000):
        db.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?,?,?)",
                       [(r[0], index_text(r[1]), index_text(r[2])) for r in batch])


def _index_filled_by_step_3(db: sqlite3.Connection) -> None:
    """Schema 2 added the full-text table (created on open); step 3 fills it, so a file of schema 1
    is indexed once, not twice."""


# version → the step that brings a database from version - 1 to it, run once in its own transaction.
MIGRATIONS = {2: _index_filled_by_step_3, 3: _fill_search_index}


BUSY_TIMEOUT_SECONDS = 60.0


class SqliteStore(SqlStore):
    """The ``Store`` on one SQLite file (created with its parent folder when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # another process's write transaction (a batch, an analysis) can last seconds on a busy machine:
            # wait for it rather than fail with "database is locked" (the default wait is 5 s)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
            self.db.row_factory = sqlite3.Row
            self._use_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
            # in one transaction: two processes opening a new file at once would otherwise both see a column
            # missing and both add it (the second failing with "duplicate column name")
            with self._transaction():
                for statement in table_statements("sqlite"):
                    self.db.execute(statement)
                self._add_columns()
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", str(path),
                             hint="is it a Marsad SQLite file? choose another with --db") from exc

    def _use_wal(self) -> None:
        """Switch the file to write-ahead logging. Two processes switching a new file at once deadlock on its
        lock, and SQLite answers one "database is locked" at once, without the busy wait: so wait here."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _add_columns(self) -> None:
        """Add the columns of ``schema.ADDED_COLUMNS`` an older file lacks, then create the indexes."""
        for table, column in ADDED_COLUMNS:
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if column.name not in have:
                self.db.execute(add_column_statement(table, column, "sqlite"))
        for statement in index_statements("sqlite"):
            self.db.execute(statement)

    def _migrate(self) -> None:
        """Run each migration step an older file lacks."""
        version = self._schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"the database has schema version {version}; this Marsad knows up to "
                             f"{SCHEMA_VERSION}", str(self.path), hint="upgrade Marsad to open it")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                if self._schema_version() >= step:  # another process opening the file ran it meanwhile
                    continue
                MIGRATIONS[step](self.db)
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(step),))

    def _schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])

    # -- the dialect (see ``sql.SqlStore``) -------------------------------------------------
    FTS_JOIN = "FROM articles_fts JOIN articles a INDEXED BY articles_seq_meta ON a.seq = articles_fts.rowid"
    OUTLET_COUNT = "(SELECT COUNT(*) FROM json_each(s.outlets))"
    NO_LIMIT = -1

    def _all(self, sql: str, args: Any = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql.replace("%s", "?"), args).fetchall()

    def _one(self, sql: str, args: Any = ()) -> sqlite3.Row | None:
        return self.db.execute(sql.replace("%s", "?"), args).fetchone()

    def _run(self, sql: str, args: Any = ()) -> None:
        self.db.execute(sql.replace("%s", "?"), args)

    def _run_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.db.executemany(sql.replace("%s", "?"), rows)

    def _tuples(self, sql: str, args: Any = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.db.execute(sql.replace("%s", "?"), args)

    def _in(self, column: str, values: list[Any]) -> Iterator[tuple[str, list[Any]]]:
        for chunk in chunks(values, 500):  # SQLite takes a bounded number of variables per statement
            yield f"{column} IN ({','.join('?' * len(chunk))})", chunk

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def _fts_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return "articles_fts MATCH %s", [_fts5_expression(terms)]

    def _fts_ranked(self, terms: list[Term]) -> tuple[str, list[Any], str]:
        return "bm25(articles_fts, 3.0, 1.0)", [], "score"   # lower is better

    def _shown_score(self, score: float) -> float:
        return round(-score, 4)   # bm25() is lower for better matches; shown as higher-is-better

    def _insert_articles(self, rows: list[tuple[Any, ...]], articles: list[Article]) -> list[tuple[int, Article]]:
        new = []
        for row, a in zip(rows, articles):
            cur = self.db.execute(f"INSERT OR IGNORE INTO articles ({ARTICLE_INSERT_COLUMNS}) "
                                  f"VALUES ({','.join('?' * len(row))})", row)
            if cur.rowcount:
                self.db.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?,?,?)",
                                (cur.lastrowid, *article_keys(a)))
                new.append((cur.lastrowid, a))
        return new

    def _add_term_df(self, terms: list[tuple[str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", terms)

    @contextmanager
    def writing(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Be the one process writing to this file (an ingest, a watch poll) until the block ends; a second
        one waits here, saying so through ``on_wait``. The lock is the file ``<db>-lock`` beside the database
        (flock, released by the kernel when the process dies); the database file itself is never opened a
        second time, since closing another descriptor of it would drop SQLite's own locks."""
        if fcntl is None:  # no flock (Windows): SQLite's busy timeout is all there is
            yield
            return
        with open(self.path.with_name(self.path.name + "-lock"), "a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"another Marsad run is writing to {self.path}; waiting for it to finish (Ctrl-C stops)")
                fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def close(self) -> None:
        self.db.close()


def _fts5_expression(terms: list[Term]) -> str:
    """An FTS5 MATCH string: every term ANDed; a word is an OR of its keys, a phrase is quoted."""
    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'
    parts = []
    for t in terms:
        if t.is_phrase:
            parts.append(quoted(" ".join(t.keys)))
        else:
            parts.append("(" + " OR ".join(quoted(k) for k in (t.alternatives or t.keys)) + ")")
    return " AND ".join(parts)
