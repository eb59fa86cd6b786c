"""The queries both stores run, written once; ``SqliteStore`` and ``PostgresStore`` supply the dialect.

Statements are written with ``%s`` placeholders (PostgreSQL's; the SQLite store swaps them for ``?``) and
read their rows by column name. What the two dialects say differently is a short list of hooks, each
defined by both stores: how a list of values is matched (``_in``: chunks of ``IN (?, …)`` for SQLite,
one ``= ANY(%s)`` for PostgreSQL), how rows are streamed as tuples, the transaction, the full-text
index (match, rank, insert) and a few spellings (``BY_CODE_POINT``, ``NULLS_LAST``, ``OUTLET_COUNT``).
A new query (a new table, an invariant check) is added here once and runs on both.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from ..article import Article, format_published, timestamp
from ..search import SearchQuery, Term
from . import rows as _rows
from .base import BatchWrite, FeedState, SourceProgress, StoryMerge, StoryState

Row = Mapping[str, Any]
ARTICLE_FIELDS = ("id", "path", "record", "url", "outlet", "title", "published", "tags", "story_id", "duplicate_of")
ARTICLE_INSERT_COLUMNS = ("id, path, record, url, outlet, title, published, published_ts, tags, body, extra, "
                          "fingerprint, duplicate_of, story_id, ingested_at, similarity")


def article_columns(with_body: bool, prefix: str = "") -> str:
    """The article columns ``rows.article_dict`` reads: bodies only when asked for (they are most of the bytes)."""
    return ", ".join(prefix + c for c in ARTICLE_FIELDS + (("body", "extra") if with_body else ()))


class SqlStore:
    """The ``Store`` calls common to both backends, over the dialect hooks a subclass defines."""

    # -- dialect: spellings ---------------------------------------------------------------
    BY_CODE_POINT = ""     # appended to a text ORDER BY key so ties sort by code point on either backend
    NULLS_LAST = ""        # appended to ``x DESC`` so that NULLs come last (SQLite's DESC does so already)
    OUTLET_COUNT = ""      # how many outlets a story's JSON ``outlets`` object holds (``s`` is the story)
    FTS_JOIN = ""          # FROM the full-text table joined to its ``articles a``
    INTEGER = "INTEGER"    # the integer type a CAST names
    NO_LIMIT: int | None = None   # what LIMIT takes for "all rows"

    # -- dialect: execution ---------------------------------------------------------------
    def _all(self, sql: str, args: Any = ()) -> list[Row]:
        raise NotImplementedError

    def _one(self, sql: str, args: Any = ()) -> Row | None:
        raise NotImplementedError

    def _run(self, sql: str, args: Any = ()) -> None:
        """Execute one statement (inside ``_transaction`` when it writes with others)."""
        raise NotImplementedError

    def _run_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def _tuples(self, sql: str, args: Any = ()) -> Iterator[tuple[Any, ...]]:
        """Rows as plain tuples, streamed (large tables: term counts, signatures)."""
        raise NotImplementedError

    def _in(self, column: str, values: list[Any]) -> Iterator[tuple[str, list[Any]]]:
        """(condition, arguments) matching ``column`` against ``values``, in as many chunks as the backend needs."""
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    # -- dialect: full text and batch writing ---------------------------------------------
    def _fts_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        """(condition over ``FTS_JOIN``, its arguments) for articles matching ``terms``."""
        raise NotImplementedError

    def _fts_ranked(self, terms: list[Term]) -> tuple[str, list[Any], str]:
        """(score expression, its arguments, ORDER BY best first) for ranking the matches."""
        raise NotImplementedError

    def _shown_score(self, score: float) -> float:
        """A rank as shown, higher is better."""
        return round(score, 4)

    def _insert_articles(self, rows: list[tuple[Any, ...]], articles: list[Article]) -> list[tuple[int, Article]]:
        """Insert article rows (``ARTICLE_INSERT_COLUMNS``) whose id is not stored yet and index them for
        search; returns (seq, article) of those inserted."""
        raise NotImplementedError

    def _add_term_df(self, terms: list[tuple[str, int]]) -> None:
        raise NotImplementedError

    @staticmethod
    def _text(value: str | None) -> str | None:
        """Text as the backend can hold it (PostgreSQL drops NUL characters)."""
        return value

    # -- ingest ---------------------------------------------------------------------------
    def source_progress(self, key: str) -> SourceProgress | None:
        return _rows.source_progress(self._one("SELECT * FROM sources WHERE key = %s", (key,)))

    def feed_state(self, url: str) -> FeedState | None:
        return _rows.feed_state(self._one("SELECT * FROM feed_state WHERE url = %s", (url,)))

    def save_feed_state(self, state: FeedState) -> None:
        self._run(
            "INSERT INTO feed_state (url, etag, last_modified, checked_at, failed, skipped) "
            "VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (url) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, checked_at=excluded.checked_at, failed=excluded.failed, "
            "skipped=excluded.skipped",
            (state.url, state.etag, state.last_modified, state.checked_at,
             json.dumps(state.failed, ensure_ascii=False), json.dumps(state.skipped, ensure_ascii=False)))

    def find_fingerprints(self, fingerprints: list[str]) -> dict[str, tuple[str, str | None]]:
        """fingerprint → (id, story_id) of the first stored article with that body."""
        out: dict[str, tuple[str, str | None]] = {}
        for cond, args in self._in("fingerprint", sorted(set(fingerprints))):
            for row in self._all(f"SELECT fingerprint, id, story_id FROM articles WHERE duplicate_of IS NULL "
                                 f"AND {cond} ORDER BY seq DESC", args):
                out[row["fingerprint"]] = (row["id"], row["story_id"])
        return out

    def existing_ids(self, ids: list[str]) -> dict[str, str | None]:
        """The ids among ``ids`` already stored, each with its body's fingerprint."""
        found: dict[str, str | None] = {}
        for cond, args in self._in("id", sorted(set(ids))):
            found.update((r["id"], r["fingerprint"]) for r in self._all(
                f"SELECT id, fingerprint FROM articles WHERE {cond}", args))
        return found

    def story_of(self, article_id: str) -> str | None:
        row = self._one("SELECT story_id FROM articles WHERE id = %s", (article_id,))
        return row["story_id"] if row else None

    def minhash_signatures(self) -> Iterator[tuple[str, bytes, str, float | None]]:
        """(article id, MinHash signature, id of the original it is or copies, publication time)."""
        yield from self._tuples("SELECT m.id, m.signature, m.root, a.published_ts FROM minhashes m "
                                "LEFT JOIN articles a ON a.id = m.id")

    def write_batch(self, batch: BatchWrite) -> int:
        """Store a batch in one transaction; returns how many articles were new."""
        now = _rows.now()
        text = self._text
        with self._transaction():
            # the stories the moved and demoted articles leave (read before they move)
            leaving = sorted({*batch.moves, *batch.demoted})
            touched = {r["story_id"] for cond, args in self._in("id", leaving)
                       for r in self._all(f"SELECT DISTINCT story_id FROM articles WHERE {cond}", args)}
            new = self._insert_articles([(
                a.id, a.path, a.record, text(a.url), text(a.outlet), text(a.title),
                format_published(a.published), timestamp(a.published),
                json.dumps(a.tags, ensure_ascii=False), text(a.body),
                json.dumps(a.extra, ensure_ascii=False, default=str), batch.fingerprints.get(a.id),
                a.duplicate_of, a.story_id, now, batch.copy_similarity.get(a.id)) for a in batch.articles],
                batch.articles)
            self._run_many(STORY_UPSERT, story_params(batch.stories, now, text))
            self._run_many("INSERT INTO minhashes (id, signature, root) VALUES (%s, %s, %s) "
                           "ON CONFLICT (id) DO NOTHING",
                           [(i, sig, root) for i, (sig, root) in batch.signatures.items()])
            for old, (new_id, sim, story) in sorted(batch.demoted.items()):
                for sql, args in demote_steps(old, new_id, sim, story):
                    self._run(sql, args)
            for m in batch.merges or []:
                for sql, args in merge_steps(m, now):
                    self._run(sql, args)
            self._run_many(MOVE_ARTICLE, [(sid, aid, aid) for aid, sid in sorted(batch.moves.items())])
            # sorted, so two writers take the rows in one order
            self._add_term_df(sorted(batch.df_delta.items()))
            n_docs = sum(1 for a in batch.articles if a.duplicate_of is None) - len(batch.demoted)
            self._run(f"INSERT INTO meta VALUES ('n_docs', %s) ON CONFLICT (key) DO UPDATE SET "
                      f"value = CAST(CAST(meta.value AS {self.INTEGER}) + %s AS TEXT)", (str(n_docs), n_docs))
            self._run_many(SOURCE_UPSERT, source_params(batch.sources, now))
            touched.update(s.id for s in batch.stories)
            touched.update(a.story_id for a in batch.articles)
            touched.update(batch.moves.values())
            touched.update(story for _, _, story in batch.demoted.values())
            for m in batch.merges or []:
                touched.update((m.into, m.absorbed))
            touched.discard(None)
            for cond, args in self._in("id", sorted(touched)):  # a stored analysis of these is now stale
                self._run(f"UPDATE stories SET revision = revision + 1 WHERE {cond}", args)
        batch.touched = touched
        return len(new)

    # -- clustering state -----------------------------------------------------------------
    def load_stories(self, since_ts: float | None = None) -> list[StoryState]:
        sql = "SELECT * FROM stories"
        args: tuple[Any, ...] = ()
        if since_ts is not None:
            sql += " WHERE last_ts IS NULL OR last_ts >= %s"
            args = (since_ts,)
        return [_rows.story_state(r) for r in self._all(sql, args) if r["n_articles"] > 0]

    def load_story(self, story_id: str) -> StoryState | None:
        """One stored story as the clusterer keeps it (one that has left its memory)."""
        row = self._one("SELECT * FROM stories WHERE id = %s", (story_id,))
        return _rows.story_state(row) if row is not None else None

    def outlet_dates(self) -> dict[str, list[str | None]]:
        """Each outlet → the publication dates of its articles (coverage gaps of a story)."""
        out: dict[str, list[str | None]] = {}
        for outlet, published in self._tuples("SELECT outlet, published FROM articles WHERE outlet IS NOT NULL"):
            out.setdefault(outlet, []).append(published)
        return out

    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        """id, outlet, published, title, body and duplicate_of of a story's articles, oldest first
        (copies carry no body)."""
        return [dict(r) for r in self._all(STORY_TEXTS, (story_id,))]

    def term_df(self) -> tuple[int, dict[str, int]]:
        row = self._one("SELECT value FROM meta WHERE key = 'n_docs'")
        return (int(row["value"]) if row else 0, dict(self._tuples("SELECT term, df FROM term_df")))

    # -- reading --------------------------------------------------------------------------
    def _copies(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        for cond, args in self._in("duplicate_of", ids):
            for r in self._all(f"SELECT id, outlet, url, published, path, duplicate_of, similarity "
                               f"FROM articles WHERE {cond} ORDER BY seq", args):
                out[r["duplicate_of"]].append(_rows.copy_dict(r))
        return out

    def _story_dict(self, row: Row, with_body: bool) -> dict[str, Any]:
        found = self._all(f"SELECT {article_columns(with_body)} FROM articles WHERE story_id = %s "
                          "AND duplicate_of IS NULL ORDER BY published_ts IS NULL, published_ts, seq", (row["id"],))
        articles = [_rows.article_dict(r, with_body) for r in found]
        return _rows.story_dict(row, articles, self._copies([a["id"] for a in articles]))

    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._all(f"SELECT * FROM stories WHERE n_articles > 0 ORDER BY last_ts IS NULL, last_ts DESC, "
                         f"n_articles DESC, id{self.BY_CODE_POINT} LIMIT %s OFFSET %s",
                         (self.NO_LIMIT if limit is None else limit, offset))
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
        for r in self._all(f"SELECT {article_columns(False, 'a.')}, s.thread_id FROM articles a "
                           "LEFT JOIN stories s ON s.id = a.story_id ORDER BY a.seq"):
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
        where: list[str] = ["s.n_articles > 0"]
        args: list[Any] = []
        if mentions is not None:
            cond, match_args = self._fts_match(mentions.terms)
            where.append(f"s.id IN (SELECT a.story_id {self.FTS_JOIN} WHERE {cond})")
            args += match_args
        for negate, name in (("", outlet), ("NOT ", without_outlet)):
            if name is not None:
                where.append(f"{negate}EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet = %s)")
                args.append(name)
        _time_bounds(where, args, "s.last_ts", since_ts, "s.first_ts", until_ts)
        if min_outlets > 1:
            where.append(f"{self.OUTLET_COUNT} >= %s")
            args.append(min_outlets)
        cond = " AND ".join(where)
        total = self._one(f"SELECT COUNT(*) AS n FROM stories s WHERE {cond}", args)["n"]  # type: ignore[index]
        # DESC (NULLs last) puts undated stories last, and lets the stories_last index give the order.
        rows = self._all(f"SELECT s.* FROM stories s WHERE {cond} ORDER BY s.last_ts DESC{self.NULLS_LAST}, "
                         f"s.n_articles DESC, s.id{self.BY_CODE_POINT} LIMIT %s OFFSET %s", [*args, limit, offset])
        return total, [self._story_dict(r, with_body=False) for r in rows]

    def story_headers(self, story_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id → title, first/last published, article count and outlets of each story (no articles)."""
        out: dict[str, dict[str, Any]] = {}
        for cond, args in self._in("id", sorted(set(story_ids))):
            for r in self._all(f"SELECT id, title, first_ts, last_ts, n_articles, outlets FROM stories "
                               f"WHERE {cond}", args):
                out[r["id"]] = {"id": r["id"], "title": r["title"], "first_published": _rows.iso(r["first_ts"]),
                                "last_published": _rows.iso(r["last_ts"]), "n_articles": r["n_articles"],
                                "outlets": sorted(_rows.loads(r["outlets"]))}
        return out

    def largest_stories(self, limit: int = 10) -> list[tuple[str, int]]:
        """(id, article count) of the stories with most articles."""
        return [(r["id"], r["n_articles"]) for r in self._all(
            f"SELECT id, n_articles FROM stories ORDER BY n_articles DESC, id{self.BY_CODE_POINT} LIMIT %s", (limit,))]

    def list_outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its article and story counts and the span of its dates, biggest first."""
        return [{"name": r["outlet"], "n_articles": r["n"], "n_stories": r["n_stories"],
                 "first_published": _rows.iso(r["first_ts"]), "last_published": _rows.iso(r["last_ts"])}
                for r in self._all(
                    "SELECT outlet, COUNT(*) AS n, COUNT(DISTINCT story_id) AS n_stories, "
                    "MIN(published_ts) AS first_ts, MAX(published_ts) AS last_ts FROM articles "
                    f"WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC, outlet{self.BY_CODE_POINT}")]

    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0
               ) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """({"articles": n, "stories": n} matching, one page of hits best first, each with its body and score)."""
        match, args = self._fts_match(query.terms)
        where = [match]
        if query.outlet is not None:
            where.append("a.outlet = %s")
            args.append(query.outlet)
        _time_bounds(where, args, "a.published_ts", query.since_ts, "a.published_ts", query.until_ts)
        cond = " AND ".join(where)
        total = self._one(f"SELECT COUNT(*) AS n, COUNT(DISTINCT a.story_id) AS n_stories {self.FTS_JOIN} "
                          f"WHERE {cond}", args)
        counts = {"articles": total["n"], "stories": total["n_stories"]}  # type: ignore[index]
        score, score_args, best_first = self._fts_ranked(query.terms)
        ranked = self._all(f"SELECT a.seq, {score} AS score {self.FTS_JOIN} WHERE {cond} "
                           f"ORDER BY {best_first}, a.seq LIMIT %s OFFSET %s", [*score_args, *args, limit, offset])
        if not ranked:
            return counts, []
        found: dict[int, Row] = {}
        for in_cond, in_args in self._in("seq", [r["seq"] for r in ranked]):
            found.update((r["seq"], r) for r in self._all(f"SELECT * FROM articles WHERE {in_cond}", in_args))
        hits = []
        for r in ranked:
            d = _rows.article_dict(found[r["seq"]], with_body=True)
            d["score"] = self._shown_score(r["score"])
            hits.append(d)
        return counts, hits

    def counts(self) -> dict[str, int]:
        row = self._one(
            "SELECT (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL) AS articles, "
            "(SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL) AS copies, "
            "(SELECT COUNT(*) FROM stories WHERE n_articles > 0) AS stories, "
            "(SELECT COUNT(DISTINCT outlet) FROM articles) AS outlets, "
            "(SELECT COUNT(*) FROM sources WHERE done = 1) AS sources")
        return dict(row)  # type: ignore[arg-type]

    def write_mark(self) -> tuple[Any, ...]:
        """Changes whenever another process writes articles, stories or file progress: a writer that keeps
        stories and signatures in memory between batches (``watch``) reloads them when it changed."""
        row = self._one("SELECT (SELECT COUNT(*) FROM articles) AS n, (SELECT MAX(seq) FROM articles) AS seq, "
                        "(SELECT MAX(updated_at) FROM stories) AS stories, "
                        "(SELECT MAX(updated_at) FROM sources) AS sources, "
                        "(SELECT COUNT(*) FROM story_merges) AS merges")
        return tuple(row[k] for k in ("n", "seq", "stories", "sources", "merges"))  # type: ignore[index]


    # -- stored analyses (``marsad.analysis``) ---------------------------------------------------
    def stale_analyses(self, version: int, story_ids: list[str] | None = None) -> list[tuple[str, int]]:
        """(id, revision) of the stories with articles whose stored analysis is missing, of another
        ``version`` or of an older revision; only among ``story_ids`` when given. Oldest first."""
        sql = ("SELECT s.id, s.revision FROM stories s LEFT JOIN story_analyses x ON x.story_id = s.id "
               "WHERE s.n_articles > 0 AND (x.story_id IS NULL OR x.version <> %s OR x.revision <> s.revision)")
        order = f" ORDER BY s.first_ts IS NULL, s.first_ts, s.id{self.BY_CODE_POINT}"
        if story_ids is None:
            return [(r["id"], r["revision"]) for r in self._all(sql + order, (version,))]
        out: list[tuple[str, int]] = []
        for cond, args in self._in("s.id", sorted(set(story_ids))):
            out += [(r["id"], r["revision"]) for r in self._all(f"{sql} AND {cond}{order}", [version, *args])]
        return out

    def emptied_analyses(self) -> list[str]:
        """Stories analysed once that no longer have articles (merged into another, or emptied by moves)."""
        return [r["story_id"] for r in self._all(
            "SELECT x.story_id FROM story_analyses x JOIN stories s ON s.id = x.story_id WHERE s.n_articles = 0")]

    def story_revision(self, story_id: str) -> int | None:
        row = self._one("SELECT revision FROM stories WHERE id = %s", (story_id,))
        return None if row is None else row["revision"]

    def analysis(self, story_id: str) -> dict[str, Any] | None:
        """The stored analysis of a story (entities and compare decoded) with ``current_revision``, the
        story's revision now; None when it was never analysed."""
        row = self._one("SELECT x.*, s.revision AS current_revision FROM story_analyses x "
                        "JOIN stories s ON s.id = x.story_id WHERE x.story_id = %s", (story_id,))
        if row is None:
            return None
        out = dict(row)
        out["entities"] = _rows.loads(row["entities"])
        out["compare"] = _rows.loads(row["compare"]) if row["compare"] else None
        return out

    def write_analyses(self, results: list[dict[str, Any]], dropped: list[str],
                       summarise: Callable[[list[Row], list[Row]], tuple[list[dict[str, Any]],
                                                                         list[dict[str, Any]]]]) -> set[str]:
        """Store analyses (``marsad.analysis.analyse``) and forget those of ``dropped`` stories, in one
        transaction; then the actors they touch are summed again from their rows by ``summarise``
        (story_actors rows, actor_articles rows → actors rows, actor_outlets rows). Returns those actor ids."""
        now = _rows.now()
        gone = sorted({*dropped, *(r["story_id"] for r in results)})
        with self._transaction():
            actors = {r["actor_id"] for cond, args in self._in("story_id", gone)
                      for r in self._all(f"SELECT DISTINCT actor_id FROM story_actors WHERE {cond}", args)}
            for table in ("story_analyses", "story_actors", "actor_articles"):
                for cond, args in self._in("story_id", gone):
                    self._run(f"DELETE FROM {table} WHERE {cond}", args)
            self._run_many("INSERT INTO story_analyses (story_id, version, revision, analysed_at, seconds, "
                           "entities, compare) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                           [(r["story_id"], r["version"], r["revision"], now, r["seconds"],
                             self._text(json.dumps(r["entities"], ensure_ascii=False)),
                             None if r["compare"] is None else self._text(json.dumps(r["compare"], ensure_ascii=False)))
                            for r in results])
            self._run_many("INSERT INTO story_actors (story_id, actor_id, name, type, aliases, mentions, articles) "
                           "VALUES (%s,%s,%s,%s,%s,%s,%s)",
                           [(r["story_id"], a["id"], self._text(a["name"]), a["type"],
                             self._text(json.dumps(a["aliases"], ensure_ascii=False)), a["mentions"], a["articles"])
                            for r in results for a in r["actors"]])
            self._run_many("INSERT INTO actor_articles (actor_id, story_id, article_id, outlet, day, mentions, labels) "
                           "VALUES (%s,%s,%s,%s,%s,%s,%s)",
                           [(a["id"], r["story_id"], u["article"], self._text(u["outlet"]), u["day"], u["mentions"],
                             self._text(json.dumps(u["labels"], ensure_ascii=False)))
                            for r in results for a in r["actors"] for u in a["uses"]])
            actors.update(a["id"] for r in results for a in r["actors"])
            ids = sorted(actors)
            story_rows = [r for cond, args in self._in("actor_id", ids) for r in self._all(
                f"SELECT actor_id, story_id, name, type, aliases, mentions, articles FROM story_actors WHERE {cond}",
                args)]
            article_rows = [r for cond, args in self._in("actor_id", ids) for r in self._all(
                f"SELECT actor_id, outlet, day, mentions, labels FROM actor_articles WHERE {cond}", args)]
            summed, outlets = summarise(story_rows, article_rows)
            for table, column in (("actors", "id"), ("actor_outlets", "actor_id")):
                for cond, args in self._in(column, ids):
                    self._run(f"DELETE FROM {table} WHERE {cond}", args)
            self._run_many("INSERT INTO actors (id, name, type, aliases, articles, stories, mentions, first_day, "
                           "last_day) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                           [(a["id"], self._text(a["name"]), a["type"],
                             self._text(json.dumps(a["aliases"], ensure_ascii=False)), a["articles"], a["stories"],
                             a["mentions"], a["first_day"], a["last_day"]) for a in summed])
            self._run_many("INSERT INTO actor_outlets (actor_id, outlet, articles, mentions, labels) "
                           "VALUES (%s,%s,%s,%s,%s)",
                           [(o["actor_id"], self._text(o["outlet"]), o["articles"], o["mentions"],
                             self._text(json.dumps(o["labels"], ensure_ascii=False))) for o in outlets])
        return actors

    def list_actors(self, limit: int | None = None, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(how many actors, one page of them most articles first, each with ``labels``: outlet →
        [[label, count], …] as ``marsad.analysis`` summed them)."""
        total = self._one("SELECT COUNT(*) AS n FROM actors")["n"]  # type: ignore[index]
        rows = self._all(f"SELECT * FROM actors ORDER BY articles DESC, mentions DESC, name{self.BY_CODE_POINT}, "
                         f"id LIMIT %s OFFSET %s", (self.NO_LIMIT if limit is None else limit, offset))
        labels: dict[str, dict[str, Any]] = {r["id"]: {} for r in rows}
        ids = list(labels) if limit is not None else []
        query = (f"SELECT actor_id, outlet, labels FROM actor_outlets WHERE {{}} "
                 f"ORDER BY actor_id, outlet{self.BY_CODE_POINT}")
        conds = self._in("actor_id", ids) if ids else [("1 = 1", [])] if rows else []
        for cond, args in conds:
            for r in self._all(query.format(cond), args):
                if r["actor_id"] in labels and r["labels"] != "[]":
                    labels[r["actor_id"]][r["outlet"]] = _rows.loads(r["labels"])
        return total, [_rows.actor_dict(r, labels[r["id"]]) for r in rows]

    def get_actor(self, actor_id: str) -> dict[str, Any] | None:
        """One actor with its per-outlet counts and labels, and every article row behind them."""
        row = self._one("SELECT * FROM actors WHERE id = %s", (actor_id,))
        if row is None:
            return None
        outlets = self._all(f"SELECT outlet, articles, mentions, labels FROM actor_outlets WHERE actor_id = %s "
                            f"ORDER BY articles DESC, outlet{self.BY_CODE_POINT}", (actor_id,))
        uses = self._all("SELECT u.story_id, u.article_id, u.outlet, u.day, u.mentions, u.labels, s.title "
                         "FROM actor_articles u LEFT JOIN stories s ON s.id = u.story_id WHERE u.actor_id = %s "
                         f"ORDER BY u.day, u.article_id{self.BY_CODE_POINT}", (actor_id,))
        out = _rows.actor_dict(row, {o["outlet"]: _rows.loads(o["labels"]) for o in outlets if o["labels"] != "[]"})
        out["outlets"] = [{"outlet": o["outlet"], "articles": o["articles"], "mentions": o["mentions"]}
                          for o in outlets]
        out["uses"] = [{"story": u["story_id"], "story_title": u["title"], "article": u["article_id"],
                        "outlet": u["outlet"], "day": u["day"], "mentions": u["mentions"],
                        "labels": _rows.loads(u["labels"])} for u in uses]
        return out

    def find_actor_ids(self, name: str) -> list[str]:
        """Ids of the actors whose name, or one of whose aliases, is ``name`` as written; most articles first."""
        like = "%" + json.dumps(name, ensure_ascii=False) + "%"   # LIKE's wildcards in a name only widen it
        return [r["id"] for r in self._all("SELECT id, name, aliases FROM actors WHERE name = %s OR aliases LIKE %s "
                                           "ORDER BY articles DESC, id", (name, like))
                if r["name"] == name or name in _rows.loads(r["aliases"])]

    def outlet_actor_labels(self, outlet: str, limit: int) -> list[dict[str, Any]]:
        """The actors with most articles that ``outlet`` put labels on, each with its labels there."""
        return [{"id": r["id"], "actor": r["name"], "type": r["type"], "labels": _rows.loads(r["labels"])}
                for r in self._all(
                    "SELECT a.id, a.name, a.type, o.labels FROM actor_outlets o JOIN actors a ON a.id = o.actor_id "
                    f"WHERE o.outlet = %s AND o.labels <> '[]' ORDER BY a.articles DESC, a.mentions DESC, "
                    f"a.name{self.BY_CODE_POINT} LIMIT %s", (outlet, limit))]

    def outlet_activity(self, since_ts: float | None, until_ts: float | None) -> dict[str, tuple[int, int]]:
        """Each outlet → (its articles and copies, those published in [since_ts, until_ts]): which outlets
        were active around a story (coverage gaps)."""
        if since_ts is None or until_ts is None:
            window, args = "0", []
        else:
            window, args = "CASE WHEN published_ts >= %s AND published_ts <= %s THEN 1 ELSE 0 END", [since_ts, until_ts]
        return {r["outlet"]: (r["n"], r["near"]) for r in self._all(
            f"SELECT outlet, COUNT(*) AS n, SUM({window}) AS near FROM articles WHERE outlet IS NOT NULL "
            f"GROUP BY outlet", args)}


def _time_bounds(where: list[str], args: list[Any], since_column: str, since_ts: float | None,
                 until_column: str, until_ts: float | None) -> None:
    """Add ``since_column >= since_ts`` and ``until_column < until_ts`` to a WHERE list, when given."""
    if since_ts is not None:
        where.append(f"{since_column} >= %s")
        args.append(since_ts)
    if until_ts is not None:
        where.append(f"{until_column} < %s")
        args.append(until_ts)


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# A story's articles as the clusterer reads them back (``Store.story_texts``).
STORY_TEXTS = ("SELECT id, outlet, published, title, CASE WHEN duplicate_of IS NULL THEN body END AS body, "
               "duplicate_of FROM articles WHERE story_id = %s ORDER BY seq")
# An article placed again in another story takes its copies with it (``BatchWrite.moves``).
MOVE_ARTICLE = "UPDATE articles SET story_id = %s WHERE id = %s OR duplicate_of = %s"

# A story written again is no longer merged into another.
STORY_UPSERT = ("INSERT INTO stories (id, title, first_ts, last_ts, n_articles, outlets, centroid, thread_id, "
                "updated_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                "title=excluded.title, first_ts=excluded.first_ts, last_ts=excluded.last_ts, "
                "n_articles=excluded.n_articles, outlets=excluded.outlets, centroid=excluded.centroid, "
                "thread_id=excluded.thread_id, merged_into=NULL, updated_at=excluded.updated_at")
SOURCE_UPSERT = ("INSERT INTO sources (key, path, position, done, updated_at, failed) VALUES (%s,%s,%s,%s,%s,%s) "
                 "ON CONFLICT (key) DO UPDATE SET path=excluded.path, position=excluded.position, "
                 "done=excluded.done, updated_at=excluded.updated_at, failed=excluded.failed")


def story_params(stories: Iterable[StoryState], now: str, text: Callable[[str | None], str | None] = SqlStore._text
                 ) -> list[tuple[Any, ...]]:
    """``STORY_UPSERT`` rows, by id (so two writers lock stories in one order); ``text`` cleans
    what the backend cannot hold."""
    return [(s.id, text(s.title), s.first_ts, s.last_ts, s.n_articles, json.dumps(s.outlets, ensure_ascii=False),
             json.dumps(s.centroid, ensure_ascii=False), s.thread_id, now) for s in sorted(stories, key=lambda s: s.id)]


def source_params(sources: Iterable[SourceProgress], now: str) -> list[tuple[Any, ...]]:
    return [(s.key, s.path, s.position, int(s.done), now, s.failed) for s in sources]


def demote_steps(old: str, new: str, similarity: float, story: str | None) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements making a stored original, and its copies, copies of an earlier-published
    article stored in the same batch (its copies keep their similarity to it)."""
    return [("UPDATE articles SET duplicate_of = %s, similarity = %s WHERE id = %s", (new, similarity, old)),
            ("UPDATE articles SET duplicate_of = %s WHERE duplicate_of = %s", (new, old)),
            ("UPDATE articles SET story_id = %s WHERE duplicate_of = %s", (story, new)),
            ("UPDATE minhashes SET root = %s WHERE root = %s", (new, old))]


def merge_steps(merge: StoryMerge, now: str) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements recording one story absorbed by another: its articles move, its id (and the ids
    merged into it before) lead to the absorbing story, and the merge is logged with its reason."""
    return [("UPDATE articles SET story_id = %s WHERE story_id = %s", (merge.into, merge.absorbed)),
            ("UPDATE stories SET merged_into = %s WHERE id = %s", (merge.into, merge.absorbed)),
            ("UPDATE stories SET merged_into = %s WHERE merged_into = %s", (merge.into, merge.absorbed)),
            ("INSERT INTO story_merges VALUES (%s,%s,%s,%s,%s)",
             (merge.into, merge.absorbed, merge.similarity, merge.reason, now))]
