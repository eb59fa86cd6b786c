"""The framing table: the words each outlet puts around an actor's name.

``story_labels`` uses ``marsad.entities.story_entities`` when that package is
importable (issue 5) and otherwise ``story_entities`` below, a minimal stand-in
with the same shape: ``{"actors": [{"name", "type", "aliases", "labels":
{article_id: [...]}}], "places": [], "event": None}``.

The stand-in finds persons only, from titles and role phrases listed in
``marsad/data/ar/label_words.txt``: "قائد الجيش الليبي المشير خليفة حفتر" gives
the labels "قائد الجيش الليبي" and "المشير" to خليفة حفتر; "اللواء عباس كامل رئيس
المخابرات العامة المصرية" gives "اللواء" and "رئيس المخابرات العامة المصرية". Names
are joined by their last word (حفتر = خليفة حفتر). Organisations and places are left
to ``marsad.entities``.
"""
from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from typing import Any

from ..langdata import label_words, months, stopwords, weekdays
from .text import Token, tokens

log = logging.getLogger(__name__)

_BREAK = re.compile(r"[^\s\"'«»“”‘’ـ]")  # anything but spaces, quotes and tatweel between words ends a phrase
MAX_NAME_WORDS = 3
_DEFINITE = ("ال", "وال", "بال", "فال", "كال", "لل")  # a name does not start with the article
MAX_ROLE_WORDS = 6


def _joined(body: str, a: Token, b: Token) -> bool:
    """True when nothing but spaces and quotes stands between two tokens."""
    return not _BREAK.search(body[a.end:b.start])


def _bare(word: str) -> str:
    return word[1:] if len(word) > 3 and word[0] in "وفبل" else word


