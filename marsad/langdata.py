"""Loads and checks the language data in ``marsad/data/ar/`` (cached).

The only module that knows those file formats. Every entry is folded on load
with ``fold_for_match``, so a lookup never depends on how an alef was typed.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

from .normalize import fold_for_match

PRESENTATION_FORMS = [(0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]


def _lines(name: str) -> list[tuple[int, str]]:
    """(line number, text) of the non-comment, non-empty lines of a data file."""
    text = resources.files("marsad").joinpath("data").joinpath("ar").joinpath(name).read_text(encoding="utf-8")
    return [(n, line) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.startswith("#")]


def data_files() -> list[str]:
    return sorted(p.name for p in resources.files("marsad").joinpath("data").joinpath("ar").iterdir()
                  if p.name.endswith((".txt", ".tsv")))


def check_file(name: str) -> list[str]:
    """Problems in one data file: stray whitespace, presentation forms, duplicates after folding."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, line in _lines(name):
        if line != line.strip() or "  " in line:
            problems.append(f"{name}:{n}: stray whitespace")
        if any(lo <= ord(c) <= hi for c in line for lo, hi in PRESENTATION_FORMS):
            problems.append(f"{name}:{n}: presentation-form code points")
        key = fold_for_match(line)
        if key in seen:
            problems.append(f"{name}:{n}: duplicate of line {seen[key]} after folding")
        seen[key] = n
    return problems


@cache
def word_list(name: str) -> frozenset[str]:
    """A one-entry-per-line file as a set of folded entries."""
    return frozenset(fold_for_match(line.strip()) for _, line in _lines(name))


@cache
def boilerplate() -> dict[str, str]:
    """Folded phrase → kind (drop, related, keywords, source)."""
    out: dict[str, str] = {}
    for _, line in _lines("boilerplate.txt"):
        kind, phrase = line.split("\t", 1)
        out[fold_for_match(phrase.strip())] = kind
    return out


