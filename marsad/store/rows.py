"""Rows → the plain objects and dicts every store returns: written once for both backends.

A store runs its own SQL and hands each row (any mapping of column → value) to these.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from .base import FeedState, SourceProgress, StoryMerge, StoryState

Row = Mapping[str, Any]


def _same(text: str | None) -> str | None:
    return text


def iso(ts: float | None) -> str | None:
    """Epoch seconds → 'YYYY-MM-DDTHH:MMZ' in UTC, marked so (stories' and outlets' first and last
    publication; the day filters since/until count UTC days too). Articles keep the offset they were
    published with."""
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def source_progress(row: Row | None) -> SourceProgress | None:
    return None if row is None else SourceProgress(row["key"], row["path"], row["position"], bool(row["done"]),
                                                   row["failed"] or 0)


def feed_state(row: Row | None) -> FeedState | None:
    if row is None:
        return None
    return FeedState(row["url"], row["etag"], row["last_modified"], row["checked_at"],
                     json.loads(row["failed"]), json.loads(row["skipped"]))


def story_state(row: Row) -> StoryState:
    return StoryState(row["id"], row["title"], row["first_ts"], row["last_ts"], row["n_articles"],
                      json.loads(row["outlets"]), json.loads(row["centroid"]), row["thread_id"])


def article_dict(row: Row, with_body: bool) -> dict[str, Any]:
    d = {k: row[k] for k in ("id", "path", "record", "url", "outlet", "title", "published")}
    d["tags"] = json.loads(row["tags"])
    d["story_id"] = row["story_id"]
    d["duplicate_of"] = row["duplicate_of"]
    if with_body:
        d["body"] = row["body"]
        d["extra"] = json.loads(row["extra"])
    return d


def copy_dict(row: Row) -> dict[str, Any]:
    """A copy as listed under its original (``copies``)."""
    return {"id": row["id"], "outlet": row["outlet"], "url": row["url"], "path": row["path"],
            "published": row["published"],
            "similarity": row["similarity"] if row["similarity"] is not None else 1.0}


def story_dict(row: Row, articles: list[dict[str, Any]], copies: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A story with its articles (each given its ``copies``), outlets and span."""
    for a in articles:
        a["copies"] = copies.get(a["id"], [])
    outlets = sorted({a["outlet"] for a in articles if a["outlet"]} |
                     {c["outlet"] for a in articles for c in a["copies"] if c["outlet"]})
    return {"id": row["id"], "title": row["title"], "thread_id": row["thread_id"],
            "first_published": iso(row["first_ts"]), "last_published": iso(row["last_ts"]),
            "n_articles": len(articles), "n_copies": sum(len(a["copies"]) for a in articles),
            "outlets": outlets, "articles": articles}


# A story's articles as the clusterer reads them back (``Store.story_texts``); %s placeholders.
STORY_TEXTS = ("SELECT id, outlet, published, title, CASE WHEN duplicate_of IS NULL THEN body END AS body, "
               "duplicate_of FROM articles WHERE story_id = %s ORDER BY seq")
# An article placed again in another story takes its copies with it (``BatchWrite.moves``).
MOVE_ARTICLE = "UPDATE articles SET story_id = %s WHERE id = %s OR duplicate_of = %s"

# The statements of ``Store.write_batch`` that both backends write alike (%s placeholders; SQLite
# swaps them for ?). A story written again is no longer merged into another.
STORY_UPSERT = ("INSERT INTO stories (id, title, first_ts, last_ts, n_articles, outlets, centroid, thread_id, "
                "updated_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                "title=excluded.title, first_ts=excluded.first_ts, last_ts=excluded.last_ts, "
                "n_articles=excluded.n_articles, outlets=excluded.outlets, centroid=excluded.centroid, "
                "thread_id=excluded.thread_id, merged_into=NULL, updated_at=excluded.updated_at")
SOURCE_UPSERT = ("INSERT INTO sources (key, path, position, done, updated_at, failed) VALUES (%s,%s,%s,%s,%s,%s) "
                 "ON CONFLICT (key) DO UPDATE SET path=excluded.path, position=excluded.position, "
                 "done=excluded.done, updated_at=excluded.updated_at, failed=excluded.failed")


def story_params(stories: Iterable[StoryState], now: str, text: Callable[[str | None], str | None] = _same
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
