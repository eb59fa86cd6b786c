"""PostgreSQL store: the same tables as SQLite (``schema.py``), one transaction per batch, psycopg 3.

Full-text search keeps the ``marsad.search.index_text`` keys of each article in a ``tsvector``
(configuration 'simple', so PostgreSQL adds no stemming of its own; title words weigh A, body words B)
with a GIN index, and answers the same parsed ``SearchQuery`` as SQLite's FTS5 table.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row

from ..article import format_published, timestamp
from ..errors import StoreError
from ..search import SearchQuery, Term, article_keys, index_text
from . import rows as _rows
from .base import BatchWrite, FeedState, SourceProgress, StoryState
from .schema import ADDED_COLUMNS, SCHEMA_VERSION, add_column_statement, index_statements, table_statements

# ts_rank weights {D, C, B, A}: a title word (A) counts three times a body word (B), as bm25(3.0, 1.0) in SQLite.
RANK_WEIGHTS = [0.0, 0.0, 1 / 3, 1.0]
SCHEMA_LOCK = 0x6D61727361640001  # advisory lock key: two processes opening one new database create it once

ARTICLE_INSERT = (
    "INSERT INTO articles (id, path, record, url, outlet, title, published, published_ts, tags, body, extra, "
    "fingerprint, duplicate_of, story_id, ingested_at, similarity) "
    "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING RETURNING seq")
ARTICLE_FIELDS = ("id", "path", "record", "url", "outlet", "title", "published", "tags", "story_id", "duplicate_of")

# A tsvector holds at most 1 MB and positions up to 16,383: only the first MAX_INDEXED_CHARS characters of a
# title's or body's keys are indexed (about 35,000 words, some 20 times a long news article), so that one
# giant page cannot fail its batch. SQLite indexes everything.
MAX_INDEXED_CHARS = 200_000
FTS_INSERT = (f"INSERT INTO articles_fts (seq, doc) VALUES (%s, "
              f"setweight(to_tsvector('simple', left(%s, {MAX_INDEXED_CHARS})), 'A') || "
              f"setweight(to_tsvector('simple', left(%s, {MAX_INDEXED_CHARS})), 'B'))")


def _text(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL characters; they are dropped (they carry nothing readable)."""
    return value.replace("\x00", "") if value and "\x00" in value else value


def _columns(with_body: bool, prefix: str = "") -> str:
    """The article columns ``_article_dict`` reads: bodies only when asked for (they are most of the bytes)."""
    return ", ".join(prefix + c for c in ARTICLE_FIELDS + (("body", "extra") if with_body else ()))


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return re.sub(r"(password=)[^&\s]*", r"\1***", re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url))


