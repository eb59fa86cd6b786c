"""Line-level boilerplate detection for scraped Arabic news pages.

Each line gets a kind from features that generalise across sites: its length in
words, whether it ends like a sentence, whether it is Latin tracking junk, and
whether (folded) it is one of the known furniture phrases in
``data/ar/boilerplate.txt``. Position is used by ``page.py``: the body runs from
the first to the last prose line, so trailing related-headline runs fall away.
"""
from __future__ import annotations

import re
from enum import Enum

from .. import langdata
from ..normalize import arabic_ratio, fold_for_match, words, folded_phrase
from .dates import is_date_line

SENTENCE_END = ".!؟?:»\"'”)…"
MIN_PROSE_WORDS = 10          # a line this long is prose even without a full stop
MIN_PUNCTUATED_PROSE_WORDS = 5  # a shorter line is prose only when it ends like a sentence
MAX_PHRASE_EXTRA_WORDS = 3    # "شارك الخبر على فيسبوك": a phrase line may carry this many more words
MAX_DATELINE_WORDS = 6

_SOURCE_LINE = re.compile(r"^\s*(?P<head>[^|:：\-–—]{2,20}?)\s*[|:：\-–—]\s*(?P<value>.{2,60}?)\s*$")
_DATELINE = re.compile(r"^\s*(?P<a>[^\-–—|]{2,40}?)\s*[\-–—|]\s*(?P<b>[^\-–—|]{2,40}?)\s*$")
_JUNK = re.compile(r"^[\W_]*[A-Za-z0-9_\-]{2,20}[\W_]*$")


class Kind(str, Enum):
    BLANK = "blank"
    JUNK = "junk"            # tracking pixels and stray Latin tokens: fbpx
    DROP = "drop"            # share prompts and other furniture phrases
    RELATED = "related"      # a "related news" header
    KEYWORDS = "keywords"    # a keyword-block header
    SOURCE = "source"        # "المصدر | outlet"
    DATELINE = "dateline"    # "outlet – متابعات"
    DATE = "date"            # a line that is only a date
    PROSE = "prose"
    SHORT = "short"          # anything else: titles, subheads, headlines, tags


def _phrase_kind(folded_words: list[str]) -> str | None:
    """The boilerplate kind of a line whose folded words start with a known phrase."""
    phrases = langdata.boilerplate()
    for n in range(min(len(folded_words), 6), 0, -1):
        head = " ".join(folded_words[:n])
        if head in phrases and len(folded_words) - n <= MAX_PHRASE_EXTRA_WORDS:
            return phrases[head]
    return None


def source_value(line: str) -> str | None:
    """The outlet named by a source line ("المصدر | الخليج الجديد"), else None."""
    m = _SOURCE_LINE.match(line)
    if not m:
        return None
    if langdata.boilerplate().get(folded_phrase(m.group("head"))) == "source":
        return m.group("value").strip()
    return None


def dateline_outlet(line: str) -> str | None:
    """The outlet of a dateline ("يافع نيوز – متابعات" → "يافع نيوز"), else None."""
    if len(line.split()) > MAX_DATELINE_WORDS:
        return None
    m = _DATELINE.match(line)
    if not m:
        return None
    marks = langdata.dateline_words()
    a, b = m.group("a").strip(), m.group("b").strip()
    if folded_phrase(b) in marks:
        return a
    if folded_phrase(a) in marks:
        return b
    return None


def is_prose(line: str) -> bool:
    n = len(line.split())
    if n >= MIN_PROSE_WORDS:
        return True
    return n >= MIN_PUNCTUATED_PROSE_WORDS and line.rstrip()[-1:] in SENTENCE_END


def classify_line(line: str) -> Kind:
    """The kind of one stripped line (see ``Kind``)."""
    if not line:
        return Kind.BLANK
    folded_words = words(line)
    if not folded_words:
        return Kind.JUNK
    if _JUNK.match(line) and arabic_ratio(line) == 0:
        return Kind.JUNK
    if source_value(line):
        return Kind.SOURCE
    kind = _phrase_kind(folded_words)
    if kind == "source":  # a source word not followed by an outlet ("المصدر" alone)
        return Kind.SHORT
    if kind:
        return Kind(kind)
    if dateline_outlet(line):
        return Kind.DATELINE
    if len(folded_words) <= 12 and is_date_line(line):
        return Kind.DATE
    if is_prose(line):
        return Kind.PROSE
    return Kind.SHORT


__all__ = ["Kind", "classify_line", "dateline_outlet", "source_value", "is_prose",
           "fold_for_match"]
