"""Errors that name the file, the record and what to do.

The pipeline turns every ``MarsadError`` into one line of report and goes on
with the next record; the CLI prints it without a traceback.
"""
from __future__ import annotations


class MarsadError(Exception):
    """Base error: ``path`` and ``record`` say where, ``hint`` what to do."""

    reason = "error"

    def __init__(self, message: str, path: str | None = None, record: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.record = record
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.record}: " if self.record else f"{self.path}: "
        tail = f"; {self.hint}" if self.hint else ""
        return one_line(f"{where}{self.message}{tail}")


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and other control characters a hostile input put into a message
    (a header, a URL, a file name) are written as escapes, so each error stays one line of a log."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class InputError(MarsadError):
    """A file or record that cannot be read as an article."""

    reason = "bad input"


class EmptyInput(InputError):
    reason = "empty"


class BinaryInput(InputError):
    reason = "binary"


class DecodingError(InputError):
    reason = "encoding"


class TruncatedInput(InputError):
    reason = "truncated"


class BadRecord(InputError):
    reason = "bad record"


class TooLarge(InputError):
    """A file, page or record larger than any article can be: skipped without being read into memory."""

    reason = "too large"


class NoArticle(InputError):
    """The input was read but holds no article text."""

    reason = "no article"


class UnsupportedInput(InputError):
    reason = "unsupported"


class FailedBefore(InputError):
    """A file read whole by an earlier run, some of whose records could not be read then."""

    reason = "failed before"


class SkippedInput(InputError):
    """A record read fine but deliberately not stored; counted as skipped, not failed (exit status 0)."""

    reason = "skipped"


class NotAnArticle(SkippedInput):
    """A crawled page that is no article: a home, tag or section page, media, a redirect, an HTTP error."""

    reason = "not an article"


class StoreError(MarsadError):
    reason = "store"


class NotFound(MarsadError):
    reason = "not found"


class BadParameter(MarsadError):
    """A request parameter (a date, a page size, a search query) that cannot be used; says what would work."""

    reason = "bad parameter"
