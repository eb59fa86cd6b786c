"""``marsad check``: the invariants a database must hold, verified on SQLite or PostgreSQL.

Run after a crash, a full disk or a killed run: every article stored once and in exactly one
story (copies in their original's), copies linked to an original, story and outlet counts equal to
their articles, no dangling copy, merge, thread or signature link, the full-text index in step with
the articles, the sources' resume positions consistent with what is stored, and on SQLite
``PRAGMA integrity_check``. Each finding says what is wrong, how often, and a few examples.

Everything is read in one snapshot (a read transaction), so a check next to a running ``watch``
sees a consistent state. The queries are plain SQL both backends run alike; a few counts are
compared in Python (a story's outlets are a JSON object).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EXAMPLES = 5  # ids shown per finding
TS_TOLERANCE = 1e-6  # seconds: a story's span is computed from the same stored floats


@dataclass
class Finding:
    """One invariant that does not hold: ``what`` (a sentence), how many rows, a few of them."""

    check: str
    what: str
    count: int
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        shown = ", ".join(self.examples[:EXAMPLES])
        more = f" (e.g. {shown})" if shown else ""
        return f"{self.check}: {self.count} {self.what}{more}"


@dataclass
class CheckReport:
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # worth knowing, not wrong (a source read in part)
    checks: list[str] = field(default_factory=list)    # names of the invariants verified

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "counts": self.counts, "checks": self.checks,
                "problems": [{"check": f.check, "what": f.what, "count": f.count, "examples": f.examples[:EXAMPLES]}
                             for f in self.findings],
                "notes": self.notes}


class _Reader:
    """The few things the checks need from a connection: rows as tuples, one snapshot."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.dialect = "postgresql" if type(store).__name__ == "PostgresStore" else "sqlite"

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            from psycopg.rows import tuple_row

            with self.store.db.cursor(row_factory=tuple_row) as cur:
                cur.execute(sql)
                return cur.fetchall()
        return [tuple(r) for r in self.store.db.execute(sql).fetchall()]

    def one(self, sql: str) -> Any:
        return self.rows(sql)[0][0]

    def tables(self) -> set[str]:
        if self.dialect == "postgresql":
            return {r[0] for r in self.rows("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = current_schema()")}
        return {r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}


def check_store(store: Any) -> CheckReport:
    """Verify every invariant of ``store`` (a ``SqliteStore`` or ``PostgresStore``) in one snapshot."""
    db = _Reader(store)
    report = CheckReport()
    if db.dialect == "postgresql":
        with store.db.transaction():
            store.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            _run_all(db, report)
    else:
        store.db.execute("BEGIN")  # deferred: the first read fixes the snapshot (WAL)
        try:
            _run_all(db, report)
        finally:
            store.db.execute("ROLLBACK")
    return report


def _run_all(db: _Reader, report: CheckReport) -> None:
    for check in (_integrity, _articles, _copies, _stories, _merges, _signatures, _search_index, _docs,
                  _sources, _feeds, _analyses):
        name = check.__name__.strip("_").replace("_", " ")
        report.checks.append(name)
        try:
            check(db, report)
        except Exception as exc:  # a damaged file or table: say which check could not read it, go on
            if not _database_error(exc):
                raise
            _find(report, name, "check could not be run: the database could not be read", [_first_line(exc)],
                  count=1)
            if db.dialect == "postgresql":
                return  # the snapshot's transaction is aborted: nothing more can be read in it


def _database_error(exc: Exception) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.DatabaseError):
        return True
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(exc, psycopg.Error)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _find(report: CheckReport, check: str, what: str, examples: Iterable[Any], count: int | None = None) -> None:
    examples = [str(e) for e in examples]
    n = len(examples) if count is None else count
    if n:
        report.findings.append(Finding(check, what, n, examples[:EXAMPLES]))


# -- the checks ------------------------------------------------------------------------------
def _integrity(db: _Reader, report: CheckReport) -> None:
    """SQLite's own check of the file (pages, indexes, free list); PostgreSQL checks its pages as it reads."""
    if db.dialect != "sqlite":
        return
    lines = [r[0] for r in db.rows("PRAGMA integrity_check")]
    if lines != ["ok"]:
        _find(report, "sqlite", "problems reported by PRAGMA integrity_check", lines)


