"""Mentions → actors, places and the event of a story.

Linking rules, in order:
1. persons: a name found from a cue anywhere in the story is one actor; a shorter
   name that ends a longer one ("حفتر", "السيسي") joins it when only one fits;
   "عبد الفتاح" and "عبدالفتاح" are the same name (``name_key``). Known names are
   then found where no cue stands (``extract.link_aliases``), and a role phrase
   with no name ("أثنى رئيس المخابرات العامة المصرية") joins the person the same
   article gave that role to.
2. organisations: a body a person is said to lead ("قائد الجيش الليبي ...",
   "قوات حفتر", "ميليشيا حفتر") is one actor per leader; in an article, a shorter
   mention with the same head ("الجيش", "الجيش الوطني") joins it; elsewhere bodies
   join on the same name, or a name that another extends ("حكومة الوفاق" →
   "حكومة الوفاق الليبية").
3. places: names as written; an ambiguous one (طرابلس: Libya or Lebanon) takes the
   country the rest of the story names most (countries, cities, adjectives).
4. event: the day the articles' leads name ("السبت", resolved against the
   publication date), the most specific place of the titles and leads, and the
   persons that more than a third of the articles (and two of two) name in their title or lead.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from datetime import datetime, timezone
from typing import Any

from .. import langdata
from ..clean.dates import find_dates, parse_date
from ..normalize import fold_for_match, name_skeleton, words
from .extract import NAMED_CUES, Mention, Phrase, Scanner, link_aliases, scan
from .lexicon import head_lemma, lexicon


def name_key(name: str | Phrase) -> Phrase:
    """The folded words of a person's name with "عبد" joined to the next word."""
    ws = list(words(name)) if isinstance(name, str) else list(name)
    out: list[str] = []
    i = 0
    while i < len(ws):
        if ws[i] == "عبد" and i + 1 < len(ws):
            out.append("عبد" + ws[i + 1])
            i += 2
            continue
        out.append(ws[i])
        i += 1
    return tuple(out)


@dataclass
class ArticleMentions:
    id: str
    outlet: str | None
    published: datetime | None
    mentions: dict[str, list[Mention]] = field(default_factory=dict)   # field (title, body) → mentions
    scanners: dict[str, Scanner] = field(default_factory=dict)


@dataclass
class Actor:
    type: str
    mentions: list[tuple[str, Mention]] = field(default_factory=list)   # (article id, mention)
    key: Phrase = ()


