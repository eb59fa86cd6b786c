"""The one record type that flows through every Marsad stage."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class Article:
    """A news article. Stages fill fields; none renames or re-types them.

    ``body`` and ``title`` are always the original text (minus boilerplate);
    folded forms for matching are computed on demand, never stored over them.
    """

    id: str                          # the input's own id, else a stable hash of the record's bytes
    path: str                        # the input file
    record: str | None = None        # where in it: "line 17"; None for one-article files
    body: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    duplicate_of: str | None = None  # set by dedup: id of the earliest-published copy (the original)
    story_id: str | None = None      # set by stories
    # what one stage computes from the text for later ones (fingerprint, MinHash, search keys),
    # so the work can run in a worker process; never stored as such
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def where(self) -> str:
        """``path`` or ``path:record`` for messages."""
        return f"{self.path}:{self.record}" if self.record else self.path

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("derived")
        d["published"] = format_published(self.published)
        return d


def format_published(value: datetime | None) -> str | None:
    """ISO 8601; seconds dropped when zero so a page's '10:29 م' stays '…T22:29'."""
    if value is None:
        return None
    spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
    return value.isoformat(timespec=spec)


def timestamp(value: datetime | None) -> float | None:
    """Seconds since the epoch; a date without a zone is taken as UTC (for ordering and windows)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()
