"""Rows → the plain objects and dicts every store returns: written once for both backends.

A store runs its own SQL and hands each row (any mapping of column → value) to these.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import orjson

from .base import FeedState, SourceProgress, StoryState

_LONG_NUMBER = re.compile(r"[0-9]{19}")
_SMALL = 65536  # characters


def loads(text: str) -> Any:
    """JSON the store wrote, read back as ``json.loads`` reads it, faster where that counts.

    Many small texts (an actor's labels per outlet: 48,000 of them for ``marsad actors``) go to orjson, 4x
    faster there, unless it would read them otherwise: integers past 64 bits become floats in orjson (any run
    of 19 digits sends the text to json, also right when the digits were inside a string), and it refuses
    NaN and Infinity. A big text (a story's stored comparison, 1.3 MB of mostly Arabic strings) goes to json
    at once: both parse it at the same speed, and looking for long numbers in it would cost three times that.
    """
    if len(text) < _SMALL and _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


Row = Mapping[str, Any]


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
                     loads(row["failed"]), loads(row["skipped"]))


def story_state(row: Row) -> StoryState:
    return StoryState(row["id"], row["title"], row["first_ts"], row["last_ts"], row["n_articles"],
                      loads(row["outlets"]), loads(row["centroid"]), row["thread_id"])


def article_dict(row: Row, with_body: bool) -> dict[str, Any]:
    d = {k: row[k] for k in ("id", "path", "record", "url", "outlet", "title", "published")}
    d["tags"] = loads(row["tags"])
    d["story_id"] = row["story_id"]
    d["duplicate_of"] = row["duplicate_of"]
    if with_body:
        d["body"] = row["body"]
        d["extra"] = loads(row["extra"])
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


def actor_dict(row: Row, labels: dict[str, Any]) -> dict[str, Any]:
    """An actor across the database as ``marsad actors`` lists it."""
    return {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": loads(row["aliases"]),
            "articles": row["articles"], "stories": row["stories"], "mentions": row["mentions"],
            "first_day": row["first_day"], "last_day": row["last_day"], "labels": labels}
