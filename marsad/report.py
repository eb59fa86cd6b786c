"""What a run reports as it goes (``Progress``) and when it ends (``RunReport``).

Kept apart from the pipeline so that front ends can import them without loading
the pipeline's heavy dependencies (trafilatura, datasketch, scikit-learn).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .errors import InputError


@dataclass
class RunReport:
    files: int = 0
    files_skipped: int = 0          # already ingested whole
    read: int = 0                   # articles read
    stored: int = 0                 # new articles stored (copies included)
    already_stored: int = 0         # read but stored by an earlier run
    copies: int = 0                 # exact or near copies of an earlier article
    new_stories: int = 0
    moved: int = 0                  # stored articles that changed story once earlier articles arrived
    replaced: int = 0               # stored originals that became copies of an earlier-published copy
    dates_unread: int = 0           # articles read whose date could not be parsed (stored undated)
    failed: Counter[str] = field(default_factory=Counter)  # reason → count
    skipped: Counter[str] = field(default_factory=Counter)  # read but not stored on purpose (not an article)
    errors: list[InputError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files of other kinds found in folders
    seconds: float = 0.0
    interrupted: bool = False       # stopped by the user (Ctrl-C); the next run goes on from the last batch
    touched: set[str] = field(default_factory=set)   # stories whose articles this run changed
    analysis: dict[str, object] | None = None        # what analysing them did (``AnalyzeReport.as_dict``)

    @property
    def n_failed(self) -> int:
        return sum(self.failed.values())

    def as_dict(self) -> dict[str, object]:
        return {"files": self.files, "files_skipped": self.files_skipped, "read": self.read,
                "stored": self.stored, "already_stored": self.already_stored, "copies": self.copies,
                "new_stories": self.new_stories, "moved": self.moved, "replaced": self.replaced,
                "dates_unread": self.dates_unread,
                "failed": dict(self.failed), "skipped": dict(self.skipped), "errors": [str(e) for e in self.errors],
                "ignored": self.ignored, "seconds": round(self.seconds, 3), "interrupted": self.interrupted,
                "analysis": self.analysis}


class Progress:
    """What the pipeline tells a front end as it goes (the CLI draws a rich progress bar)."""

    def start(self, total_bytes: int, total_files: int) -> None: ...
    def advance(self, nbytes: int, report: RunReport) -> None: ...
    def error(self, error: InputError) -> None: ...
    def note(self, message: str) -> None: ...  # a word on what the run is doing (waiting for another writer)
    def finish(self, report: RunReport) -> None: ...