def _published(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return parse_date(str(value))


def analyse(articles: list[dict[str, Any]]) -> tuple[list[ArticleMentions], list[Actor], dict[int, Actor]]:
    """Scan every article and link mentions: (per-article mentions, actors, id(mention) → actor)."""
    items: list[ArticleMentions] = []
    for a in articles:
        am = ArticleMentions(str(a.get("id")), a.get("outlet"), _published(a.get("published")))
        for fld in ("title", "body"):
            text = a.get(fld) or ""
            ms, sc = scan(text)
            am.mentions[fld], am.scanners[fld] = ms, sc
        _mark_dateline_places(am, a.get("body") or "")
        items.append(am)

    # ---- persons --------------------------------------------------------
    counts: Counter[Phrase] = Counter()
    for am in items:
        for ms in am.mentions.values():
            for m in ms:
                if m.type == "person" and not m.role_only:
                    m.key = name_key(m.key)
                    counts[m.key] += 1
                if m.forces_of:
                    m.forces_of = name_key(m.forces_of)
    _trim_overlong_names(items, counts)
    _merge_spelling_variants(items, counts)
    canon = _canonical_names(counts)
    index = _alias_index(canon, counts)
    # "قوات حفتر" names a person even when no other cue does
    for am in items:
        for ms in am.mentions.values():
            for m in ms:
                if m.forces_of and m.forces_of not in index:
                    counts[m.forces_of] += 1
    canon = _canonical_names(counts)
    index = _alias_index(canon, counts)
    # a name seen only between quotation marks ("ستورم شادو") needs another cue somewhere in the story
    # and a one-word name ("الرئيس يتابع", "اللاعب تعرض") must join a full name or be named twice
    strong = {canon.get(m.key, m.key) for am in items for ms in am.mentions.values() for m in ms
              if m.type == "person" and m.key and m.cue != "quote"
              and (len(canon.get(m.key, m.key)) > 1 or counts[m.key] >= 2)}
    strong |= {index.get(m.forces_of, m.forces_of) for am in items for ms in am.mentions.values()
               for m in ms if m.forces_of}
    for am in items:
        for fld, sc in am.scanners.items():
            am.mentions[fld].extend(link_aliases(sc, index))
            for m in am.mentions[fld]:
                if m.type == "person" and m.key:
                    m.key = canon.get(m.key, m.key)
        _role_references(am)
        _drop_places_inside_names(am)

    actors: dict[Phrase, Actor] = {}
    owner: dict[int, Actor] = {}
    for am in items:
        for ms in am.mentions.values():
            for m in ms:
                if m.type == "person" and m.key and not m.role_only and m.key in strong:
                    actor = actors.setdefault(m.key, Actor("person", key=m.key))
                    actor.mentions.append((am.id, m))
                    owner[id(m)] = actor

    # ---- organisations ---------------------------------------------------
    orgs: list[tuple[str, Mention]] = [(am.id, m) for am in items for ms in am.mentions.values()
                                       for m in ms if m.type == "organization"]
    parent = list(range(len(orgs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    leader_of: dict[int, Phrase] = {}
    for n, (_, m) in enumerate(orgs):
        lead = m.leader or (m.forces_of and index.get(m.forces_of)) or m.forces_of
        if lead:
            lead = canon.get(name_key(lead), name_key(lead))
            leader_of[n] = lead
    by_leader: dict[Phrase, int] = {}
    for n, lead in leader_of.items():
        if lead in by_leader:
            union(n, by_leader[lead])
        else:
            by_leader[lead] = n
    by_key: dict[Phrase, int] = {}
    for n, (_, m) in enumerate(orgs):
        if len(m.key) == 1 and m.cue == "head":  # a bare "الجيش" is whichever army its article names:
            continue                              # it joins one within its article (below), not across
        key = _spelled_key(m.key)   # "وزارة العدل الأمريكية" = "وزارة العدل الأميركية"
        if key in by_key:
            union(n, by_key[key])
        else:
            by_key[key] = n
    # one head and one country named three ways: "الحكومة القطرية", "حكومة قطر", "حكومة الدوحة"
    by_country: dict[tuple[str, str], int] = {}
    for key, n in list(by_key.items()):
        code = _country_only(key[1:], key[0] in _state_heads()) if len(key) > 1 else None
        if code:
            if (key[0], code) in by_country:
                union(n, by_country[(key[0], code)])
            else:
                by_country[(key[0], code)] = n
    # a name another extends: "حكومه وفاق" ⊂ "حكومه وفاق ليبيه", "توتنهام" ⊂ "توتنهام هوتسبير" (only when
    # one body fits; a bare head is no name)
    for key, n in list(by_key.items()):
        longer = [k for k in by_key if len(k) > len(key) and (len(key) >= 2 or orgs[n][1].cue in NAMED_CUES)
                  and k[:len(key)] == key]
        if len({find(by_key[k]) for k in longer}) == 1:
            union(n, by_key[longer[0]])
    # in one article, "الجيش" and "الجيش الوطني" join the body led by someone with that head, unless
    # their names say two countries ("الجيش السوري" is not "الجيش الإسرائيلي" led by its spokesman)
    for am in items:
        led_heads: dict[str, set[int]] = defaultdict(set)
        local = [n for n, (aid, _) in enumerate(orgs) if aid == am.id]
        for n in local:
            if find(n) in {find(x) for x in leader_of}:
                led_heads[orgs[n][1].head or ""].add(find(n))
        for n in local:
            head, key = orgs[n][1].head or "", orgs[n][1].key
            roots = led_heads.get(head, set())
            if len(roots) == 1 and find(n) not in roots and n not in leader_of:
                root = next(iter(roots))
                mine = _nations(key)
                theirs = set().union(*(_nations(m.key) for x, (_, m) in enumerate(orgs) if find(x) == root)) \
                    if mine else set()
                if not (mine and theirs and not mine & theirs):
                    union(n, root)
        # a bare head ("الوزارة") is the one body of that head the article names, if there is one
        for n in local:
            m = orgs[n][1]
            if len(m.key) == 1 and m.cue == "head" and n not in leader_of:
                roots = {find(x) for x in local if x != n and orgs[x][1].head == m.head and len(orgs[x][1].key) > 1}
                if len(roots) == 1:
                    union(n, next(iter(roots)))
    # bodies only ever named by a bare head ("الحكومة", "الشركة") are not actors
    named_roots = {find(n) for n, (_, m) in enumerate(orgs) if len(m.key) > 1 or m.cue in NAMED_CUES or m.forces_of}
    groups: dict[int, Actor] = {}
    for n, (aid, m) in enumerate(orgs):
        if find(n) not in named_roots:
            continue
        actor = groups.setdefault(find(n), Actor("organization"))
        actor.mentions.append((aid, m))
        owner[id(m)] = actor
    for n, lead in leader_of.items():
        if find(n) in groups:
            groups[find(n)].key = lead
    return items, list(actors.values()) + list(groups.values()), owner


def _trim_overlong_names(items: list[ArticleMentions], counts: Counter[Phrase]) -> None:
    """A name that runs into the next word ("دونالد ترامب استقالته", "ماكرون يأمل") is cut back to
    the known name it starts with: another full name, or the surname of one."""
    full = {k for k in counts if len(k) >= 2}
    surnames = {k[-1] for k in full}
    for am in items:
        for ms in am.mentions.values():
            for m in ms:
                if m.type != "person" or not m.key or len(m.key) < 2:
                    continue
                if counts[m.key] > 1:
                    continue   # a name written more than once is a name
                keep = next((n for n in range(len(m.key) - 1, 0, -1) if m.key[:n] in full), None)
                tail_known = any(w in k for k in full if k != m.key for w in m.key[1:])
                if keep is None and m.key[0] in surnames and not tail_known:
                    keep = 1
                if keep is None:
                    continue
                counts[m.key] -= 1
                if counts[m.key] <= 0:
                    del counts[m.key]
                m.key = m.key[:keep]
                counts[m.key] += 1
                words_at = list(re.finditer(r"\S+", m.text))
                m.text = m.text[:words_at[keep - 1].end()]
                ends = [x.end() for x in re.finditer(r"[\u0621-\u064a]+", am_text(am, m))]
                if len(ends) >= keep:
                    m.end = m.start + ends[keep - 1]


def am_text(am: ArticleMentions, m: Mention) -> str:
    """The original text of a mention, from the scanner that found it."""
    for fld, ms in am.mentions.items():
        if any(x is m for x in ms):
            return am.scanners[fld].text[m.start:m.end]
    return m.text


@cache
def _given_names() -> frozenset[Phrase]:
    """The very common given names of ``given_names.txt`` as name keys."""
    return frozenset(name_key(p) for p in langdata.phrases("given_names.txt"))


def _spelled_key(key: Phrase) -> Phrase:
    """A body's key with each adjective of nationality written as its country, so that two spellings of
    one adjective (الأمريكية, الأميركية) give one key."""
    nisba = lexicon().nisba
    out = []
    for w in key:
        code = nisba.get("ال" + w) or nisba.get(w)
        out.append(w if not code or code == "-" else code)
    return tuple(out)


@cache
def _state_heads() -> frozenset[str]:
    return frozenset(head_lemma(w) for w in langdata.word_list("state_heads.txt"))


def _country_only(words_: Phrase, state: bool = False) -> str | None:
    """The country that words after a body's head name and nothing else: an adjective of nationality
    ("قطريه"), a country, or (``state``: a government's own body) a city ("دوحه"); else None."""
    lex = lexicon()
    codes = set()
    for w in words_:
        code = w if w.isupper() else lex.nisba.get("ال" + w) or lex.nisba.get(w)   # _spelled_key wrote it
        if code is None:
            info = lex.place_info.get((w,), ()) or lex.place_info.get(("ال" + w,), ())
            found = {c for kind, c in info if kind == "country" or (state and kind == "city")}
            code = next(iter(found)) if len(found) == 1 else None
        if not code or code == "-":
            return None
        codes.add(code)
    return next(iter(codes)) if len(codes) == 1 else None


def _nations(key: Phrase) -> set[str]:
    """Countries the words of a body's name give by nationality ("جيش سوري" → {"SY"})."""
    nisba = lexicon().nisba
    return {c for w in key for c in (nisba.get("ال" + w), nisba.get(w)) if c and c != "-"}


def _merge_spelling_variants(items: list[ArticleMentions], counts: Counter[Phrase]) -> None:
    """Names of one story whose words share their ``name_skeleton`` are one name: each mention takes the most
    frequent spelling (outlets spell a foreign name their own way, and the framing table must put
    both outlets' words for him side by side)."""
    groups: dict[Phrase, list[Phrase]] = defaultdict(list)
    for key in counts:
        groups[tuple(_sounds(w) for w in key)].append(key)
    to: dict[Phrase, Phrase] = {}
    for keys in groups.values():
        if len(keys) > 1:
            main = max(keys, key=lambda k: (counts[k], len("".join(k)), k))
            to.update({k: main for k in keys if k != main})
    if not to:
        return
    for key, main in to.items():
        counts[main] += counts.pop(key)
    for am in items:
        for ms in am.mentions.values():
            for m in ms:
                if m.type == "person" and m.key in to:
                    m.key = to[m.key]
                if m.forces_of in to:
                    m.forces_of = to[m.forces_of]


_SOUND = str.maketrans({"غ": "ج", "ش": "س", "ث": "س", "ص": "س", "ط": "ت", "ض": "د", "ذ": "ز"})
_VOWELS = str.maketrans("", "", "ايءئؤ")   # و is kept: محمود is not محمد


def _sounds(word: str) -> str:
    """A foreign name as it sounds, for one story's spellings of it: alef, ya and hamza dropped and the letters
    outlets use for one sound made one (غ/ج: سيرغي, سيرجي, جونغ, جونج; س/ش: غوتيريس, غوتيريش); و is
    kept (محمود is not محمد) and so are the letters of words shorter than four."""
    if len(word) < 4:
        return word.translate(_SOUND)
    return word[0] + word[1:].rstrip("ه").translate(_VOWELS).translate(_SOUND)   # أندريه, أندري


def _canonical_names(counts: Counter[Phrase]) -> dict[Phrase, Phrase]:
    """Each name → the full name it stands for (a name that ends exactly one longer name joins it)."""
    out: dict[Phrase, Phrase] = {}
    common = _given_names()
    for key in counts:
        longer = [k for k in counts if len(k) > len(key) and k[-len(key):] == key]
        if key in common:  # "محمد" alone is not Mahathir Mohamad
            longer = []
        if not longer and len(key) >= 2 and key[-1] not in lexicon().particles:
            # a full name cut short: "محمد بن عبدالرحمن" for "محمد بن عبدالرحمن آل ثاني" (one such name)
            starting = [k for k in counts if len(k) > len(key) and k[:len(key)] == key]
            longer = starting if len(starting) == 1 else []
        if longer:
            out[key] = max(longer, key=lambda k: (counts[k], len(k)))
        else:
            out[key] = key
    # a short first name for a long one ("جو دانفورد" / "جوزيف دانفورد")
    full = sorted((k for k in counts if out[k] == k and len(k) >= 2), key=lambda k: (-counts[k], k))
    for n, key in enumerate(full):
        for other in full[:n]:
            if (out[other] == other and len(other) == len(key) and other[1:] == key[1:] and len(key[0]) >= 2
                    and (other[0].startswith(key[0]) or key[0].startswith(other[0]))):
                for k, v in out.items():
                    if v == key:
                        out[k] = other
                break
    # follow chains (a → b → c)
    for key in out:
        seen = {key}
        while out[out[key]] != out[key] and out[key] not in seen:
            seen.add(out[key])
            out[key] = out[out[key]]
    return out


def _alias_index(canon: dict[Phrase, Phrase], counts: Counter[Phrase]) -> dict[Phrase, Phrase]:
    """Folded name, or surname of a full name, → person key, for names found without a cue."""
    lex = lexicon()
    index: dict[Phrase, Phrase] = {}
    surnames: dict[Phrase, set[Phrase]] = defaultdict(set)
    for key, full in canon.items():
        index[key] = full
        if len(full) >= 2 and full[-1] not in lex.particles and len(full[-1]) >= 3:
            surnames[(full[-1],)].add(full)
        if key[0].startswith("عبد") and len(key[0]) > 5:   # "عبدالفتاح" also written "عبد الفتاح"
            index[("عبد", key[0][3:]) + key[1:]] = full
    for s, fulls in surnames.items():
        if len(fulls) == 1 and s not in index:
            index[s] = next(iter(fulls))
    return index


# a dateline opening the body: "دبي، الإمارات العربية المتحدة (CNN)—", "غزة (رويترز) -"
_DATELINE = re.compile(r"\s*[^\n().]{0,60}?\(([^()\n]{1,25})\)\s*(?:--|—|–|-|:)")


def _mark_dateline_places(am: ArticleMentions, body: str) -> None:
    """The place of the outlet's own dateline ("دبي … (CNN)—" in a CNN article) is where its desk
    sits, not where the story happens (cue ``desk``: a place named, never the event's); an agency's
    dateline ("غزة (رويترز) -") names the scene."""
    m = _DATELINE.match(body[:120])
    if not (m and am.outlet and len(body[:m.end()].split()) <= 8):
        return
    who, outlet = fold_for_match(m.group(1)), fold_for_match(am.outlet)
    if outlet in who or who in outlet:
        for x in am.mentions.get("body", []):
            if x.type == "place" and x.start < m.end():
                x.cue = "desk"


def _locative(sc: Scanner, m: Mention) -> bool:
    """A place said to be where something happens: after في, إلى, وسط …, a glued ب ("بالقاهرة"), or a
    place word after one ("في مدينة بروكسل", "بمدينة بروكسل"); or opening an agency's dateline."""
    i = m.first
    if m.cue == "gazetteer" and i == 0 and sc.n > 1 and "(" in sc.toks[1].sep:
        return True
    tok = sc.toks[i]
    if tok.start < m.start and "ب" in sc.text[tok.start:m.start]:
        return True
    k = i - 1
    if k >= 0 and sc.soft(i) and sc.toks[k].readings[-1][1] in sc.lex.place_cues:
        if "ب" in sc.toks[k].text[:len(sc.toks[k].text) - len(sc.toks[k].readings[-1][1])]:
            return True
        i, k = k, k - 1
    return k >= 0 and sc.soft(i) and sc.toks[k].text in LOCATIVES


DAY_NEAR_CHARS = 60   # a place this close to a day expression was named with that day
LOCATIVES = frozenset(fold_for_match(w) for w in ("في", "إلى", "داخل", "وسط", "قرب", "بمدينة", "بالعاصمة"))


def _drop_places_inside_names(am: ArticleMentions) -> None:
    """"بشار" in "بشار الأسد" is no place (Béchar): a person's name wins over the gazetteer."""
    for fld, ms in am.mentions.items():
        names = [(m.start, m.end) for m in ms if m.type == "person" and m.key and not m.role_only]
        am.mentions[fld] = [m for m in ms if m.type != "place"
                            or not any(s <= m.start < e or m.start <= s < m.end for s, e in names)]


def _role_references(am: ArticleMentions) -> None:
    """A role phrase with no name joins the person the article gave that role to."""
    roles: dict[str, Phrase] = {}
    for ms in am.mentions.values():
        for m in ms:
            if m.type == "person" and m.key and not m.role_only:
                for label in m.labels:
                    roles.setdefault(fold_for_match(label), m.key)
    for ms in am.mentions.values():
        for m in ms:
            if m.role_only and fold_for_match(m.text) in roles:
                m.key = roles[fold_for_match(m.text)]
                m.role_only = False
                m.cue = "role-reference"


# ---- output -------------------------------------------------------------------

def _clean(text: str) -> str:
    return " ".join(text.split())


def actor_record(actor: Actor) -> dict[str, Any]:
    """The JSON object of one actor: name, type, aliases, labels (article id → descriptors), counts."""
    forms: Counter[str] = Counter()
    labels: dict[str, list[str]] = {}
    counts: dict[str, Counter[str]] = {}
    articles: list[str] = []
    alias_forms: list[str] = []
    for aid, m in actor.mentions:
        if aid not in articles:
            articles.append(aid)
        if m.cue != "role-reference":
            forms[_clean(m.text)] += 1
        alias_forms.extend(m.aliases)
        for label in m.labels:
            label = _clean(label)
            known = labels.setdefault(aid, [])
            same = next((k for k in known if fold_for_match(k) == fold_for_match(label)), None)
            label = same or label  # a tashkeel or alef variant counts as the label already listed
            counts.setdefault(aid, Counter())[label] += 1
            if same is None:
                known.append(label)
    if actor.type == "person":
        name = max(forms or alias_forms, key=lambda f: (len(name_key(f)), forms[f], len(f)))
    else:
        forces = [f for f in forms if (w := words(f)) and w[0] == fold_for_match("قوات") and actor.key
                  and w[-1] == actor.key[-1]]
        name = max(forces or forms or alias_forms, key=lambda f: (" " in f, forms[f], -len(f)))
    seen = {fold_for_match(name)}
    aliases = []
    for form in list(forms) + alias_forms:
        key = fold_for_match(form)
        if key not in seen:
            seen.add(key)
            aliases.append(form)
    return {"name": name, "type": actor.type, "aliases": aliases, "labels": labels,
            "label_counts": {aid: dict(c) for aid, c in counts.items()},
            "articles": articles, "mentions": len(actor.mentions),
            "mentions_by_article": dict(Counter(aid for aid, _ in actor.mentions))}


def place_entry(key: Phrase) -> Phrase:
    """The gazetteer entry a place name stands for: a country by its code (سوريا, سورية; أمريكا, الولايات
    المتحدة → US), else the name without its place word ("مدينة حمص" → حمص)."""
    lex = lexicon()
    info = lex.place_info.get(key, ())
    codes = {c for kind, c in info if kind == "country"}
    if info and len(codes) == 1 and all(kind == "country" for kind, _ in info):
        return ("country", next(iter(codes)))
    if len(key) > 1 and key[0] in lex.place_parts.values():
        return key   # "مطار بغداد", "جنوب العراق": a place of its own, not بغداد or العراق
    bare = tuple(w for w in key if w not in lex.place_cues)
    return bare or key


def _places(items: list[ArticleMentions], owner: dict[int, Actor]) -> list[dict[str, Any]]:
    """Places of the story, one per gazetteer entry: name (the spelling most used), variants (the other
    spellings), kind, country (ambiguity settled by the story), counts."""
    lex = lexicon()
    evidence: Counter[str] = Counter()
    found: dict[Phrase, dict[str, Any]] = {}
    for am in items:
        for fld, ms in am.mentions.items():
            for m in ms:
                if m.type == "place":
                    info = lex.place_info.get(m.key, ())
                    entry = found.setdefault(place_entry(m.key), {"spellings": Counter(), "first": {}, "info": info,
                                                                  "mentions": 0, "articles": set(), "keys": set()})
                    spelling = fold_for_match(m.text)
                    entry["spellings"][spelling] += 1
                    entry["first"].setdefault(spelling, m.text)
                    entry["keys"].add(m.key)
                    entry["info"] = entry["info"] or info
                    entry["mentions"] += 1
                    entry["articles"].add(am.id)
                    if len({c for _, c in info}) == 1:
                        evidence[info[0][1]] += 1
                elif m.type == "organization":
                    for c in m.countries:
                        evidence[c] += 1
            sc = am.scanners[fld]
            for t in sc.toks:
                c = lex.nisba.get(t.text)
                if c and c != "-":
                    evidence[c] += 1
    out = []
    for key, e in found.items():
        info = e["info"]
        # ties go to the lexicon's first reading (a set here made the choice differ from process to process)
        countries = sorted(dict.fromkeys(c for _, c in info), key=lambda c: -evidence[c]) if info else []
        country = countries[0] if countries else None
        kind = next((k for k, c in info if c == country), "place") if info else "place"
        order = sorted(e["spellings"], key=lambda f: (-e["spellings"][f], f))
        out.append({"name": e["first"][order[0]], "variants": [e["first"][f] for f in order[1:]], "kind": kind,
                    "country": country, "mentions": e["mentions"], "articles": len(e["articles"]),
                    "ambiguous": len(countries) > 1, "keys": e["keys"], "entry": key})
    out.sort(key=lambda p: (-p["articles"], -p["mentions"]))
    return out


def _timestamp(value: datetime) -> float:
    return value.timestamp() if value.tzinfo else value.replace(tzinfo=timezone.utc).timestamp()


def _lead(body: str) -> str:
    for para in body.split("\n"):
        if len(para.strip()) > 40:
            return para
    return body[:400]


def _event(items: list[ArticleMentions], articles: list[dict[str, Any]], owner: dict[int, Actor],
           records: dict[int, dict[str, Any]], places: list[dict[str, Any]]) -> dict[str, Any]:
    known = [am.published for am in items if am.published]
    story_ref = min(known, key=_timestamp) if known else None   # pages mix zoned and local times
    days: Counter[str] = Counter()
    for am, a in zip(items, articles):
        ref = am.published or story_ref
        if ref is None:
            continue
        for text in (a.get("title") or "", _lead(a.get("body") or "")):
            day = next((d.date.day() for d in find_dates(text, ref) if d.date.day()), None)
            if day:
                days[day.isoformat()] += 1
                break
    date, basis = None, None
    if days:
        # most articles' day; on a tie, a day not after the last report, then the nearest to the first
        # ("الأربعاء" in one lead beats the election date "24 يونيو" another lead looks ahead to)
        last = max(known, key=_timestamp).date() if known else None
        first = story_ref.date() if story_ref else None

        def rank(d: str) -> tuple[int, bool, int, str]:
            day = datetime.fromisoformat(d).date()
            return (days[d], last is None or day <= last, -abs((day - first).days) if first else 0, d)

        date = max(days, key=rank)
        basis = "text"
    elif story_ref:
        date, basis = story_ref.date().isoformat(), "published"
    # participants: persons that more than half of the articles name in their title or lead
    leads: Counter[int] = Counter()
    # the place of the happening: where the texts say it took place ("في رام الله الاثنين", "بمدينة
    # بروكسل"), not the place most named ("اليونان ومقدونيا توصلتا"); one article alone does not settle it
    place_of = {k: p for p in places for k in p["keys"]}
    place_score: Counter[int] = Counter()
    in_leads: Counter[int] = Counter()
    on_the_day: set[int] = set()
    for am, a in zip(items, articles):
        body = a.get("body") or ""
        lead_end = len(_lead(body)) + max(body.find(_lead(body)), 0)
        ref = am.published or story_ref
        seen: dict[int, None] = {}   # in mention order: a set of ids ordered ties by memory address
        best: dict[int, int] = {}
        leads_here: set[int] = set()
        for fld, ms in am.mentions.items():
            sc = am.scanners[fld]
            for m in ms:
                in_lead = fld == "title" or m.start < lead_end
                if m.type == "person" and id(m) in owner and in_lead:
                    seen[id(owner[id(m)])] = None
                # a happening at "مطار القاهرة" happened in القاهرة when the story names the town too
                key = m.key[1:] if m.cue == "compound" and m.key[1:] in place_of else m.key
                if m.type == "place" and m.cue != "desk" and key in place_of and _locative(sc, m):
                    w = 3 if fld == "title" else 2 if in_lead else 1
                    n = id(place_of[key])
                    lo = max(0, m.start - DAY_NEAR_CHARS)
                    near = [d.date.day().isoformat() == date
                            for d in find_dates(sc.text[lo:m.end + DAY_NEAR_CHARS], ref) if d.date.day()] \
                        if date and ref else []
                    if near and not any(near):
                        continue   # another day's place: "في غزة قبل أسبوع"
                    if any(near):
                        w += 2     # named with the day of the happening: "في سنغافورة الثلاثاء"
                        on_the_day.add(n)
                    if in_lead:
                        leads_here.add(n)
                    best[n] = max(best.get(n, 0), w)
        for actor_id in seen:
            leads[actor_id] += 1
        for n, w in best.items():
            place_score[n] += w
        in_leads.update(leads_here)
    # named in the title or lead of more than a third of the articles, and of two when there are two
    need = len(items) / 3
    # ties by name: the actors are keyed by id(), whose order differs from one process to the next
    participants = [records[a]["name"] for a, n in sorted(leads.items(), key=lambda x: (-x[1], records[x[0]]["name"]))
                    if n > need and n >= min(2, len(items)) and records[a]["type"] == "person"]
    # a place qualifies when a text names it with the day of the happening, or the titles and leads of
    # two articles (of the one there is) say it is where things happen
    by_id = {id(p): p for p in places}
    scored = {n: sc * (2 if by_id[n]["kind"] in ("city", "place") else 1) for n, sc in place_score.items()
              if n in on_the_day or in_leads[n] >= min(2, len(items))}
    place = by_id[max(scored, key=lambda n: (scored[n], by_id[n]["name"]))]["name"] if scored else None
    return {"date": date, "date_basis": basis, "place": place, "participants": participants}


def story_entities(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Actors, places and event of a story's articles (dicts as ``queries.show_story`` returns them)."""
    items, actors, owner = analyse(articles)
    records = {id(a): actor_record(a) for a in actors}
    ordered = sorted(actors, key=lambda a: (-len(records[id(a)]["articles"]), -records[id(a)]["mentions"],
                                            records[id(a)]["name"]))
    places = _places(items, owner)
    event = _event(items, articles, owner, records, places)
    details = [{k: v for k, v in p.items() if k not in ("keys", "entry")} for p in places]
    return {"actors": [records[id(a)] for a in ordered], "places": [p["name"] for p in places],
            "place_details": details, "event": event}


def article_mentions(article: dict[str, Any], fields: tuple[str, ...] = ("body",)) -> list[dict[str, Any]]:
    """Mentions in one article with start/end offsets into its ``body`` (and ``title`` when asked).

    Each: {field, start, end, text, type (person|organization|place|date), name (the actor's or
    place's name), cue}; dates carry ``value`` (ISO 8601) resolved against ``published``.
    """
    items, actors, owner = analyse([article])
    records = {id(a): actor_record(a) for a in actors}
    out: list[dict[str, Any]] = []
    am = items[0]
    for fld in fields:
        for m in am.mentions.get(fld, []):
            if m.type == "person" and m.role_only:
                continue
            actor = owner.get(id(m))
            out.append({"field": fld, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
                        "name": records[id(actor)]["name"] if actor else m.text, "cue": m.cue})
        text = article.get(fld) or ""
        for d in find_dates(text, am.published):
            out.append({"field": fld, "start": d.start, "end": d.end, "text": d.text, "type": "date",
                        "name": d.date.iso(), "value": d.date.iso(), "cue": "date"})
    out.sort(key=lambda x: (x["field"], x["start"]))
    return out