def _articles(db: _Reader, report: CheckReport) -> None:
    c = report.counts
    c["articles"] = db.one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL")
    c["copies"] = db.one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")
    c["stories"] = db.one("SELECT COUNT(*) FROM stories WHERE n_articles > 0")
    _find(report, "articles", "ids stored more than once",
          [r[0] for r in db.rows("SELECT id FROM articles GROUP BY id HAVING COUNT(*) > 1")])
    _find(report, "articles", "texts stored as more than one original (an exact copy not linked to the first)",
          [f"{r[1]} articles with fingerprint {r[0][:12]}" for r in db.rows(
              "SELECT fingerprint, COUNT(*) FROM articles WHERE duplicate_of IS NULL AND fingerprint IS NOT NULL "
              "GROUP BY fingerprint HAVING COUNT(*) > 1")])
    clustered = db.one("SELECT COUNT(*) FROM articles WHERE story_id IS NOT NULL")
    if clustered:  # stories are on (an ingest without clustering leaves every article storyless)
        _find(report, "articles", "articles in no story",
              [r[0] for r in db.rows("SELECT id FROM articles WHERE story_id IS NULL ORDER BY seq")])
    _find(report, "articles", "articles whose story does not exist",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT a.id, a.story_id FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
              "WHERE a.story_id IS NOT NULL AND s.id IS NULL ORDER BY a.seq")])
    _find(report, "articles", "articles in a story that was merged into another or emptied",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT a.id, a.story_id FROM articles a JOIN stories s ON s.id = a.story_id "
              "WHERE s.merged_into IS NOT NULL OR s.n_articles = 0 ORDER BY a.seq")])


def _copies(db: _Reader, report: CheckReport) -> None:
    _find(report, "copies", "copies whose original does not exist",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT a.id, a.duplicate_of FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of "
              "WHERE a.duplicate_of IS NOT NULL AND o.id IS NULL ORDER BY a.seq")])
    _find(report, "copies", "copies of a copy (a copy links to the first original)",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT a.id, a.duplicate_of FROM articles a JOIN articles o ON o.id = a.duplicate_of "
              "WHERE o.duplicate_of IS NOT NULL ORDER BY a.seq")])
    _find(report, "copies", "copies of themselves",
          [r[0] for r in db.rows("SELECT id FROM articles WHERE duplicate_of = id")])
    _find(report, "copies", "copies in another story than their original",
          [f"{r[0]} in {r[1]}, original in {r[2]}" for r in db.rows(
              "SELECT a.id, a.story_id, o.story_id FROM articles a JOIN articles o ON o.id = a.duplicate_of "
              "WHERE (a.story_id IS NULL AND o.story_id IS NOT NULL) OR (a.story_id IS NOT NULL AND "
              "o.story_id IS NULL) OR a.story_id <> o.story_id ORDER BY a.seq")])


def _stories(db: _Reader, report: CheckReport) -> None:
    """Each live story's article count, outlet counts and span equal those of its articles."""
    members: dict[str, list[tuple[str | None, float | None]]] = defaultdict(list)
    copy_outlets: dict[str, Counter[str]] = defaultdict(Counter)
    for story, outlet, ts, copy in db.rows("SELECT story_id, outlet, published_ts, duplicate_of FROM articles "
                                           "WHERE story_id IS NOT NULL"):
        if copy is None:
            members[story].append((outlet, ts))
        elif outlet:
            copy_outlets[story][outlet] += 1
    counts, outlets, spans, unreadable, empty_unmerged = [], [], [], [], []
    for sid, n, raw_outlets, first_ts, last_ts, merged in db.rows(
            "SELECT id, n_articles, outlets, first_ts, last_ts, merged_into FROM stories ORDER BY id"):
        mine = members.get(sid, [])
        if merged is not None:
            continue  # checked with the merges
        if n != len(mine):
            counts.append(f"{sid} says {n}, holds {len(mine)}")
        if n == 0 and not mine:
            empty_unmerged.append(sid)
            continue
        try:
            said = {k: int(v) for k, v in json.loads(raw_outlets).items()}
        except (ValueError, TypeError, AttributeError):
            unreadable.append(sid)
            continue
        have = Counter(o for o, _ in mine if o) + copy_outlets.get(sid, Counter())
        if said != dict(have):
            diff = sorted(set(said.items()) ^ set(have.items()))[:2]
            outlets.append(f"{sid} ({', '.join(f'{k}: {v}' for k, v in diff)})")
        dated = [ts for _, ts in mine if ts is not None]
        want = (min(dated), max(dated)) if dated else (None, None)
        if not _same_ts(first_ts, want[0]) or not _same_ts(last_ts, want[1]):
            spans.append(f"{sid}")
    _find(report, "stories", "stories whose article count differs from the articles they hold", counts)
    _find(report, "stories", "stories whose outlet counts differ from their articles and copies", outlets)
    _find(report, "stories", "stories whose first/last publication time differs from their articles'", spans)
    _find(report, "stories", "stories whose outlets are not a JSON object of counts", unreadable)
    _find(report, "stories", "empty stories not recorded as merged into another", empty_unmerged)
    _find(report, "stories", "live stories without a thread",
          [r[0] for r in db.rows("SELECT id FROM stories WHERE n_articles > 0 AND merged_into IS NULL "
                                 "AND thread_id IS NULL ORDER BY id")])


