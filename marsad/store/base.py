"""The narrow interface the rest of Marsad uses to keep articles and stories.

SQL lives only in ``marsad/store/``. One writer; every ``write_batch`` is one
transaction that holds the batch's articles, the stories they changed and the
progress of their source files, so a run killed at any point resumes without
duplicates or holes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..article import Article
from ..search import SearchQuery


@dataclass
class StoryState:
    """A story as the clusterer keeps it: its term centroid and time span."""

    id: str
    title: str | None
    first_ts: float | None
    last_ts: float | None
    n_articles: int = 0
    outlets: dict[str, int] = field(default_factory=dict)  # outlet → article count
    centroid: dict[str, float] = field(default_factory=dict)
    thread_id: str | None = None  # the thread (happening and what follows from it)


@dataclass
class StoryMerge:
    """A story absorbed into another once they turned out to be one event."""

    into: str
    absorbed: str
    similarity: float
    reason: str


@dataclass
class BatchWrite:
    """Everything one batch changes, written in one transaction."""

    articles: list[Article]                      # new articles (copies carry duplicate_of)
    stories: list[StoryState]                    # stories created or changed
    df_delta: dict[str, int]                     # document-frequency increments
    sources: list[SourceProgress]                # progress of the input files
    fingerprints: dict[str, str]                 # article id → exact-copy fingerprint
    merges: list[StoryMerge] = field(default_factory=list)
    signatures: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # id → (MinHash, original id)
    copy_similarity: dict[str, float] = field(default_factory=dict)  # copy id → similarity
    # stored articles that changed story (placed again after earlier articles arrived): id → story;
    # applied after the merges, and an article's copies follow it
    moves: dict[str, str] = field(default_factory=dict)
    # stored originals that an earlier-published copy of this batch replaces: old original id →
    # (new original id, similarity, the new original's story); the old one and its copies become
    # copies of the new one (applied before the merges)
    demoted: dict[str, tuple[str, float, str | None]] = field(default_factory=dict)
    # filled by ``Store.write_batch``: the stories whose articles this batch changed (their revision
    # went up, so their stored analyses are stale)
    touched: set[str] = field(default_factory=set)


@dataclass
class SourceProgress:
    key: str           # sha1 of the file's bytes
    path: str
    position: int      # records (lines) done; 0 for one-article files
    done: bool
    failed: int = 0    # its records (or the file) that could not be read, so far


@dataclass
class FeedState:
    """What ``marsad watch`` remembers of a feed between polls and runs."""

    url: str
    etag: str | None = None             # validators of the last feed response, for a conditional GET
    last_modified: str | None = None
    checked_at: str | None = None
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)  # page link → {reason, attempts}
    skipped: list[str] = field(default_factory=list)                # links that are no article


class Store(Protocol):
    def source_progress(self, key: str) -> SourceProgress | None: ...
    def feed_state(self, url: str) -> FeedState | None: ...
    def save_feed_state(self, state: FeedState) -> None: ...
    def find_fingerprints(self, fingerprints: list[str]) -> dict[str, tuple[str, str | None]]: ...
    def existing_ids(self, ids: list[str]) -> dict[str, str | None]: ...
    def write_batch(self, batch: BatchWrite) -> int: ...
    def minhash_signatures(self) -> Iterator[tuple[str, bytes, str, float | None]]: ...
    def story_of(self, article_id: str) -> str | None: ...
    def load_stories(self, since_ts: float | None = None) -> list[StoryState]: ...
    def load_story(self, story_id: str) -> StoryState | None: ...
    def term_df(self) -> tuple[int, dict[str, int]]: ...
    def story_texts(self, story_id: str) -> list[dict[str, Any]]: ...
    def outlet_dates(self) -> dict[str, list[str | None]]: ...
    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]: ...
    def get_story(self, story_id: str, with_body: bool = False) -> dict[str, Any] | None: ...
    def get_article(self, article_id: str) -> dict[str, Any] | None: ...
    def iter_articles(self) -> list[dict[str, Any]]: ...
    def find_stories(self, limit: int = 20, offset: int = 0, outlet: str | None = None,
                     since_ts: float | None = None, until_ts: float | None = None,
                     without_outlet: str | None = None, min_outlets: int = 0,
                     mentions: SearchQuery | None = None) -> tuple[int, list[dict[str, Any]]]: ...
    def story_headers(self, story_ids: list[str]) -> dict[str, dict[str, Any]]: ...
    def list_outlets(self) -> list[dict[str, Any]]: ...
    # Full-text search over ``marsad.search`` keys (SQLite: FTS5; PostgreSQL: a tsvector of the same keys
    # with the 'simple' configuration). Returns ({"articles": n, "stories": n}, hits best first with body
    # and ``score``, higher is better); highlighting and grouping by story happen in ``queries.search``.
    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0
               ) -> tuple[dict[str, int], list[dict[str, Any]]]: ...
    def counts(self) -> dict[str, int]: ...
    # Be the one process writing (an ingest run, a watch poll): a second writer waits, told through on_wait.
    def writing(self, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]: ...
    # An opaque value that changes when another process writes (see SqlStore.write_mark).
    def write_mark(self) -> tuple[Any, ...]: ...
    def close(self) -> None: ...
