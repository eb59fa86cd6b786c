"""Sentences and words of an article body, with character offsets into the stored body.

Everything here reads the original body and reports ``start``/``end`` offsets
into it, so ``body[start:end]`` is always the text shown. Matching keys are
folded with ``fold_with_offsets``; the folded text is never shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import fold_with_offsets

# A hard boundary ends a sentence: newline, . ! ? ؟ ; ؛ and the ellipsis. A period between
# two digits (3.5) or inside an abbreviation written with dots (أ.ش.أ) is not one.
_HARD = re.compile(r"\n+|[!?؟;؛]+|\.{2,}|…|(?<!\d)\.|\.(?!\d)")
# A soft boundary (comma) ends a clause; clauses shorter than ``min_clause_words`` are
# merged into their neighbour, so "من جانبه،" or "السبت،" never stand alone.
_SOFT = re.compile(r"[،,]")
_WORD = re.compile(r"[0-9a-z\u0621-\u064A]+")
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_EDGE = " \t\r\n\u00a0-–—*•·"  # trimmed from unit edges; quotes and brackets are kept


@dataclass(frozen=True)
class Sentence:
    """A sentence (or clause) of one article: ``body[start:end] == text``."""

    article: str
    index: int      # position among the article's units
    sentence: int   # index of the full sentence (hard boundaries) it belongs to
    start: int
    end: int
    text: str

    @property
    def n_words(self) -> int:
        return len(_WORD.findall(fold_with_offsets(self.text)[0]))


@dataclass(frozen=True)
class Token:
    """A folded word and where it stands in the original body."""

    key: str
    start: int
    end: int


def tokens(body: str) -> list[Token]:
    """The folded words of ``body`` with their original offsets."""
    folded, offsets = fold_with_offsets(body)
    out = []
    for m in _WORD.finditer(folded):
        end = offsets[m.end() - 1] + 1
        while end < len(body) and _MARKS.match(body[end]):  # keep a final tanween or tatweel in the span
            end += 1
        out.append(Token(m.group(), offsets[m.start()], end))
    return out


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in _EDGE:
        start += 1
    while end > start and body[end - 1] in _EDGE:
        end -= 1
    return start, end


def _pieces(body: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in pattern.finditer(body, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [p for p in (_trim(body, s, e) for s, e in out) if p[1] > p[0]]


def _count_words(body: str, start: int, end: int) -> int:
    return len(_WORD.findall(fold_with_offsets(body[start:end])[0]))


def full_sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split at hard boundaries only."""
    return [(s, e) for s, e in _pieces(body, 0, len(body), _HARD) if _count_words(body, s, e)]


def split_sentences(body: str, article: str = "", min_clause_words: int = 5) -> list[Sentence]:
    """Sentences of ``body`` split at . ! ؟ ؛ and newlines, then at commas into clauses.

    A clause shorter than ``min_clause_words`` words joins the clause before it
    (the one after it when it opens the sentence), so each unit states something.
    """
    units: list[Sentence] = []
    for n, (s, e) in enumerate(full_sentences(body)):
        clauses = _pieces(body, s, e, _SOFT)
        merged: list[list[int]] = []
        for cs, ce in clauses:
            short = _count_words(body, cs, ce) < min_clause_words
            if merged and (short or _count_words(body, merged[-1][0], merged[-1][1]) < min_clause_words):
                merged[-1][1] = ce
            else:
                merged.append([cs, ce])
        for cs, ce in merged:
            units.append(Sentence(article, len(units), n, cs, ce, body[cs:ce]))
    return units