def _match(keys: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if i + n > len(keys):
        return False
    return all(k == p or (j == 0 and _bare(k) == p) for j, (k, p) in enumerate(zip(keys[i:i + n], phrase)))


def _mentions(body: str, seen: Counter[str]) -> list[tuple[str, list[str], str]]:
    """(name key, labels, name as written) for each titled or role-described name in ``body``.

    ``seen`` counts the story's texts each folded word appears in: a name ends at its
    last word that appears in two texts or more ("محمد صلاح صناعة" → "محمد صلاح").
    """
    toks = tokens(body)
    keys = [t.key for t in toks]
    titles = [p for k, p in label_words() if k == "title"]
    roles = [p for k, p in label_words() if k == "role"]
    not_name = stopwords() | set(weekdays()) | set(months()) | {w for p in titles + roles for w in p}
    heads = {p[0] for p in titles + roles}
    if not any(k in heads or _bare(k) in heads for k in keys):
        return []
    out = []
    i = 0
    while i < len(toks):
        title = (next((p for p in titles if _match(keys, i, p)), None)
                 if keys[i] in heads or _bare(keys[i]) in heads else None)
        if title is None:
            i += 1
            continue
        t0, t1 = i, i + len(title)  # title tokens [t0, t1)
        # adjectives right after the title belong to it: "اللاعب المصري الدولي محمد صلاح"
        while (t1 < len(toks) and keys[t1].startswith("ال") and keys[t1].endswith("ي")
               and keys[t1] not in not_name and _joined(body, toks[t1 - 1], toks[t1])):
            t1 += 1
        n0 = n1 = t1
        while (n1 < len(toks) and n1 - n0 < MAX_NAME_WORDS and keys[n1] not in not_name
               and not (n1 == n0 and keys[n1].startswith(_DEFINITE)) and not keys[n1].isdigit()
               and _joined(body, toks[n1 - 1], toks[n1])
               and not (keys[n1] in heads and any(_match(keys, n1, r) for r in roles))):
            n1 += 1
        if n1 == n0 and t1 > t0 + len(title):  # "الرئيس السيسي": the last ال-word is the name
            t1 -= 1
            n0, n1 = t1, t1 + 1
        while n1 > n0 and seen[keys[n1 - 1]] < 2:
            n1 -= 1
        if n1 == n0:
            i = t1
            continue
        labels = [body[toks[t0].start:toks[t1 - 1].end]]
        # a role phrase just before the title: "قائد الجيش الليبي المشير"
        for back in range(t0 - 1, max(t0 - MAX_ROLE_WORDS, 0) - 1, -1):
            if not _joined(body, toks[back], toks[back + 1]):
                break
            if any(_match(keys, back, r) for r in roles):
                labels.insert(0, body[toks[back].start:toks[t0 - 1].end])
                break
        # a role phrase just after the name: "عباس كامل رئيس المخابرات العامة المصرية"
        if n1 < len(toks) and _joined(body, toks[n1 - 1], toks[n1]) and any(_match(keys, n1, r) for r in roles):
            r1 = n1 + 1
            while r1 < len(toks) and r1 - n1 < MAX_ROLE_WORDS and _joined(body, toks[r1 - 1], toks[r1]):
                r1 += 1
            labels.append(body[toks[n1].start:toks[r1 - 1].end])
        out.append((keys[n1 - 1], labels, body[toks[n0].start:toks[n1 - 1].end]))
        i = n1
    return out


def story_entities(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Persons named with a title or role in the story's articles, with each article's labels."""
    from ..normalize import fold_for_match

    # in how many texts (titles and bodies counted apart) each folded word appears
    seen = Counter(k for a in articles for text in (a.get("title") or "", a.get("body") or "")
                   for k in {t.key for t in tokens(text)})
    names: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for key, labs, written in _mentions(a.get("body") or "", seen):
            names[key][written.strip("\"'«»“”")] += 1
            have = {fold_for_match(x) for x in labels[key][a["id"]]}
            for lab in labs:
                if fold_for_match(lab) not in have:
                    labels[key][a["id"]].append(lab)
                    have.add(fold_for_match(lab))
    actors = []
    for key, forms in names.items():
        name = max(forms, key=lambda f: (len(f.split()), forms[f]))
        actors.append({"name": name, "type": "person", "aliases": sorted(set(forms) - {name}),
                       "labels": {aid: labs for aid, labs in labels[key].items()}})
    actors.sort(key=lambda x: (-len(x["labels"]), -sum(len(v) for v in x["labels"].values()), x["name"]))
    return {"actors": actors, "places": [], "event": None}


def story_labels(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """The framing table of a story: ``marsad.entities`` when installed, else the stand-in above."""
    try:
        from ..entities import story_entities as full  # type: ignore[attr-defined]
    except ImportError:
        result = story_entities(articles)
        result["from"] = "marsad.compare.labels (titles and roles only)"
        return result
    try:
        result = full(articles)
    except Exception as exc:  # noqa: BLE001 - the framing table must not take the whole comparison down
        log.warning("marsad.entities failed on this story (%s: %s); labels from the stand-in",
                    type(exc).__name__, exc)
        result = story_entities(articles)
        result["from"] = "marsad.compare.labels (titles and roles only)"
        result["error"] = f"marsad.entities: {type(exc).__name__}: {exc}"
        return result
    result["from"] = "marsad.entities"
    return result


def labels_by_outlet(actor: dict[str, Any], outlet_of: dict[str, str | None]) -> dict[str, dict[str, int]]:
    """An actor's labels per outlet ({outlet: {label: count}}), summed over that outlet's articles in
    the order they come: the framing table compares outlets, not an outlet's articles one by one."""
    out: dict[str, dict[str, int]] = {}
    counts = actor.get("label_counts") or {}
    for aid, labels in (actor.get("labels") or {}).items():
        dest = out.setdefault(outlet_of.get(aid) or aid, {})
        for label in labels:
            dest[label] = dest.get(label, 0) + counts.get(aid, {}).get(label, 1)
    return out