def _named_numbers(name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, line in _lines(name):
        num, names = line.split("\t", 1)
        for entry in names.split("،"):
            out[fold_for_match(entry.strip())] = int(num)
    return out


@cache
def months() -> dict[str, int]:
    """Folded month name (any regional form) → month number."""
    return _named_numbers("months.tsv")


@cache
def weekdays() -> dict[str, int]:
    """Folded weekday name → ISO weekday (Monday=1)."""
    return _named_numbers("weekdays.tsv")


def stopwords() -> frozenset[str]:
    return word_list("stopwords.txt")


def dateline_words() -> frozenset[str]:
    return word_list("datelines.txt")


def _kind_phrases(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """``kind<TAB>phrase`` lines as (kind, folded words of the phrase), in file order."""
    from .normalize import words

    out: list[tuple[str, tuple[str, ...]]] = []
    for _, line in _lines(name):
        kind, phrase = line.split("\t", 1)
        out.append((kind, tuple(words(phrase))))
    return out


@cache
def attribution_phrases() -> list[tuple[str, tuple[str, ...]]]:
    """(kind, folded words) of phrases naming a common source: statement, agency, citing."""
    return _kind_phrases("attribution.txt")


@cache
def feature_cues() -> list[tuple[str, tuple[str, ...]]]:
    """(opening | anywhere, folded words) of the cues of a headline about the news, not the news."""
    return _kind_phrases("feature_cues.txt")


@cache
def label_words() -> list[tuple[str, tuple[str, ...]]]:
    """(kind, folded words) of titles and role heads put before a person's name."""
    return _kind_phrases("label_words.txt")


@cache
def hijri_months() -> dict[str, int]:
    """Folded Hijri month name → month number (1 = محرم)."""
    return _named_numbers("hijri_months.tsv")


@cache
def number_words() -> dict[str, int]:
    """Folded count word ("ثلاث", "خمسة") → the number it writes."""
    return _named_numbers("number_words.tsv")


@cache
def hour_words() -> dict[str, dict[str, int]]:
    """kind → {folded phrase: value}: clock hours in words ("العاشرة" → 10) and fractions ("والنصف" → 30)."""
    return {kind: {k: int(v) for k, v in values.items()} for kind, values in _kind_values("hour_words.tsv").items()}


@cache
def timezones() -> dict[str, str]:
    """Folded place or zone word written after "بتوقيت" → IANA zone name or fixed offset ("+00:00")."""
    out: dict[str, str] = {}
    for _, line in _lines("timezones.tsv"):
        zone, names = line.split("\t", 1)
        for entry in names.split("،"):
            out[fold_for_match(entry.strip())] = zone
    return out


def _kind_values(name: str) -> dict[str, dict[str, str]]:
    """``kind<TAB>value<TAB>phrases`` lines (phrases comma-separated) as kind → {folded phrase: value}."""
    out: dict[str, dict[str, str]] = {}
    for _, line in _lines(name):
        kind, value, names = line.split("\t", 2)
        for entry in names.split("،"):
            out.setdefault(kind, {})[fold_for_match(entry.strip())] = value
    return out


@cache
def relative_dates() -> dict[str, dict[str, str]]:
    """kind → {folded phrase: value} for the relative date words (see relative_dates.tsv)."""
    return _kind_values("relative_dates.tsv")


def _phrase_words(phrase: str) -> tuple[str, ...]:
    from .normalize import words

    return tuple(words(phrase))


@cache
def phrases(name: str) -> frozenset[tuple[str, ...]]:
    """A one-entry-per-line file of phrases as folded word tuples ("الفريق أول" → ("الفريق", "اول"))."""
    return frozenset(_phrase_words(line) for _, line in _lines(name))


@cache
def places() -> dict[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Folded place name words → ((kind, country code), ...): places.tsv (generated) and places_extra.tsv."""
    out: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for name in ("places.tsv", "places_extra.tsv"):
        for _, line in _lines(name):
            place, kind, country = line.split("\t")
            entry = (kind, country)
            bucket = out.setdefault(_phrase_words(place), [])
            if entry not in bucket:
                bucket.append(entry)
    return {k: tuple(v) for k, v in out.items() if k}


@cache
def nisba() -> dict[str, str]:
    """Folded adjective of nationality (masculine and feminine) → country code ("-" when none)."""
    out: dict[str, str] = {}
    for name in ("nisba_mined.tsv", "nisba.tsv"):   # nisba.tsv (by hand) has the last word
        for _, line in _lines(name):
            word, country = line.split("\t")[:2]
            folded = fold_for_match(word)
            out[folded] = country
            out[folded + "ه"] = country
    return out


@cache
def org_heads() -> dict[tuple[str, ...], str]:
    """Folded words of a noun heading an organisation's name → kind (org or forces)."""
    return {_phrase_words(phrase): kind for _, line in _lines("org_heads.tsv")
            for kind, phrase in [line.split("\t", 1)]}


@cache
def institutions() -> dict[tuple[str, ...], str]:
    """Folded words of a seat of government (البيت الأبيض) → ISO country code: institutions.tsv."""
    return {_phrase_words(phrase): country for _, line in _lines("institutions.tsv")
            for phrase, country in [line.split("\t")]}


@cache
def names() -> dict[tuple[str, ...], tuple[str, int, tuple[str, ...] | None]]:
    """Folded words of a name the corpus teaches → (kind: person | organization, articles it was found in,
    folded words of the body it is a short form of, or None): names.tsv, built by
    scripts/build_name_lexicon.py from the ANT corpus."""
    out: dict[tuple[str, ...], tuple[str, int, tuple[str, ...] | None]] = {}
    for _, line in _lines("names.tsv"):
        cols = line.split("\t")
        key = _phrase_words(cols[0])
        if key and key not in out:
            out[key] = (cols[1], int(cols[2]), _phrase_words(cols[4]) if len(cols) > 4 and cols[4] else None)
    return out


@cache
def place_parts() -> dict[str, str]:
    """Folded word that names a place inside or beside a known one ("مطار", "جنوبي") → the folded form
    the compound place is keyed by: place_parts.tsv."""
    return {fold_for_match(word): fold_for_match(key) for _, line in _lines("place_parts.tsv")
            for word, key in [line.split("\t")]}


@cache
def name_heads() -> list[tuple[str, tuple[str, ...]]]:
    """(kind, folded words) of nouns a body's proper name follows ("فريق ليفربول", "حركة حماس") and of
    sport roles a club's name follows ("لاعب برشلونة"): name_heads.tsv."""
    return _kind_phrases("name_heads.tsv")


def clear_caches() -> None:
    """Forget every file read so far (a script that rewrites a data file reads the new one)."""
    for value in list(globals().values()):
        if callable(value) and hasattr(value, "cache_clear"):
            value.cache_clear()
