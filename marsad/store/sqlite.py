"""SQLite store: one file, WAL journal, one transaction per batch."""
from __future__ import annotations

import json
from collections.abc import Iterator
import sqlite3
from pathlib import Path
from typing import Any

from ..article import format_published, timestamp
from ..errors import StoreError
from ..search import SearchQuery, Term, article_keys, index_text
from . import rows as _rows
from .base import BatchWrite, FeedState, SourceProgress, StoryState
from .schema import ADDED_COLUMNS, SCHEMA_VERSION, add_column_statement, index_statements, table_statements


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

ARTICLE_COLUMNS = "id, path, record, url, outlet, title, published, tags, duplicate_of, story_id"


class SqliteStore:
    """The ``Store`` on one SQLite file (created with its parent folder when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            for statement in table_statements("sqlite"):
                self.db.execute(statement)
            self._add_columns()
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", str(path),
                             hint="is it a Marsad SQLite file? choose another with --db") from exc

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
        version = int(self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"the database has schema version {version}; this Marsad knows up to "
                             f"{SCHEMA_VERSION}", str(self.path), hint="upgrade Marsad to open it")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[step](self.db)
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(step),))
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    # -- ingest -------------------------------------------------------------------------
    def source_progress(self, key: str) -> SourceProgress | None:
        return _rows.source_progress(self.db.execute("SELECT * FROM sources WHERE key = ?", (key,)).fetchone())

    def feed_state(self, url: str) -> FeedState | None:
        return _rows.feed_state(self.db.execute("SELECT * FROM feed_state WHERE url = ?", (url,)).fetchone())

    def save_feed_state(self, state: FeedState) -> None:
        self.db.execute(
            "INSERT INTO feed_state (url, etag, last_modified, checked_at, failed, skipped) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, last_modified=excluded.last_modified, "
            "checked_at=excluded.checked_at, failed=excluded.failed, skipped=excluded.skipped",
            (state.url, state.etag, state.last_modified, state.checked_at,
             json.dumps(state.failed, ensure_ascii=False), json.dumps(state.skipped, ensure_ascii=False)))

    def find_fingerprints(self, fingerprints: list[str]) -> dict[str, tuple[str, str | None]]:
        """fingerprint → (id, story_id) of the first stored article with that body."""
        out: dict[str, tuple[str, str | None]] = {}
        for chunk in _chunks(sorted(set(fingerprints)), 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                    f"SELECT fingerprint, id, story_id FROM articles WHERE duplicate_of IS NULL "
                    f"AND fingerprint IN ({marks}) ORDER BY seq DESC", chunk):
                out[row["fingerprint"]] = (row["id"], row["story_id"])
        return out

    def existing_ids(self, ids: list[str]) -> dict[str, str | None]:
        """The ids among ``ids`` already stored, each with its body's fingerprint."""
        found: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            marks = ",".join("?" * len(chunk))
            found.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT id, fingerprint FROM articles WHERE id IN ({marks})", chunk))
        return found

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def minhash_signatures(self) -> Iterator[tuple[str, bytes, str, float | None]]:
        """(article id, MinHash signature, id of the original it is or copies, publication time)."""
        yield from self.db.execute("SELECT m.id, m.signature, m.root, a.published_ts FROM minhashes m "
                                   "LEFT JOIN articles a ON a.id = m.id")

    def write_batch(self, batch: BatchWrite) -> int:
        """Store a batch in one transaction; returns how many articles were new."""
        articles, stories, df_delta, sources = batch.articles, batch.stories, batch.df_delta, batch.sources
        fingerprints, merges = batch.fingerprints, batch.merges
        now = _rows.now()
        try:
            self.db.execute("BEGIN IMMEDIATE")
            added = 0
            for a in articles:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO articles (id, path, record, url, outlet, title, published, "
                    "published_ts, tags, body, extra, fingerprint, duplicate_of, story_id, ingested_at, "
                    "similarity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a.id, a.path, a.record, a.url, a.outlet, a.title, format_published(a.published),
                     timestamp(a.published), json.dumps(a.tags, ensure_ascii=False), a.body,
                     json.dumps(a.extra, ensure_ascii=False, default=str), fingerprints.get(a.id),
                     a.duplicate_of, a.story_id, now, batch.copy_similarity.get(a.id)))
                if cur.rowcount:
                    self.db.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?,?,?)",
                                    (cur.lastrowid, *article_keys(a)))
                added += cur.rowcount
            self.db.executemany(_rows.STORY_UPSERT.replace("%s", "?"), _rows.story_params(stories, now))
            self.db.executemany("INSERT OR IGNORE INTO minhashes (id, signature, root) VALUES (?, ?, ?)",
                                [(i, sig, root) for i, (sig, root) in batch.signatures.items()])
            for old, (new, sim, story) in sorted(batch.demoted.items()):
                for sql, args in _rows.demote_steps(old, new, sim, story):
                    self.db.execute(sql.replace("%s", "?"), args)
            for m in merges or []:
                for sql, args in _rows.merge_steps(m, now):
                    self.db.execute(sql.replace("%s", "?"), args)
            self.db.executemany(_rows.MOVE_ARTICLE.replace("%s", "?"),
                                [(sid, aid, aid) for aid, sid in sorted(batch.moves.items())])
            self.db.executemany(
                "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                list(df_delta.items()))
            n_docs = sum(1 for a in articles if a.duplicate_of is None) - len(batch.demoted)
            self.db.execute("INSERT INTO meta VALUES ('n_docs', ?) ON CONFLICT(key) DO UPDATE SET "
                            "value = CAST(value AS INTEGER) + ?", (n_docs, n_docs))
            self.db.executemany(_rows.SOURCE_UPSERT.replace("%s", "?"), _rows.source_params(sources, now))
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return added

    # -- clustering state ---------------------------------------------------------------
    def load_stories(self, since_ts: float | None = None) -> list[StoryState]:
        sql = "SELECT * FROM stories"
        args: tuple[Any, ...] = ()
        if since_ts is not None:
            sql += " WHERE last_ts IS NULL OR last_ts >= ?"
            args = (since_ts,)
        return [_rows.story_state(r) for r in self.db.execute(sql, args) if r["n_articles"] > 0]

    def outlet_dates(self) -> dict[str, list[str | None]]:
        """Each outlet → the publication dates of its articles (coverage gaps of a story)."""
        out: dict[str, list[str | None]] = {}
        for outlet, published in self.db.execute("SELECT outlet, published FROM articles WHERE outlet IS NOT NULL"):
            out.setdefault(outlet, []).append(published)
        return out

    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        """id, outlet, published, title, body and duplicate_of of a story's articles, oldest first
        (copies carry no body)."""
        return [dict(r) for r in self.db.execute(_rows.STORY_TEXTS.replace("%s", "?"), (story_id,))]

    def term_df(self) -> tuple[int, dict[str, int]]:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'n_docs'").fetchone()
        return (int(row[0]) if row else 0,
                {r[0]: r[1] for r in self.db.execute("SELECT term, df FROM term_df")})

    # -- reading ------------------------------------------------------------------------
    def _copies(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT id, outlet, url, published, path, duplicate_of, similarity "
                                     f"FROM articles WHERE duplicate_of IN ({marks}) ORDER BY seq", chunk):
                out[r["duplicate_of"]].append(_rows.copy_dict(r))
        return out

    def _story_dict(self, row: sqlite3.Row, with_body: bool) -> dict[str, Any]:
        found = self.db.execute("SELECT * FROM articles WHERE story_id = ? AND duplicate_of IS NULL "
                                "ORDER BY published_ts IS NULL, published_ts, seq", (row["id"],)).fetchall()
        articles = [_rows.article_dict(r, with_body) for r in found]
        return _rows.story_dict(row, articles, self._copies([a["id"] for a in articles]))

    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        sql = ("SELECT * FROM stories WHERE n_articles > 0 ORDER BY last_ts IS NULL, last_ts DESC, "
               "n_articles DESC, id LIMIT ? OFFSET ?")
        rows = self.db.execute(sql, (-1 if limit is None else limit, offset)).fetchall()
        return [self._story_dict(r, with_body=False) for r in rows]

    def get_story(self, story_id: str, with_body: bool = False) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is not None and row["merged_into"]:  # an absorbed story's id still leads to its articles
            row = self.db.execute("SELECT * FROM stories WHERE id = ?", (row["merged_into"],)).fetchone()
        return self._story_dict(row, with_body) if row else None

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _rows.article_dict(row, with_body=True) if row else None

    def iter_articles(self) -> list[dict[str, Any]]:
        out = []
        for r in self.db.execute("SELECT a.*, s.thread_id FROM articles a LEFT JOIN stories s "
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
        if mentions is not None:
            where.append("s.id IN (SELECT a.story_id FROM articles_fts JOIN articles a INDEXED BY articles_seq_meta "
                         "ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?)")
            args.append(_fts5_expression(mentions.terms))
        if outlet is not None:
            where.append("EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet = ?)")
            args.append(outlet)
        if without_outlet is not None:
            where.append("NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet = ?)")
            args.append(without_outlet)
        if since_ts is not None:
            where.append("s.last_ts >= ?")
            args.append(since_ts)
        if until_ts is not None:
            where.append("s.first_ts < ?")
            args.append(until_ts)
        if min_outlets > 1:
            where.append("(SELECT COUNT(*) FROM json_each(s.outlets)) >= ?")
            args.append(min_outlets)
        cond = " AND ".join(where)
        total = self.db.execute(f"SELECT COUNT(*) FROM stories s WHERE {cond}", args).fetchone()[0]
        # DESC puts undated stories last, and lets the stories_last index give the order.
        rows = self.db.execute(f"SELECT s.* FROM stories s WHERE {cond} ORDER BY s.last_ts DESC, "
                               f"s.n_articles DESC, s.id LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return total, [self._story_dict(r, with_body=False) for r in rows]

    def story_headers(self, story_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id → title, first/last published, article count and outlets of each story (no articles)."""
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(sorted(set(story_ids)), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT id, title, first_ts, last_ts, n_articles, outlets FROM stories "
                                     f"WHERE id IN ({marks})", chunk):
                out[r["id"]] = {"id": r["id"], "title": r["title"], "first_published": _rows.iso(r["first_ts"]),
                                "last_published": _rows.iso(r["last_ts"]), "n_articles": r["n_articles"],
                                "outlets": sorted(json.loads(r["outlets"]))}
        return out

    def list_outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its article and story counts and the span of its dates, biggest first."""
        return [{"name": r[0], "n_articles": r[1], "n_stories": r[2], "first_published": _rows.iso(r[3]),
                 "last_published": _rows.iso(r[4])}
                for r in self.db.execute(
                    "SELECT outlet, COUNT(*), COUNT(DISTINCT story_id), MIN(published_ts), MAX(published_ts) "
                    "FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC, outlet")]

    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """({"articles": n, "stories": n} matching, one page of hits best first, each with its body and score)."""
        where, args = ["articles_fts MATCH ?"], [_fts5_expression(query.terms)]
        hits_join = ("FROM articles_fts JOIN articles a INDEXED BY articles_seq_meta "
                     "ON a.seq = articles_fts.rowid")
        if query.outlet is not None:
            where.append("a.outlet = ?")
            args.append(query.outlet)
        if query.since_ts is not None:
            where.append("a.published_ts >= ?")
            args.append(query.since_ts)
        if query.until_ts is not None:
            where.append("a.published_ts < ?")
            args.append(query.until_ts)
        cond = " AND ".join(where)
        n, n_stories = self.db.execute(f"SELECT COUNT(*), COUNT(DISTINCT a.story_id) {hits_join} WHERE {cond}",
                                       args).fetchone()
        ranked = self.db.execute(f"SELECT a.seq, bm25(articles_fts, 3.0, 1.0) AS score {hits_join} WHERE {cond} "
                                 f"ORDER BY score, a.seq LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        if not ranked:
            return {"articles": n, "stories": n_stories}, []
        marks = ",".join("?" * len(ranked))
        rows = {r["seq"]: r for r in self.db.execute(f"SELECT * FROM articles WHERE seq IN ({marks})",
                                                     [r[0] for r in ranked])}
        hits = []
        for seq, score in ranked:
            d = _rows.article_dict(rows[seq], with_body=True)
            d["score"] = round(-score, 4)   # bm25() is lower for better matches; shown as higher-is-better
            hits.append(d)
        return {"articles": n, "stories": n_stories}, hits

    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {"articles": q("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0],
                "copies": q("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
                "stories": q("SELECT COUNT(*) FROM stories WHERE n_articles > 0").fetchone()[0],
                "outlets": q("SELECT COUNT(DISTINCT outlet) FROM articles").fetchone()[0],
                "sources": q("SELECT COUNT(*) FROM sources WHERE done = 1").fetchone()[0]}

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


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
