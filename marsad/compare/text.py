"""Sentences and words of an article body, with character offsets into the stored body.

Everything here reads the original body and reports ``start``/``end`` offsets
into it, so ``body[start:end]`` is always the text shown. Matching keys are
folded with ``fold_with_offsets``; the folded text is never shown.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..langdata import word_list
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
    n_words: int


@dataclass(frozen=True)
class Token:
    """A folded word and where it stands in the original body."""

    key: str
    start: int
    end: int


@lru_cache(maxsize=512)
def tokens(body: str) -> tuple[Token, ...]:
    """The folded words of ``body`` with their original offsets (cached: every stage reads them)."""
    folded, offsets = fold_with_offsets(body)
    out = []
    for m in _WORD.finditer(folded):
        end = offsets[m.end() - 1] + 1
        while end < len(body) and _MARKS.match(body[end]):  # keep a final tanween or tatweel in the span
            end += 1
        out.append(Token(m.group(), offsets[m.start()], end))
    return tuple(out)


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


class _WordCounter:
    """Counts the words of ``body[start:end]`` from the body's tokens (folding the body once)."""

    def __init__(self, toks: Sequence[Token]) -> None:
        self.starts = [t.start for t in toks]

    def __call__(self, start: int, end: int) -> int:
        return bisect_left(self.starts, end) - bisect_left(self.starts, start)


def full_sentences(body: str, toks: Sequence[Token] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split at hard boundaries only."""
    count = _WordCounter(tokens(body) if toks is None else toks)
    return [(s, e) for s, e in _pieces(body, 0, len(body), _HARD) if count(s, e)]


def split_sentences(body: str, article: str = "", min_clause_words: int = 5,
                    toks: Sequence[Token] | None = None) -> list[Sentence]:
    """Sentences of ``body`` split at . ! ؟ ؛ and newlines, then at commas into clauses.

    A clause shorter than ``min_clause_words`` words joins the clause before it
    (the one after it when it opens the sentence), so each unit states something.
    """
    toks = tokens(body) if toks is None else toks
    count = _WordCounter(toks)
    units: list[Sentence] = []
    for n, (s, e) in enumerate(full_sentences(body, toks)):
        merged: list[list[int]] = []
        for cs, ce in _pieces(body, s, e, _SOFT):
            if merged and (count(cs, ce) < min_clause_words or count(*merged[-1]) < min_clause_words):
                merged[-1][1] = ce
            else:
                merged.append([cs, ce])
        for ms, me in merged:
            for cs, ce in _cut_at_openers(body, ms, me, toks, count, min_clause_words):
                units.append(Sentence(article, len(units), n, cs, ce, body[cs:ce], count(cs, ce)))
    return units


def _cut_at_openers(body: str, start: int, end: int, toks: Sequence[Token], count: _WordCounter,
                    min_words: int) -> list[tuple[int, int]]:
    """``body[start:end]`` cut before each clause opener (``clause_openers.txt``) that leaves both parts
    ``min_words`` words or more: one outlet's long sentence "قال إن X وإنه Y" against another's X and Y."""
    openers = word_list("clause_openers.txt")
    lo = bisect_left(count.starts, start)
    hi = bisect_left(count.starts, end)
    out: list[tuple[int, int]] = []
    piece = start
    for t in toks[lo:hi]:
        if t.key in openers and count(piece, t.start) >= min_words and count(t.start, end) >= min_words:
            out.append(_trim(body, piece, t.start))
            piece = t.start
    out.append(_trim(body, piece, end))
    return [p for p in out if p[1] > p[0]]
