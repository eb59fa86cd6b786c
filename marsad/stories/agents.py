"""Who acts or speaks in a headline, as countries: the agent a story's headlines share.

The story labels follow one rule that word overlap cannot see: a reaction by
another actor is another story. "روسيا: الدفاعات السورية أسقطت 71 صاروخا" and
"البنتاغون: دفاعات النظام السوري فشلت بإسقاط أي صاروخ" share nearly every word; what
tells them apart is who speaks. Arabic headlines put the agent first, as a speaker
before a colon ("ماتيس: …", "موسكو: …") or as the subject opening the sentence
("السعودية تؤيد …", "ترامب يأمر …"). ``headline_agent`` finds those words and turns
them into countries: a country or capital from the gazetteer, an adjective of
nationality ("الجيش الروسي"), a seat of government ("البيت الأبيض"), or, for a name
the gazetteer cannot know ("ماتيس"), the nationality the article's own body gives it
("وزير الدفاع الأمريكي جيمس ماتيس"). A headline opened by who reports ("مصدر:",
"فوكس نيوز:") is read on past it; a topic tag ("الضربة العسكرية على سوريا: …",
"سوريا.. …") is skipped. No word list of actors is needed: this is a handful of rules
over the language data, hand-written because no Arabic parser on PyPI ships a model.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .. import langdata
from ..entities.lexicon import lexicon
from ..normalize import proclitic_readings, strip_definite, words

_PARTS = re.compile(r"\.\.+|[:،؟?]")
_SPEAKER = re.compile(r"^([^:.؟?]{2,60}):")  # a speaker before the first colon, within the first part
# a speaker is at most this many words; a longer text before the colon is a topic tag
_MAX_SPEAKER_WORDS = 4
# the body is searched for the name's nationality within this many characters and words around it
_BODY_CHARS = 3000
_BODY_WINDOW = 4


@cache
def _lexicon() -> tuple[frozenset[tuple[str, ...]], frozenset[str], frozenset[str]]:
    sources = langdata.phrases("headline_sources.txt")
    topic_preps = frozenset(words("على في بشأن"))
    about = frozenset(words("عن حول"))
    return sources, topic_preps, about


def _is_source(ws: list[str]) -> int:
    """How many opening words name who reports (0 when none do)."""
    sources = _lexicon()[0]
    for n in (3, 2, 1):
        if len(ws) >= n and tuple(ws[:n]) in sources:
            return n
    return 0


def subject(title: str) -> list[str]:
    """The folded words of a headline that name its agent (may be empty)."""
    sources, topic_preps, about = _lexicon()
    text = title.strip()
    speaker = _SPEAKER.match(text)
    if speaker:
        pre, rest = words(speaker.group(1)), words(text[speaker.end():])
        n = _is_source(pre)
        if n:  # "مسؤولان بأمريكا:" names its country; "مصدر:" leaves it to the statement
            return pre[n:] if countries(pre[n:]) else _opening(rest)
        for k, w in enumerate(pre):
            if k and w in about:       # "بوتين عن ضربة سوريا:"
                return pre[:k]
            if k and w in topic_preps:  # "الضربة العسكرية على سوريا: الجيش الروسي يؤكد …"
                return _opening(rest)
        if len(pre) > _MAX_SPEAKER_WORDS:
            return _opening(rest)
        if len(pre) == 1 and _is_country(pre) and _nationality(rest[:2]):
            return _opening(rest)      # "سوريا: مقاتلات بريطانية تضرب …": a place tag, then the agent
        return pre
    parts = _PARTS.split(text)
    first = words(parts[0])
    if len(first) == 1 and _is_country(first) and len(parts) > 1:
        return []                      # "سوريا.. تعرف على …": a place tag
    return _opening(first[_is_source(first):])


def _opening(ws: list[str]) -> list[str]:
    """The opening noun phrase: two words and the adjectives of nationality right after them
    ("ضربات عسكرية أمريكية بريطانية فرنسية")."""
    end = min(2, len(ws))
    while end < len(ws) and _nisba(ws[end]):
        end += 1
    return ws[:end]


def _is_country(ws: list[str]) -> bool:
    return any(kind == "country" for kind, _ in lexicon().place_info.get(tuple(ws), ()))


def _nationality(ws: list[str]) -> list[str]:
    """Countries of the adjectives of nationality among ``ws`` (with or without the article)."""
    return [c for c in map(_nisba, ws) if c]


def _nisba(word: str) -> str | None:
    nisba = lexicon().nisba
    for _, rest in proclitic_readings(word):
        for form in (rest, "ال" + rest):  # the list holds the defined form: "بريطانية" = "البريطانية"
            if nisba.get(form, "-") != "-":
                return nisba[form]
    return None


def countries(ws: list[str]) -> list[str]:
    """Countries the words name, in order: seats of government, places (countries and cities),
    adjectives of nationality; each word read with and without its proclitics."""
    places, seats = lexicon().place_info, langdata.institutions()
    out: list[str] = []
    i = 0
    while i < len(ws):
        found: list[str] = []
        width = 1
        for n in (3, 2, 1):
            if i + n > len(ws):
                continue
            for plen, rest in proclitic_readings(ws[i]):
                if out and ("ب" in ws[i][:plen] or "ل" in ws[i][:plen]):
                    continue  # "السفير الروسي بواشنطن": where the agent is, not another agent
                key = (rest, *ws[i + 1:i + n])
                if key in seats:
                    found = [seats[key]]
                elif key in places:
                    found = [c for kind, c in places[key] if kind in ("country", "city")]
                if found:
                    break
            if found:
                width = n
                break
        if not found and _nisba(ws[i]):
            found = [_nisba(ws[i])]  # type: ignore[list-item]
        out.extend(found)
        i += width
    return out


def _name_like(word: str) -> bool:
    """Not an everyday word: a name whose nationality the body may give."""
    lex = lexicon()
    return len(word) >= 3 and not word.isdigit() and not lex.is_common(word) and not lex.is_common(strip_definite(word))


def _body_nationality(name: list[str], body: str) -> Counter[str]:
    """Countries of the nationality words standing next to ``name`` in the body
    ("وزير الدفاع الأمريكي جيمس ماتيس", "ماكرون الرئيس الفرنسي")."""
    ws = words(body[:_BODY_CHARS])
    found: Counter[str] = Counter()
    n = len(name)
    for i in range(len(ws) - n + 1):
        if not ws[i].endswith(name[0]):  # proclitics only stand before a word: a cheap first test
            continue
        if all(name[k] in {r for _, r in proclitic_readings(ws[i + k])} for k in range(n)):
            found.update(countries(ws[max(0, i - _BODY_WINDOW):i] + ws[i + n:i + n + 2]))
    return found


def headline_agent(title: str | None, body: str | None = None) -> tuple[str, ...]:
    """ISO codes of the countries whose actor a headline puts first; () when it names none."""
    subj = subject(title or "")
    found = countries(subj)
    if not found and subj and body and _name_like(subj[0]):
        near = _body_nationality(subj[:2], body) or _body_nationality(subj[:1], body)
        if near:
            found = [near.most_common(1)[0][0]]
    return tuple(dict.fromkeys(found))


def agent_share(agents: tuple[str, ...], named: list[tuple[str, ...]]) -> float:
    """The share of a story's headlines naming an agent (``named``, none empty) that name one of ``agents``."""
    wanted = set(agents)
    return sum(1 for a in named if wanted.intersection(a)) / len(named)
