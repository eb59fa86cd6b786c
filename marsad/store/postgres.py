"""PostgreSQL store: the same tables as SQLite (``schema.py``), one transaction per batch, psycopg 3.

Full-text search keeps the ``marsad.search.index_text`` keys of each article in a ``tsvector``
(configuration 'simple', so PostgreSQL adds no stemming of its own; title words weigh A, body words B)
with a GIN index, and answers the same parsed ``SearchQuery`` as SQLite's FTS5 table.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from ..article import Article
from ..errors import StoreError
from ..search import Term, article_keys, index_text
from .schema import ADDED_COLUMNS, SCHEMA_VERSION, add_column_statement, index_statements, table_statements
from .sql import ARTICLE_INSERT_COLUMNS, SqlStore

# ts_rank weights {D, C, B, A}: a title word (A) counts three times a body word (B), as bm25(3.0, 1.0) in SQLite.
RANK_WEIGHTS = [0.0, 0.0, 1 / 3, 1.0]
SCHEMA_LOCK = 0x6D61727361640001  # advisory lock key: two processes opening one new database create it once
WRITER_LOCK = 0x6D61727361640002  # held by the one process writing articles (see ``writing``)

ARTICLE_INSERT = (f"INSERT INTO articles ({ARTICLE_INSERT_COLUMNS}) VALUES ({','.join(['%s'] * 16)}) "
                  "ON CONFLICT (id) DO NOTHING RETURNING seq")

# A tsvector holds at most 1 MB and positions up to 16,383: only the first MAX_INDEXED_CHARS characters of a
# title's or body's keys are indexed (about 35,000 words, some 20 times a long news article), so that one
# giant page cannot fail its batch. SQLite indexes everything.
MAX_INDEXED_CHARS = 200_000
FTS_INSERT = (f"INSERT INTO articles_fts (seq, doc) VALUES (%s, "
              f"setweight(to_tsvector('simple', left(%s, {MAX_INDEXED_CHARS})), 'A') || "
              f"setweight(to_tsvector('simple', left(%s, {MAX_INDEXED_CHARS})), 'B'))")


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return re.sub(r"(password=)[^&\s]*", r"\1***", re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url))


class PostgresStore(SqlStore):
    """The ``Store`` on a PostgreSQL database (``postgresql://user[:password]@host[:port]/dbname``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {str(exc).strip().splitlines()[0]}", redact(url),
                             hint="check the server is running and the user, host and database in --db") from exc
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                for statement in table_statements("postgresql"):
                    self.db.execute(statement)
                for table, column in ADDED_COLUMNS:
                    self.db.execute(add_column_statement(table, column, "postgresql"))
                for statement in index_statements("postgresql"):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT (key) DO NOTHING",
                                (str(SCHEMA_VERSION),))
            version = int(self._one("SELECT value FROM meta WHERE key = 'schema_version'")["value"])
        except psycopg.Error as exc:
            self.db.close()
            raise StoreError(f"cannot open the database: {str(exc).strip().splitlines()[0]}", redact(url),
                             hint="is it a Marsad database? choose another with --db") from exc
        if version > SCHEMA_VERSION:
            self.db.close()
            raise StoreError(f"the database has schema version {version}; this Marsad knows up to "
                             f"{SCHEMA_VERSION}", redact(url), hint="upgrade Marsad to open it")
        if version < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        """Bring an older database to this schema, under the schema lock (another process opening it
        waits, then finds it done). Version 3 re-indexes every article with today's search keys."""
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            version = int(self._one("SELECT value FROM meta WHERE key = 'schema_version'")["value"])
            if version < 3:
                self.db.execute("DELETE FROM articles_fts")
                with self.db.cursor(name="reindex") as rows, self.db.cursor() as out:
                    rows.execute("SELECT seq, title, body FROM articles ORDER BY seq")
                    while batch := rows.fetchmany(1000):
                        out.executemany(FTS_INSERT, [(r["seq"], index_text(r["title"]), index_text(r["body"]))
                                                     for r in batch])
            self.db.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    # -- the dialect (see ``sql.SqlStore``) -------------------------------------------------
    BY_CODE_POINT = ' COLLATE "C"'   # ties by code point, as SQLite sorts, whatever the database's locale
    NULLS_LAST = " NULLS LAST"
    OUTLET_COUNT = "(SELECT COUNT(*) FROM json_object_keys(s.outlets::json))"
    FTS_JOIN = "FROM articles_fts f JOIN articles a ON a.seq = f.seq"
    INTEGER = "BIGINT"

    def _all(self, sql: str, args: Any = ()) -> list[dict[str, Any]]:
        return self.db.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Any = ()) -> dict[str, Any] | None:
        return self.db.execute(sql, args).fetchone()

    def _run(self, sql: str, args: Any = ()) -> None:
        self.db.execute(sql, args)

    def _run_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self.db.cursor() as cur:
                cur.executemany(sql, rows)

    def _tuples(self, sql: str, args: Any = ()) -> Iterator[tuple[Any, ...]]:
        with self.db.cursor(row_factory=psycopg.rows.tuple_row) as cur:
            cur.execute(sql, args)
            yield from cur

    def _in(self, column: str, values: list[Any]) -> Iterator[tuple[str, list[Any]]]:
        if values:
            yield f"{column} = ANY(%s)", [values]

    def _transaction(self) -> AbstractContextManager[Any]:
        return self.db.transaction()

    def _fts_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return "f.doc @@ to_tsquery('simple', %s)", [tsquery_text(terms)]

    def _fts_ranked(self, terms: list[Term]) -> tuple[str, list[Any], str]:
        return ("ts_rank(%s::float4[], f.doc, to_tsquery('simple', %s))", [RANK_WEIGHTS, tsquery_text(terms)],
                "score DESC")

    @staticmethod
    def _text(value: str | None) -> str | None:
        """PostgreSQL text cannot hold NUL characters; they are dropped (they carry nothing readable)."""
        return value.replace("\x00", "") if value and "\x00" in value else value

    def _insert_articles(self, rows: list[tuple[Any, ...]], articles: list[Article]) -> list[tuple[int, Article]]:
        new: list[tuple[int, Article]] = []
        if not rows:
            return new
        with self.db.cursor() as cur:  # one result per article, pipelined: its seq, or none when the id was stored
            cur.executemany(ARTICLE_INSERT, rows, returning=True)
            for a in articles:
                row = cur.fetchone()
                if row is not None:
                    new.append((row["seq"], a))
                cur.nextset()
            cur.executemany(FTS_INSERT, [(seq, *article_keys(a)) for seq, a in new])
        return new

    def _add_term_df(self, terms: list[tuple[str, int]]) -> None:
        # One statement for all terms (thousands a batch)
        self.db.execute("INSERT INTO term_df (term, df) SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                        "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df",
                        ([t for t, _ in terms], [n for _, n in terms]))

    @contextmanager
    def writing(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Be the one process writing to this database until the block ends (a session advisory lock, released
        by the server when the connection ends, however it ends); a second one waits, saying so."""
        if not self._one("SELECT pg_try_advisory_lock(%s) AS got", (WRITER_LOCK,))["got"]:
            if on_wait:
                on_wait(f"another Marsad run is writing to {redact(self.url)}; waiting for it to finish (Ctrl-C stops)")
            self._run("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
        try:
            yield
        finally:
            if not self.db.closed:
                self._run("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))

    def close(self) -> None:
        self.db.close()


def tsquery_text(terms: list[Term]) -> str:
    """A ``to_tsquery`` string: every term ANDed; a word is an OR of its keys, a phrase its keys in order."""
    def quoted(key: str) -> str:
        return "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"
    parts = []
    for t in terms:
        if t.is_phrase:
            parts.append("(" + " <-> ".join(quoted(k) for k in t.keys) + ")")
        else:
            parts.append("(" + " | ".join(quoted(k) for k in (t.alternatives or t.keys)) + ")")
    return " & ".join(parts)
