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
from functools import cache

from .. import langdata
from ..normalize import arabic_ratio, first_words, fold_for_match, folded_phrase, words
from .dates import is_date_line

SENTENCE_END = ".!؟?:»\"'”)…"
MIN_PROSE_WORDS = 10          # a line this long is prose even without a full stop
MIN_PUNCTUATED_PROSE_WORDS = 5  # a shorter line is prose only when it ends like a sentence
MAX_PHRASE_EXTRA_WORDS = 3    # "شارك الخبر على فيسبوك": a phrase line may carry this many more words
MAX_DATELINE_WORDS = 6
MAX_RIGHTS_WORDS = 20         # a copyright line is short; a sentence quoting "جميع الحقوق محفوظة" is not one
MAX_OUTLET_WORDS = 6          # what is left of a copyright line, to be an outlet's name

_SOURCE_LINE = re.compile(r"^\s*(?P<head>[^|:：\-–—]{2,20}?)\s*[|:：\-–—]\s*(?P<value>.{2,60}?)\s*$")
_DATELINE = re.compile(r"^\s*(?P<a>[^\-–—|]{2,40}?)\s*[\-–—|]\s*(?P<b>[^\-–—|]{2,40}?)\s*$")
_JUNK = re.compile(r"^[\W_]*[A-Za-z0-9_\-]{2,20}[\W_]*$")


class Kind(str, Enum):
    BLANK = "blank"
    JUNK = "junk"            # tracking pixels and stray Latin tokens: fbpx
    DROP = "drop"            # share prompts and other furniture phrases
    RELATED = "related"      # a "related news" header
    KEYWORDS = "keywords"    # a keyword-block header
    COMMENTS = "comments"    # a readers' comments header: after the article, the rest of the page goes
    RIGHTS = "rights"        # a copyright line: "© 2018 صحيفة الوادي. جميع الحقوق محفوظة"
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


def related_phrase_length(line: str) -> int:
    """How many words of ``line`` a related-news phrase opens it with ("اقرأ أيضا: …" → 2), else 0."""
    folded_words = words(line)
    phrases = langdata.boilerplate()
    for n in range(min(len(folded_words), 6), 0, -1):
        if phrases.get(" ".join(folded_words[:n])) == "related":
            return n
    return 0


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


@cache
def _rights_phrases() -> tuple[str, ...]:
    return tuple(p for p, kind in langdata.boilerplate().items() if kind == "rights")


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|©|\(c\)", re.I)


def is_rights_line(line: str, need_year: bool = True) -> bool:
    """A site's copyright line: short, with a copyright sign, or a copyright phrase and a year
    ("جميع الحقوق محفوظة لـ … 2009", "© 2018 …"). A credit without a year ("حقوق النشر محفوظة
    لمجلة القافلة", closing a reprinted article) is the article's own line, unless ``need_year``
    is off (a page's footer)."""
    if line.count(" ") >= MAX_RIGHTS_WORDS and len(line.split()) > MAX_RIGHTS_WORDS:
        return False  # checked first: a paragraph is long, and searching and folding it is the cost
    if "©" in line:
        return True
    if need_year and not _YEAR.search(line):
        return False
    folded = f" {folded_phrase(line)} "
    return any(f" {p} " in folded for p in _rights_phrases())


_RIGHTS_NOISE = re.compile(r"©|\(c\)|\b(?:19|20)\d{2}\b|[|•·:.،,\-–—_]+", re.I)


def rights_outlet(line: str, need_year: bool = True) -> str | None:
    """The outlet a copyright line names ("جميع الحقوق محفوظة لـ صحيفة الوادي © 2009" → "صحيفة
    الوادي"), else None: the line without its sign, years, rights phrase and the لـ before a name."""
    if not is_rights_line(line, need_year):
        return None
    words = line.split()
    folded = [folded_phrase(w) for w in words]
    keep = [True] * len(words)
    for phrase in sorted(_rights_phrases(), key=len, reverse=True):
        n = len(phrase.split())
        for i in range(len(words) - n + 1):
            if all(keep[i:i + n]) and " ".join(folded[i:i + n]) == phrase:
                keep[i:i + n] = [False] * n
                after = i + n
                # "محفوظة لـ صحيفة …", "محفوظة لصحيفة …", "محفوظة للشروق": the ل belongs to the phrase
                if after < len(words) and words[after] in ("لـ", "ل", "to", "by", "for"):
                    keep[after] = False
                elif after < len(words) and words[after].startswith("لـ"):
                    words[after] = words[after][2:]
                elif after < len(words) and words[after].startswith("لل") and len(words[after]) > 4:
                    words[after] = "ا" + words[after][1:]
                elif after < len(words) and words[after].startswith("ل") and len(words[after]) > 3:
                    words[after] = words[after][1:]
    rest = " ".join(w for w, k in zip(words, keep) if k)
    rest = _RIGHTS_NOISE.sub(" ", rest)
    name = " ".join(rest.split()).strip(" .-–—|")
    if not name or len(name.split()) > MAX_OUTLET_WORDS or not re.search(r"[^\W\d_]", name):
        return None
    return name


_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
MAX_LINK_LINE_WORDS = 10  # "رابط المقال: https://…", "طبعت هذه المادة من موقع …: https://…"


def is_link_line(line: str) -> bool:
    """A short line that gives a web address (a print page's "رابط المقال: …"), not article text."""
    if "http" not in line and "www." not in line:
        return False
    return bool(_URL.search(line)) and len(_URL.sub(" ", line).split()) <= MAX_LINK_LINE_WORDS


def is_prose(line: str) -> bool:
    n = len(line.split())
    if n >= MIN_PROSE_WORDS:
        return True
    return n >= MIN_PUNCTUATED_PROSE_WORDS and line.rstrip()[-1:] in SENTENCE_END


_DECIDING_WORDS = 13
assert _DECIDING_WORDS > max(12, 6 + MAX_PHRASE_EXTRA_WORDS)


def classify_line(line: str) -> Kind:
    """The kind of one stripped line (see ``Kind``)."""
    if not line:
        return Kind.BLANK
    # the first 13 words decide: a phrase opens a line of at most 6 + MAX_PHRASE_EXTRA_WORDS words,
    # a date line has at most 12 (more than 13 words count as 13 here, with the same outcome)
    folded_words = first_words(line, _DECIDING_WORDS)
    if not folded_words:
        return Kind.JUNK
    if _JUNK.match(line) and arabic_ratio(line) == 0:
        return Kind.JUNK
    if source_value(line):
        return Kind.SOURCE
    if is_rights_line(line):
        return Kind.RIGHTS
    if is_link_line(line):
        return Kind.DROP
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


__all__ = ["Kind", "classify_line", "dateline_outlet", "source_value", "is_prose", "is_rights_line",
           "rights_outlet", "related_phrase_length", "fold_for_match"]
