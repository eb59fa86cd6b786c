"""The language data the entity extractor reads, as lookup tables (built once, cached).

Every entry comes from ``marsad/data/ar/`` through ``langdata`` (folded on load):
titles.txt, title_modifiers.txt, role_heads.txt, org_heads.tsv, org_names.txt,
name_particles.txt, speech_verbs.txt, place_cues.txt, nisba.tsv, places.tsv,
places_extra.tsv, common_words.txt, stopwords.txt, months.tsv, weekdays.tsv,
relative_dates.tsv, np_words.txt; name_heads.tsv, acronyms_not_bodies.txt, sport_words.txt; and
what scripts/build_name_lexicon.py mines from the ANT corpus: names.tsv, nisba_mined.tsv,
not_name_words.txt.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import langdata
from ..normalize import strip_definite

Phrase = tuple[str, ...]


class PhraseIndex:
    """Phrases (tuples of folded words) indexed by their first word, longest first."""

    def __init__(self, phrases) -> None:
        self.by_first: dict[str, list[Phrase]] = {}
        for p in phrases:
            if p:
                self.by_first.setdefault(p[0], []).append(p)
        for bucket in self.by_first.values():
            bucket.sort(key=len, reverse=True)

    def starting(self, first: str) -> list[Phrase]:
        return self.by_first.get(first, [])


@dataclass(frozen=True)
class Lexicon:
    titles: PhraseIndex
    title_modifiers: frozenset[str]
    role_heads: PhraseIndex
    org_heads: PhraseIndex
    org_head_kind: dict[Phrase, str]
    org_names: PhraseIndex
    places: PhraseIndex
    place_info: dict[Phrase, tuple[tuple[str, str], ...]]
    place_cues: frozenset[str]
    cued_places: frozenset[Phrase]   # places that are also given names or words: only after a preposition
    place_parts: dict[str, str]        # "مطار", "جنوبي" before a known place: a place of its own → key word
    place_heads: frozenset[str]        # first parts (3+ letters) of one-word places: "بيونغ" of بيونغيانغ
    particles: frozenset[str]
    speech_verbs: frozenset[str]
    nisba: dict[str, str]
    common: frozenset[str]
    np_words: frozenset[str]
    appositions: frozenset[str]
    stop: frozenset[str]        # words that never belong to a name
    # names the corpus teaches (names.tsv): folded words → (kind, articles, body it is a short form of)
    persons: PhraseIndex = PhraseIndex(())
    bodies: PhraseIndex = PhraseIndex(())
    name_info: dict[Phrase, tuple[str, int, Phrase | None]] | None = None
    person_words: frozenset[str] = frozenset()     # every word of a known person's name
    name_heads: PhraseIndex = PhraseIndex(())      # "فريق", "حركة", "صحيفة": a body's proper name follows
    name_head_kind: dict[Phrase, str] | None = None
    sport_roles: PhraseIndex = PhraseIndex(())     # "لاعب", "مدرب": a club's name follows
    not_bodies: frozenset[str] = frozenset()       # Latin acronyms that name no body ("GMT")
    not_names: frozenset[str] = frozenset()        # frequent words no name starts with (not_name_words.txt)
    sport_words: frozenset[str] = frozenset()      # words of sport texts: a town's name there may be its club

    def is_common(self, word: str) -> bool:
        """An everyday word: a bare surname that is one needs more evidence."""
        return word in self.common or word in self.stop


@cache
def lexicon(with_names: bool = True) -> Lexicon:
    """The lookup tables; ``with_names=False`` leaves out names.tsv (the script that mines it)."""
    titles = langdata.phrases("titles.txt")
    roles = langdata.phrases("role_heads.txt")
    heads = langdata.org_heads()
    # org heads are written indefinite; outlets write them with the article too
    head_forms: dict[Phrase, str] = {}
    for phrase, kind in heads.items():
        head_forms[phrase] = kind
        head_forms[("ال" + phrase[0],) + phrase[1:]] = kind
    stop_words = set(langdata.stopwords()) | set(langdata.weekdays()) | set(langdata.months())
    stop_words |= langdata.word_list("name_particles.txt")
    places = {k: v for k, v in langdata.places().items()
              if not (len(k) == 1 and (k[0] in stop_words or len(k[0]) < 3))}
    speech = langdata.word_list("speech_verbs.txt")
    rel = langdata.relative_dates()
    stop = set(langdata.stopwords()) | set(langdata.weekdays())   # months: "ماي" also ends "تيريزا ماي"
    stop |= {w for kind in ("day", "shift", "unit", "part") for p in rel[kind] for w in p.split()}
    stop |= speech | langdata.word_list("place_cues.txt")
    stop |= {p[0] for p in titles} | {p[0] for p in roles} | {p[0] for p in head_forms}
    stop |= {w for w in langdata.word_list("np_words.txt")}
    stop -= langdata.word_list("name_particles.txt")
    return Lexicon(
        titles=PhraseIndex(titles),
        title_modifiers=langdata.word_list("title_modifiers.txt"),
        role_heads=PhraseIndex(roles),
        org_heads=PhraseIndex(head_forms),
        org_head_kind=head_forms,
        org_names=PhraseIndex(langdata.phrases("org_names.txt")),
        places=PhraseIndex(places),
        place_info=places,
        place_cues=langdata.word_list("place_cues.txt"),
        cued_places=langdata.phrases("cued_places.txt"),
        place_parts=langdata.place_parts(),
        place_heads=frozenset(k[0][:n] for k in places if len(k) == 1 for n in range(3, len(k[0]) - 2)),
        particles=langdata.word_list("name_particles.txt"),
        speech_verbs=speech,
        nisba=langdata.nisba(),
        common=langdata.word_list("common_words.txt"),
        np_words=langdata.word_list("np_words.txt"),
        appositions=langdata.word_list("apposition_words.txt"),
        stop=frozenset(stop),
        **(_names(stop, places) if with_names else {}),
        **_name_heads(),
        not_bodies=langdata.word_list("acronyms_not_bodies.txt"),
        sport_words=langdata.word_list("sport_words.txt"),
    )


def _names(stop: set[str], places: dict[Phrase, Any]) -> dict:
    """The name lexicon's tables (names.tsv), without entries that are everyday words or stop words, nor
    entries no name can be: opening with a function word ("ولم يكن", "وقد تم"), a place taken for a
    person ("بيونغ يانغ", the gazetteer's "بيونغيانغ"), two names joined by و ("ترامب وكيم")."""
    function_words = langdata.stopwords()
    place_spellings = {"".join(k) for k in places}
    mined = langdata.names()
    person_words = {w for k, v in mined.items() if v[0] == "person" for w in k}

    def no_name(k: Phrase, kind: str) -> bool:
        first = k[0]
        return ((len(k) == 1 and first in stop) or first in function_words
                or (first.startswith("و") and first[1:] in function_words)
                or (kind == "person" and (k in places or "".join(k) in place_spellings))
                or (kind == "person" and any(w.startswith("و") and len(w) > 3 and w[1:] in person_words
                                             for w in k[1:])))

    info = {k: v for k, v in mined.items() if not no_name(k, v[0])}
    persons = [k for k, v in info.items() if v[0] == "person"]
    return {"persons": PhraseIndex(persons), "bodies": PhraseIndex(k for k, v in info.items() if v[0] != "person"),
            "name_info": info, "person_words": frozenset(w for k in persons for w in k),
            "not_names": langdata.word_list("not_name_words.txt")}


def _name_heads() -> dict:
    heads = {p: kind for kind, p in langdata.name_heads()}
    return {"name_heads": PhraseIndex(p for p, kind in heads.items() if kind != "sport"), "name_head_kind": heads,
            "sport_roles": PhraseIndex(p for p, kind in heads.items() if kind == "sport")}


def head_lemma(word: str) -> str:
    """The org head without its article ("الجيش" → "جيش"), for grouping mentions by head."""
    return strip_definite(word)