def _same_ts(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= TS_TOLERANCE)


def _merges(db: _Reader, report: CheckReport) -> None:
    _find(report, "merges", "merged stories whose target does not exist",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT s.id, s.merged_into FROM stories s LEFT JOIN stories t ON t.id = s.merged_into "
              "WHERE s.merged_into IS NOT NULL AND t.id IS NULL ORDER BY s.id")])
    _find(report, "merges", "merged stories whose target is itself merged or empty (its id leads nowhere)",
          [f"{r[0]} → {r[1]}" for r in db.rows(
              "SELECT s.id, s.merged_into FROM stories s JOIN stories t ON t.id = s.merged_into "
              "WHERE t.merged_into IS NOT NULL OR t.n_articles = 0 ORDER BY s.id")])
    _find(report, "merges", "merged stories still counting articles",
          [r[0] for r in db.rows("SELECT id FROM stories WHERE merged_into IS NOT NULL AND n_articles <> 0")])
    _find(report, "merges", "recorded merges naming a story that does not exist",
          [f"{r[1]} into {r[0]}" for r in db.rows(
              "SELECT m.into_id, m.absorbed_id FROM story_merges m LEFT JOIN stories a ON a.id = m.into_id "
              "LEFT JOIN stories b ON b.id = m.absorbed_id WHERE a.id IS NULL OR b.id IS NULL")])


def _signatures(db: _Reader, report: CheckReport) -> None:
    """MinHash signatures belong to a stored article and point at the original it is or copies."""
    _find(report, "signatures", "near-copy signatures of articles that do not exist",
          [r[0] for r in db.rows("SELECT m.id FROM minhashes m LEFT JOIN articles a ON a.id = m.id "
                                 "WHERE a.id IS NULL")])
    _find(report, "signatures", "near-copy signatures whose original is not the article's",
          [f"{r[0]} → {r[1]}, article's original {r[2]}" for r in db.rows(
              "SELECT m.id, m.root, COALESCE(a.duplicate_of, a.id) FROM minhashes m JOIN articles a ON a.id = m.id "
              "WHERE m.root <> COALESCE(a.duplicate_of, a.id)")])


