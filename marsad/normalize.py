"""Arabic normalisation for matching.

``fold_for_match`` is the single definition of "the same text" in Marsad:
search, deduplication, clustering and language-data lookups all compare folded
strings. Folded text is never stored in place of the original.

What folding does (each step is a rule used widely in Arabic IR):
- Unicode NFKC, so presentation forms (U+FB50–U+FEFF) become base letters;
- diacritics (tashkeel, U+064B–U+065F, U+0670, Quranic marks) and tatweel removed;
- alef forms أ إ آ ٱ → ا; alef maqsura ى → ي; ta marbuta ة → ه;
- hamza on waw/ya ؤ ئ → ء, so مسؤول and مسئول match;
- Arabic-Indic ٠-٩ and Persian ۰-۹ digits → 0-9;
- Latin letters lower-cased.

The light stemmer is written here by hand: the standard for Arabic retrieval is
Larkey's "light10" affix list (Larkey, Ballesteros & Connell 2007), a dozen
lines; the PyPI stemmers (snowball, ISRI) are root extractors that over-merge
news vocabulary (مكتب/كاتب/كتاب), which hurts story matching.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DIACRITICS = "".join(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)])
_TATWEEL = "\u0640"
_DROP = set(_DIACRITICS + _TATWEEL + "\u200c\u200d\u200e\u200f\u061c\ufeff")
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "ؤ": "ء", "ئ": "ء",
    "ک": "ك",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_WORD = re.compile(r"[0-9a-z\u0621-\u064A]+")


def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _MAP:
        return _MAP[ch]
    return ch.lower() if ch.isascii() else ch


_NEEDS_NFKC = re.compile("[\u00a0\ufb50-\U0010ffff]")
_TABLE = {ord(c): None for c in _DROP} | {ord(k): v for k, v in _MAP.items()} | \
    {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for every folded character, its index in ``text``.

    Lets a match found in folded text be reported at its place in the original.
    """
    if not _NEEDS_NFKC.search(text):   # fast path: every character folds to at most one
        folded = text.translate(_TABLE)
        if len(folded) == len(text):
            return folded, list(range(len(text)))
        return folded, [i for i, ch in enumerate(text) if ch not in _DROP]
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        pieces = unicodedata.normalize("NFKC", ch) if ord(ch) >= 0xFB50 or ch in "\u00a0" else ch
        for p in pieces:
            f = _fold_char(p)
            for c in f:
                out.append(c)
                offsets.append(i)
    return "".join(out), offsets


def _compat(m: re.Match[str]) -> str:
    return "".join(_fold_char(p) for p in unicodedata.normalize("NFKC", m.group()))


# (character, what it folds to) for the long-text path of fold_for_match; no result is itself a
# character that folds, so replacing one after the other is the same as translating all at once
_REPLACEMENTS = tuple((chr(k), "" if v is None else v if isinstance(v, str) else chr(v)) for k, v in _TABLE.items())
assert not {c for _, v in _REPLACEMENTS for c in v} & {k for k, _ in _REPLACEMENTS}
_LONG = 64  # characters: from here the replacements beat str.translate (measured on ANT bodies and lines)


def fold_for_match(text: str) -> str:
    """The folded form of ``text`` used for every comparison (see module doc).

    Same result as ``fold_with_offsets(text)[0]`` (a property test holds them together). This
    runs on every body several times: a short text goes through one ``str.translate``, which
    looks each character up in a dict (about 90 ns a character for Arabic); a longer one
    through ``str.replace`` of each folding character it holds, a C loop each (2-4 times faster
    on article bodies and page lines; slower on single words, which is why both are kept).
    """
    text = _NEEDS_NFKC.sub(_compat, text)
    if len(text) < _LONG:
        return text.translate(_TABLE)
    for char, folded in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, folded)
    return text


def words(text: str) -> list[str]:
    """Folded word tokens (Arabic letters, Latin letters, digits); punctuation dropped."""
    return _WORD.findall(fold_for_match(text))


