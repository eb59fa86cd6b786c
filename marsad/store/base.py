"""The narrow interface the rest of Marsad uses to keep articles and stories.

SQL lives only in ``marsad/store/``. One writer; every ``write_batch`` is one
transaction that holds the batch's articles, the stories they changed and the
progress of their source files, so a run killed at any point resumes without
duplicates or holes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..article import Article


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


@dataclass
class SourceProgress:
    key: str           # sha1 of the file's bytes
    path: str
    position: int      # records (lines) done; 0 for one-article files
    done: bool


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
    def existing_ids(self, ids: list[str]) -> set[str]: ...
    def write_batch(self, articles: list[Article], stories: list[StoryState],
                    df_delta: dict[str, int], sources: list[SourceProgress],
                    fingerprints: dict[str, str]) -> int: ...
    def load_stories(self, since_ts: float | None = None) -> list[StoryState]: ...
    def term_df(self) -> tuple[int, dict[str, int]]: ...
    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]: ...
    def get_story(self, story_id: str, with_body: bool = False) -> dict[str, Any] | None: ...
    def get_article(self, article_id: str) -> dict[str, Any] | None: ...
    def iter_articles(self) -> list[dict[str, Any]]: ...
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...
