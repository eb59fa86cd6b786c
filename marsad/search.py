"""Arabic full-text search: the index terms, the query language, highlighting. No SQL here.

Every store indexes the same *search keys* and answers the same parsed query, so a
PostgreSQL store can put the keys in a ``tsvector`` ('simple' configuration) and
get the same matches as SQLite's FTS5 table.

A search key is a word folded with ``fold_for_match`` and lightly segmented: a
leading conjunction و is split off (words of four letters or more, as in Larkey's
light10), then one definite article ال (also بال كال لل), when at least three
letters remain. So "الاماراتيه", "والإماراتية" and "الإماراتيّة" all give one key.
The index applies that one rule; a query word is expanded to the keys of its
written forms (with و, ال, وال and an attached preposition ب/ل/ك: "لحفتر",
"بحفتر"), so a word that itself starts with و ("وزير", "الوزير", "ووزير") and
the preposition forms, which are not split off in the index because doing so
would merge too many words, still match.

Spelling variants of one name meet through its skeleton: outlets write "ترامب" and
"ترمب", "أمريكا" and "أميركا". A key of five letters or more that is no everyday word
(``is_everyday``) keeps its first letter and drops the alef and ya after it
(``normalize.name_skeleton``); when four letters or more are left, that is what the index
holds and what a query word or phrase is matched by (``index_key``). So "ترامب" finds
"ترمب" and back, and both spellings score alike: the ranking does not favour the outlets
that write a name one way. و is kept ("محمود" is not "محمد"); everyday words keep all
their letters (جامعة is not جماعة); two names of one pattern (سليمان, سلمان) do meet.

A Latin word or number written onto an Arabic proclitic ("لـCNN", "و2018") is read
without it, and a number run into a word ("2018م") is that number.

Query language: words are ANDed; "a phrase in double quotes" must appear in that
order; that is all (no operators for users to get wrong).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import langdata
from .errors import BadParameter
from .normalize import fold_with_offsets, name_skeleton

MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 16
SNIPPET_CHARS = 260          # about forty Arabic words around the first match

_CONJUNCTION = "و"
_ARTICLES = ("بال", "كال", "لل", "ال")   # longest first
_QUERY_FORMS = ("", "و", "ال", "وال", "ب", "ل", "ك", "بال", "لل")  # written forms a query word stands for
_ARABIC = re.compile(r"[\u0621-\u064A]")
# folded text is cut into Arabic runs and Latin/digit runs: "لcnn" is ل + cnn, "2018م" is 2018 + م
_FOLDED_WORD = re.compile(r"[0-9a-z]+|[\u0621-\u064A]+")
# Arabic runs that are only proclitics, left out when a Latin or digit run follows in the same word
_PROCLITICS = frozenset(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك", "ال", "بال", "لل", "كال")
                        if c + p)
# A word as written: letters and digits plus the marks and tatweel that folding drops.
_ORIGINAL_WORD = re.compile(r"[\w\u0640\u064B-\u065F\u0670\u06D6-\u06ED\u200c\u200d]+")
_PHRASE = re.compile(r'"([^"]*)"?')


class BadQuery(BadParameter):
    """A search query that cannot be run; the message says why and what to type instead."""

    reason = "bad query"


def search_key(folded_word: str) -> str:
    """The index term of one folded word (see the module doc)."""
    w = folded_word
    if not _ARABIC.match(w[:1]):
        return w
    if len(w) > 3 and w[0] == _CONJUNCTION:
        w = w[1:]
    for p in _ARTICLES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p):]
    return w


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """Words with a fixed spelling: everyday words (``common_words.txt``, written with and without ال
    in the ANT corpus), stopwords, and the places the gazetteer names with ال (الإمارات, السعودية:
    Arabic names, spelled one way); not adjectives of nationality. Their skeletons would merge
    words of one pattern (جامعة / جماعة, عملية / عملة, مليون / ملون, الإمارات / أمرت), so they are
    indexed as written."""
    places = {words[0][2:] for words in langdata.places() if len(words) == 1 and words[0].startswith("ال")}
    # adjectives of nationality are spelled as their country is (الأمريكي / الأميركي): not fixed
    nationality = {w[2:] if w.startswith("ال") else w for w in langdata.nisba()}
    return (langdata.word_list("common_words.txt") | langdata.stopwords() | frozenset(places)) - nationality


def is_everyday(key: str) -> bool:
    """A key that is an everyday word, alone or behind an attached ب ل ك ("بولاية")."""
    words = _everyday_words()
    return key in words or (len(key) > 3 and key[0] in "بلك" and key[1:] in words)


def index_key(key: str) -> str:
    """What the index holds, and a query matches, for a search key: its ``name_skeleton`` when it has
    one and is no everyday word (names are what outlets spell differently), else the key."""
    return key if is_everyday(key) else name_skeleton(key) or key


def _runs(folded: str) -> list[re.Match[str]]:
    """The Arabic and Latin/digit runs of one folded word, less an Arabic run that is only proclitics
    before a Latin or digit run ("لcnn" → cnn) and one letter after a number ("2018م" → 2018)."""
    runs = list(_FOLDED_WORD.finditer(folded))
    return [m for k, m in enumerate(runs)
            if not (m.group() in _PROCLITICS and k + 1 < len(runs) and not _ARABIC.match(runs[k + 1].group()))
            and not (len(m.group()) == 1 and k > 0 and runs[k - 1].group().isdigit())]


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[tuple[str, int, int], ...]:
    """(key, start, end) of each folded token in one written word, offsets into that word."""
    folded, offsets = fold_with_offsets(word)
    return tuple((search_key(m.group()), offsets[m.start()], offsets[m.end() - 1] + 1) for m in _runs(folded))


def key_spans(text: str) -> list[tuple[str, int, int]]:
    """Every search key of ``text`` with its span (start, end) in the original text."""
    out: list[tuple[str, int, int]] = []
    for m in _ORIGINAL_WORD.finditer(text or ""):
        base = m.start()
        for key, start, end in _word_keys(m.group()):
            out.append((key, base + start, base + end))
    return out


@lru_cache(maxsize=200_000)
def _word_index_keys(word: str) -> tuple[str, ...]:
    return tuple(index_key(k) for k, _, _ in _word_keys(word))


def index_text(text: str | None) -> str:
    """The index keys of ``text`` joined by spaces: what a store puts in its full-text index
    (looked up per written word: the same words recur in every article)."""
    return " ".join([k for word in _ORIGINAL_WORD.findall(text or "") for k in _word_index_keys(word)])


def article_keys(article: Any) -> tuple[str, str]:
    """(title keys, body keys) of an ``Article``: computed by the pipeline's workers when they
    were there (``article.derived["search"]``), else here."""
    keys = getattr(article, "derived", {}).get("search")
    return keys if keys else (index_text(article.title), index_text(article.body))


@dataclass
class Term:
    """One thing every hit must contain: a word (with its attached-preposition forms) or a phrase."""

    keys: list[str]                                       # one index key, or those of a phrase in order
    alternatives: list[str] = field(default_factory=list)  # a word: every key it matches (keys[0] first)

    @property
    def is_phrase(self) -> bool:
        return len(self.keys) > 1


@dataclass
class SearchQuery:
    """A parsed query: all ``terms`` must match; filters narrow by outlet and time (epoch seconds)."""

    text: str
    terms: list[Term]
    outlet: str | None = None
    since_ts: float | None = None
    until_ts: float | None = None

    def highlight_keys(self) -> set[str]:
        return {k for t in self.terms for k in (*t.keys, *t.alternatives)}


def word_keys(folded_word: str) -> list[str]:
    """Every key a query word matches: its own, then those of its written forms (see the module doc)."""
    own = search_key(folded_word)
    if not _ARABIC.match(folded_word[:1]):
        return [own]
    base = folded_word
    for p in ("وال", "ال"):
        if base.startswith(p) and len(base) - len(p) >= 3:
            base = base[len(p):]
            break
    bases = [base]
    # "وإيران" is also و + إيران ("بإيران", "لإيران"); an everyday word keeps its و ("ولاية", "وزير")
    if base.startswith(_CONJUNCTION) and len(base) > 3 and not is_everyday(base):
        bases.append(base[1:])
    keys = [own]
    for b in bases:
        for form in _QUERY_FORMS:
            k = search_key(form + b)
            if k not in keys:
                keys.append(k)
    # matched by index keys: "ترامب" and "ترمب" both stand for the index's "ترمب"
    out: list[str] = []
    for k in map(index_key, keys):
        if k not in out:
            out.append(k)
    return out


def _words(text: str) -> list[str]:
    """Folded words of a query fragment."""
    return [m.group() for w in _ORIGINAL_WORD.finditer(text) for m in _runs(fold_with_offsets(w.group())[0])]


def parse_query(text: str, outlet: str | None = None, since_ts: float | None = None,
                until_ts: float | None = None) -> SearchQuery:
    """Parse what a user typed; raises ``BadQuery`` when nothing in it can be searched."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:  # as sent, spaces too: the API documents maxLength on the raw text
        raise BadQuery(f"the search query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}",
                       hint="search for a few distinctive words")
    text = text.strip()
    if not text:
        raise BadQuery("the search query is empty", hint='type one or more words, or "a phrase" in quotes')
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()

    def add(words: list[str]) -> None:
        keys = [index_key(search_key(w)) for w in words]
        if not keys or tuple(keys) in seen:
            return
        seen.add(tuple(keys))
        terms.append(Term(keys, word_keys(words[0]) if len(keys) == 1 else []))

    pos = 0
    for m in _PHRASE.finditer(text):
        for w in _words(text[pos:m.start()]):
            add([w])
        add(_words(m.group(1)))
        pos = m.end()
    for w in _words(text[pos:]):
        add([w])
    if not terms:
        raise BadQuery(f"the search query {text!r} has no words to search for",
                       hint="type Arabic or Latin words or numbers")
    if len(terms) > MAX_QUERY_TERMS:
        raise BadQuery(f"the search query has {len(terms)} words; the limit is {MAX_QUERY_TERMS}",
                       hint="search for a few distinctive words, or put a sentence in quotes")
    if since_ts is not None and until_ts is not None and since_ts >= until_ts:  # until is exclusive
        raise BadQuery("the start date is after the end date", hint="swap since and until")
    return SearchQuery(text, terms, outlet, since_ts, until_ts)


def match_spans(text: str | None, keys: set[str]) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` whose index key is one of ``keys`` (for highlighting the original)."""
    return [(s, e) for k, s, e in key_spans(text or "") if index_key(k) in keys]


def segments(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None
             ) -> list[dict[str, object]]:
    """``text[start:end]`` cut into ``{"text", "match"}`` pieces; renderers escape each piece."""
    end = len(text) if end is None else end
    out: list[dict[str, object]] = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > pos:
            out.append({"text": text[pos:s], "match": False})
        out.append({"text": text[s:e], "match": True})
        pos = e
    if pos < end:
        out.append({"text": text[pos:end], "match": False})
    return out


def snippet(text: str | None, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS
            ) -> list[dict[str, object]]:
    """About ``width`` characters of ``text`` around its first match, cut at spaces, as segments."""
    text = text or ""
    if len(text) <= width:
        return segments(text, spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = segments(text, spans, start, end)
    if start:
        pieces.insert(0, {"text": "… ", "match": False})
    if end < len(text):
        pieces.append({"text": " …", "match": False})
    return pieces