def first_words(text: str, n: int) -> list[str]:
    """``words(text)[:n]``, folding only as much of ``text`` as that needs (a paragraph's first
    words tell a furniture line from the article's; the rest of it need not be folded).

    Folding maps each character on its own, so the folding of a prefix is a prefix of the
    folding; of the words found in it, every one but the last (which the cut may have split)
    is a word of the whole text.
    """
    size = 12 * n + 16
    while size < len(text):
        found = _WORD.findall(fold_for_match(text[:size]))
        if len(found) > n:
            return found[:n]
        size *= 2
    return words(text)[:n]


def folded_phrase(text: str) -> str:
    """The folded words of ``text`` joined by single spaces: the key phrases are looked up by."""
    return " ".join(words(text))


def arabic_ratio(text: str) -> float:
    """Share of letters in ``text`` that are Arabic (0.0 for no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _ARABIC_LETTER.match(c)) / len(letters)


_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")  # light10, longest first
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")  # ة is already folded to ه


@lru_cache(maxsize=1 << 17)
def light_stem(word: str) -> str:
    """Light10 stem of a folded word: strip one definite-article prefix and a few suffixes.

    ``و`` alone is stripped only from words of four letters or more, as light10 does.
    Cached (a pure function of the word; news vocabulary repeats): 466,000 calls for the titles
    and leads of 4,000 ANT articles, whose whole texts hold 85,000 distinct folded words.
    """
    w = word
    if not _ARABIC_LETTER.match(w[:1] or " "):
        return w
    if len(w) > 3 and w.startswith("و"):
        w = w[1:]
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 2:
            w = w[len(p):]
            break
    for s in _SUFFIXES:
        if len(w) - len(s) >= 2 and w.endswith(s):
            w = w[: -len(s)]
    return w


_TRANSLITERATION_VOWELS = str.maketrans("", "", "اي")


def name_skeleton(word: str) -> str | None:
    """A folded word of five letters or more without the alef and ya after its first letter, when
    four letters or more are left and it differs: the form two outlets' transliterations of one
    foreign name share ("ترامب"/"ترمب" → "ترمب", "اميركا"/"امريكا" → "امرك", "نتانياهو" →
    "نتنهو"). و is kept, so "محمود" does not meet "محمد". Search and entity linking use it;
    hand-written because no Arabic name-variant resource ships on PyPI."""
    if len(word) < 5 or not _ARABIC_LETTER.match(word[:1]):
        return None
    bare = word[:1] + word[1:].translate(_TRANSLITERATION_VOWELS)
    return bare if bare != word and len(bare) >= 4 else None


def strip_definite(word: str) -> str:
    """The folded word without a leading (و|ف|ب|ك|ل)?ال, for name and tag matching."""
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p):]
    return word


_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")


def proclitic_readings(word: str, min_stem: int = 3) -> list[tuple[int, str]]:
    """Readings of a folded word as (length of its proclitics, the rest), the whole word first.

    The light segmenter every lookup of names and places goes through: a conjunction
    (و ف) then a preposition (ب ل ك) may stand before a word ("وحفتر", "بالقاهره",
    "والسيسي"); ل before the article drops its alef ("للجيش" → "الجيش"). The rest
    keeps at least ``min_stem`` letters. Readings are candidates: the caller keeps the
    one its lexicon knows.
    """
    out = [(0, word)]
    if not _ARABIC_LETTER.match(word[:1] or " "):
        return out
    for conj in _CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        for prep in _PREPOSITIONS:
            if not (conj or prep):
                continue
            head = conj + prep
            if not word.startswith(head):
                continue
            rest = word[len(head):]
            if prep == "ل" and rest.startswith("ل") and len(rest) > min_stem:
                out.append((len(head), "ا" + rest))   # ل + ال → لل
            if len(rest) >= min_stem:
                out.append((len(head), rest))
    return out