class PostgresStore:
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

    def _one(self, sql: str, args: Any = ()) -> dict[str, Any] | None:
        return self.db.execute(sql, args).fetchone()

    def _all(self, sql: str, args: Any = ()) -> list[dict[str, Any]]:
        return self.db.execute(sql, args).fetchall()

    # -- ingest -------------------------------------------------------------------------
    def source_progress(self, key: str) -> SourceProgress | None:
        return _rows.source_progress(self._one("SELECT * FROM sources WHERE key = %s", (key,)))

    def feed_state(self, url: str) -> FeedState | None:
        return _rows.feed_state(self._one("SELECT * FROM feed_state WHERE url = %s", (url,)))

    def save_feed_state(self, state: FeedState) -> None:
        self.db.execute(
            "INSERT INTO feed_state (url, etag, last_modified, checked_at, failed, skipped) "
            "VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (url) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, checked_at=excluded.checked_at, failed=excluded.failed, "
            "skipped=excluded.skipped",
            (state.url, state.etag, state.last_modified, state.checked_at,
             json.dumps(state.failed, ensure_ascii=False), json.dumps(state.skipped, ensure_ascii=False)))

    def find_fingerprints(self, fingerprints: list[str]) -> dict[str, tuple[str, str | None]]:
        """fingerprint → (id, story_id) of the first stored article with that body."""
        out: dict[str, tuple[str, str | None]] = {}
        for row in self._all("SELECT fingerprint, id, story_id FROM articles WHERE duplicate_of IS NULL "
                             "AND fingerprint = ANY(%s) ORDER BY seq DESC", (sorted(set(fingerprints)),)):
            out[row["fingerprint"]] = (row["id"], row["story_id"])
        return out

    def existing_ids(self, ids: list[str]) -> dict[str, str | None]:
        """The ids among ``ids`` already stored, each with its body's fingerprint."""
        return {r["id"]: r["fingerprint"] for r in self._all(
            "SELECT id, fingerprint FROM articles WHERE id = ANY(%s)", (sorted(set(ids)),))}

    def story_of(self, article_id: str) -> str | None:
        row = self._one("SELECT story_id FROM articles WHERE id = %s", (article_id,))
        return row["story_id"] if row else None

    def minhash_signatures(self) -> Iterator[tuple[str, bytes, str, float | None]]:
        """(article id, MinHash signature, id of the original it is or copies, publication time)."""
        with self.db.cursor(row_factory=psycopg.rows.tuple_row) as cur:
            cur.execute("SELECT m.id, m.signature, m.root, a.published_ts FROM minhashes m "
                        "LEFT JOIN articles a ON a.id = m.id")
            yield from cur

    def write_batch(self, batch: BatchWrite) -> int:
        """Store a batch in one transaction; returns how many articles were new."""
        now = _rows.now()
        added = 0
        with self.db.transaction(), self.db.cursor() as cur:
            new: list[tuple[int, Any]] = []
            if batch.articles:  # one result per article, pipelined: its seq, or none when the id was stored
                cur.executemany(ARTICLE_INSERT, [(
                    a.id, a.path, a.record, _text(a.url), _text(a.outlet), _text(a.title),
                    format_published(a.published), timestamp(a.published),
                    json.dumps(a.tags, ensure_ascii=False), _text(a.body),
                    json.dumps(a.extra, ensure_ascii=False, default=str), batch.fingerprints.get(a.id),
                    a.duplicate_of, a.story_id, now, batch.copy_similarity.get(a.id)) for a in batch.articles],
                    returning=True)
                for a in batch.articles:
                    row = cur.fetchone()
                    if row is not None:
                        new.append((row["seq"], a))
                    cur.nextset()
            added = len(new)
            cur.executemany(FTS_INSERT, [(seq, *article_keys(a)) for seq, a in new])
            cur.executemany(_rows.STORY_UPSERT, _rows.story_params(batch.stories, now, _text))
            cur.executemany("INSERT INTO minhashes (id, signature, root) VALUES (%s, %s, %s) "
                            "ON CONFLICT (id) DO NOTHING",
                            [(i, sig, root) for i, (sig, root) in batch.signatures.items()])
            for old, (new, sim, story) in sorted(batch.demoted.items()):
                for sql, args in _rows.demote_steps(old, new, sim, story):
                    cur.execute(sql, args)
            for m in batch.merges or []:
                for sql, args in _rows.merge_steps(m, now):
                    cur.execute(sql, args)
            cur.executemany(_rows.MOVE_ARTICLE, [(sid, aid, aid) for aid, sid in sorted(batch.moves.items())])
            # One statement for all terms (thousands a batch); sorted, so two writers take the rows in one order.
            terms = sorted(batch.df_delta.items())
            cur.execute("INSERT INTO term_df (term, df) SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                        "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df",
                        ([t for t, _ in terms], [n for _, n in terms]))
            n_docs = sum(1 for a in batch.articles if a.duplicate_of is None) - len(batch.demoted)
            cur.execute("INSERT INTO meta VALUES ('n_docs', %s) ON CONFLICT (key) DO UPDATE SET "
                        "value = (CAST(meta.value AS BIGINT) + %s)::text", (str(n_docs), n_docs))
            cur.executemany(_rows.SOURCE_UPSERT, _rows.source_params(batch.sources, now))
        return added

    # -- clustering state ---------------------------------------------------------------
    def load_stories(self, since_ts: float | None = None) -> list[StoryState]:
        sql = "SELECT * FROM stories"
        args: tuple[Any, ...] = ()
        if since_ts is not None:
            sql += " WHERE last_ts IS NULL OR last_ts >= %s"
            args = (since_ts,)
        return [_rows.story_state(r) for r in self._all(sql, args) if r["n_articles"] > 0]

    def outlet_dates(self) -> dict[str, list[str | None]]:
        """Each outlet → the publication dates of its articles (coverage gaps of a story)."""
        out: dict[str, list[str | None]] = {}
        for r in self._all("SELECT outlet, published FROM articles WHERE outlet IS NOT NULL"):
            out.setdefault(r["outlet"], []).append(r["published"])
        return out

    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        """id, outlet, published, title, body and duplicate_of of a story's articles, oldest first
        (copies carry no body)."""
        return self._all(_rows.STORY_TEXTS, (story_id,))

    def term_df(self) -> tuple[int, dict[str, int]]:
        row = self._one("SELECT value FROM meta WHERE key = 'n_docs'")
        with self.db.cursor(row_factory=psycopg.rows.tuple_row) as cur:
            cur.execute("SELECT term, df FROM term_df")
            df = dict(cur)
        return (int(row["value"]) if row else 0, df)

    # -- reading ------------------------------------------------------------------------
    def _copies(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        if not ids:
            return out
        for r in self._all("SELECT id, outlet, url, published, path, duplicate_of, similarity FROM articles "
                           "WHERE duplicate_of = ANY(%s) ORDER BY seq", (ids,)):
            out[r["duplicate_of"]].append(_rows.copy_dict(r))
        return out

    def _story_dict(self, row: dict[str, Any], with_body: bool) -> dict[str, Any]:
        found = self._all(f"SELECT {_columns(with_body)} FROM articles WHERE story_id = %s "
                          "AND duplicate_of IS NULL ORDER BY published_ts IS NULL, published_ts, seq", (row["id"],))
        articles = [_rows.article_dict(r, with_body) for r in found]
        return _rows.story_dict(row, articles, self._copies([a["id"] for a in articles]))

    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        # Ties ordered by code point (COLLATE "C"), as SQLite does, whatever the database's locale.
        rows = self._all('SELECT * FROM stories WHERE n_articles > 0 ORDER BY last_ts IS NULL, last_ts DESC, '
                         'n_articles DESC, id COLLATE "C" LIMIT %s OFFSET %s', (limit, offset))
        return [self._story_dict(r, with_body=False) for r in rows]

    def get_story(self, story_id: str, with_body: bool = False) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM stories WHERE id = %s", (story_id,))
        if row is not None and row["merged_into"]:  # an absorbed story's id still leads to its articles
            row = self._one("SELECT * FROM stories WHERE id = %s", (row["merged_into"],))
        return self._story_dict(row, with_body) if row else None

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM articles WHERE id = %s", (article_id,))
        return _rows.article_dict(row, with_body=True) if row else None

    def iter_articles(self) -> list[dict[str, Any]]:
        out = []
        for r in self._all(f"SELECT {_columns(False, 'a.')}, s.thread_id FROM articles a LEFT JOIN stories s "
                           "ON s.id = a.story_id ORDER BY a.seq"):
            d = _rows.article_dict(r, with_body=False)
            d["thread_id"] = r["thread_id"]
            out.append(d)
        return out

    def find_stories(self, limit: int = 20, offset: int = 0, outlet: str | None = None,
                     since_ts: float | None = None, until_ts: float | None = None,
                     without_outlet: str | None = None, min_outlets: int = 0,
                     mentions: SearchQuery | None = None) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, one page of them): stories newest first that overlap [since_ts, until_ts),
        have an article from ``outlet``, none from ``without_outlet``, at least ``min_outlets`` outlets
        and, with ``mentions``, an article matching that full-text query (an actor's or a place's name)."""
        where, args = ["s.n_articles > 0"], []
        if outlet is not None:
            where.append("EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet = %s)")
            args.append(outlet)
        if without_outlet is not None:
            where.append("NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet = %s)")
            args.append(without_outlet)
        if since_ts is not None:
            where.append("s.last_ts >= %s")
            args.append(since_ts)
        if until_ts is not None:
            where.append("s.first_ts < %s")
            args.append(until_ts)
        if min_outlets > 1:
            where.append("(SELECT COUNT(*) FROM json_object_keys(s.outlets::json)) >= %s")
            args.append(min_outlets)
        if mentions is not None:
            where.append("s.id IN (SELECT a.story_id FROM articles_fts f JOIN articles a ON a.seq = f.seq "
                         "WHERE f.doc @@ to_tsquery('simple', %s))")
            args.append(tsquery_text(mentions.terms))
        cond = " AND ".join(where)
        total = self._one(f"SELECT COUNT(*) AS n FROM stories s WHERE {cond}", args)["n"]
        rows = self._all(f'SELECT s.* FROM stories s WHERE {cond} ORDER BY s.last_ts DESC NULLS LAST, '
                         f's.n_articles DESC, s.id COLLATE "C" LIMIT %s OFFSET %s', [*args, limit, offset])
        return total, [self._story_dict(r, with_body=False) for r in rows]

    def story_headers(self, story_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id → title, first/last published, article count and outlets of each story (no articles)."""
        return {r["id"]: {"id": r["id"], "title": r["title"], "first_published": _rows.iso(r["first_ts"]),
                          "last_published": _rows.iso(r["last_ts"]), "n_articles": r["n_articles"],
                          "outlets": sorted(json.loads(r["outlets"]))}
                for r in self._all("SELECT id, title, first_ts, last_ts, n_articles, outlets FROM stories "
                                   "WHERE id = ANY(%s)", (sorted(set(story_ids)),))}

    def list_outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its article and story counts and the span of its dates, biggest first."""
        return [{"name": r["outlet"], "n_articles": r["n"], "n_stories": r["n_stories"],
                 "first_published": _rows.iso(r["first_ts"]), "last_published": _rows.iso(r["last_ts"])}
                for r in self._all(
                    'SELECT outlet, COUNT(*) AS n, COUNT(DISTINCT story_id) AS n_stories, '
                    'MIN(published_ts) AS first_ts, MAX(published_ts) AS last_ts FROM articles '
                    'WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC, outlet COLLATE "C"')]

    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0
               ) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """({"articles": n, "stories": n} matching, one page of hits best first, each with its body and score)."""
        where, args = ["f.doc @@ to_tsquery('simple', %s)"], [tsquery_text(query.terms)]
        if query.outlet is not None:
            where.append("a.outlet = %s")
            args.append(query.outlet)
        if query.since_ts is not None:
            where.append("a.published_ts >= %s")
            args.append(query.since_ts)
        if query.until_ts is not None:
            where.append("a.published_ts < %s")
            args.append(query.until_ts)
        cond = " AND ".join(where)
        hits_join = "FROM articles_fts f JOIN articles a ON a.seq = f.seq"
        total = self._one(f"SELECT COUNT(*) AS n, COUNT(DISTINCT a.story_id) AS n_stories {hits_join} "
                          f"WHERE {cond}", args)
        counts = {"articles": total["n"], "stories": total["n_stories"]}
        ranked = self._all(f"SELECT a.seq, ts_rank(%s::float4[], f.doc, to_tsquery('simple', %s)) AS score "
                           f"{hits_join} WHERE {cond} ORDER BY score DESC, a.seq LIMIT %s OFFSET %s",
                           [RANK_WEIGHTS, args[0], *args, limit, offset])
        if not ranked:
            return counts, []
        rows = {r["seq"]: r for r in self._all("SELECT * FROM articles WHERE seq = ANY(%s)",
                                               ([r["seq"] for r in ranked],))}
        hits = []
        for r in ranked:
            d = _rows.article_dict(rows[r["seq"]], with_body=True)
            d["score"] = round(r["score"], 4)
            hits.append(d)
        return counts, hits

    def counts(self) -> dict[str, int]:
        row = self._one(
            "SELECT (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL) AS articles, "
            "(SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies, "
            "(SELECT COUNT(*) FROM stories WHERE n_articles > 0) AS stories, "
            "(SELECT COUNT(DISTINCT outlet) FROM articles) AS outlets, "
            "(SELECT COUNT(*) FROM sources WHERE done = 1) AS sources")
        return dict(row)

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