def _search_index(db: _Reader, report: CheckReport) -> None:
    """One full-text row per stored article, and none for an article that is not stored."""
    if db.dialect == "sqlite":
        indexed = {r[0] for r in db.rows("SELECT rowid FROM articles_fts")}
    else:
        indexed = {r[0] for r in db.rows("SELECT seq FROM articles_fts")}
    stored = {r[0]: r[1] for r in db.rows("SELECT seq, id FROM articles")}
    _find(report, "search index", "articles missing from the full-text index",
          sorted(stored[s] for s in set(stored) - indexed))
    _find(report, "search index", "full-text rows of no stored article",
          [f"row {s}" for s in sorted(indexed - set(stored))])
    if db.dialect == "sqlite" and not report.findings:
        import sqlite3

        try:  # FTS5's own consistency check of its index structures (it changes nothing)
            db.rows("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        except sqlite3.OperationalError as exc:  # another process is writing: it needs the write lock
            report.notes.append(f"FTS5 integrity-check not run ({exc}); run the check again when no ingest runs")
        except sqlite3.DatabaseError as exc:  # 'database disk image is malformed'
            _find(report, "search index", "FTS5 integrity-check failures", [str(exc)])


def _docs(db: _Reader, report: CheckReport) -> None:
    """The document count idf is computed over equals the originals stored."""
    row = db.rows("SELECT value FROM meta WHERE key = 'n_docs'")
    n_docs = int(row[0][0]) if row else 0
    stored = report.counts["articles"]
    if n_docs != stored:
        _find(report, "term counts", f"documents counted for idf too many or too few ({n_docs} counted, "
              f"{stored} originals stored)", [], count=abs(n_docs - stored))
    negative = db.rows("SELECT term, df FROM term_df WHERE df < 0")
    _find(report, "term counts", "terms with a negative document count", [f"{t} ({n})" for t, n in negative])


_RECORD_NUMBER = re.compile(r"(\d+)$")


def _sources(db: _Reader, report: CheckReport) -> None:
    """Resume positions: sane numbers, and no stored record of a file past the position a rerun resumes at."""
    rows = db.rows("SELECT key, path, position, done, failed FROM sources ORDER BY path")
    report.counts["sources"] = sum(1 for r in rows if r[3])
    _find(report, "sources", "sources with a negative position or failure count",
          [r[1] for r in rows if r[2] < 0 or (r[4] or 0) < 0])
    _find(report, "sources", "sources whose done flag is neither 0 nor 1", [r[1] for r in rows if r[3] not in (0, 1)])
    by_path = Counter(r[1] for r in rows)
    partial = [r for r in rows if not r[3]]
    for key, path, position, _, _ in partial:
        report.notes.append(f"{path}: read up to record {position}, not to its end (a run stopped); "
                            "the same ingest command goes on from there")
    ahead = []
    for key, path, position, _, _ in partial:
        if by_path[path] != 1:
            continue  # another file was read at this path: its records cannot be told apart
        numbers = [int(m.group(1)) for (record,) in db.rows(_records_of(path))
                   if record and (m := _RECORD_NUMBER.search(record))]
        if numbers and max(numbers) > position:
            ahead.append(f"{path} resumes at {position}, holds record {max(numbers)}")
    _find(report, "sources", "sources with records stored past the position a rerun resumes at", ahead)


def _records_of(path: str) -> str:
    quoted = "'" + path.replace("'", "''") + "'"
    return f"SELECT record FROM articles WHERE path = {quoted}"


def _feeds(db: _Reader, report: CheckReport) -> None:
    bad = []
    for url, failed, skipped in db.rows("SELECT url, failed, skipped FROM feed_state ORDER BY url"):
        try:
            if not isinstance(json.loads(failed), dict) or not isinstance(json.loads(skipped), list):
                bad.append(url)
        except ValueError:
            bad.append(url)
    _find(report, "feeds", "feeds whose saved state cannot be read", bad)


def _analyses(db: _Reader, report: CheckReport) -> None:
    """Stored analyses (``marsad analyze``) belong to stories and articles that exist; a stale one (its story
    changed since) is a note: the next analysis brings it up to date."""
    if "story_analyses" not in db.tables():
        return
    _find(report, "analyses", "stored analyses of stories that do not exist",
          [r[0] for r in db.rows("SELECT x.story_id FROM story_analyses x LEFT JOIN stories s ON s.id = x.story_id "
                                 "WHERE s.id IS NULL ORDER BY x.story_id")])
    _find(report, "analyses", "actor rows of stories that do not exist",
          [f"{r[1]} in {r[0]}" for r in db.rows(
              "SELECT a.story_id, a.actor_id FROM story_actors a LEFT JOIN stories s ON s.id = a.story_id "
              "WHERE s.id IS NULL ORDER BY a.story_id")])
    _find(report, "analyses", "actor rows of articles that do not exist",
          [f"{r[1]} in {r[0]}" for r in db.rows(
              "SELECT a.article_id, a.actor_id FROM actor_articles a LEFT JOIN articles t ON t.id = a.article_id "
              "WHERE t.id IS NULL ORDER BY a.article_id")])
    stale = db.one("SELECT COUNT(*) FROM story_analyses x JOIN stories s ON s.id = x.story_id "
                   "WHERE x.revision <> s.revision")
    if stale:
        report.notes.append(f"{stale} stored analyses are older than their story's articles; "
                            "`marsad analyze` brings them up to date")
