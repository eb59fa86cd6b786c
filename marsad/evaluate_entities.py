"""Who, where, when and the coverage comparison scored against stories read by hand.

A gold folder holds, per story, ``<name>.jsonl`` (its articles: id, source, date,
title, text) and ``<name>.json`` (the reading, in the format of the seeds'
``expected.json``: ``actors``, ``places``, ``event``, ``same_claim_other_words``,
``only_in``). Each story's articles are ingested into a fresh database (so they are
cleaned as any input is) and read back; the story is the gold's list of articles
(``marsad eval stories`` scores the grouping itself). Strings are compared after
``fold_for_match`` with punctuation, quotes and ``#``/``_`` dropped.

The measures (micro-averaged over the stories; see README, "Who, where, when"):

- persons / organisations found: a gold actor is found when a listed actor of its
  type carries one of its forms (name, alias; for a body also the names its
  articles use, its labels) as name or alias; listed and gold actors are paired
  one to one, so two actors for one person find it once.
- actor precision: listed actors paired with a gold actor, over all listed actors.
- labels: per article, a gold label is found when a label the paired actor has in
  that article equals it, equals it but for a glued ل, or shares more than half of
  the words of each; precision counts the paired actors' labels the same way.
- places found / right: a gold place (name or variant) that a listed place (name or
  variant) equals; listed places equal to a gold one. Listed once: gold places found
  over the listed places that equal them (a place listed under two spellings counts twice).
- event: the day equals the gold day; the place equals the gold place or one of its
  variants, and an empty gold place wants no place.
- same claims: a gold group is found when one of ``compare``'s same-claim groups holds
  sentences of two of its articles that match the gold sentences (more than half of
  the words of the shorter are in the other).
- only here: a gold only-here fact is covered when more than half of its words stand
  in one only-here sentence of its article. As a check on precision, the only-here
  sentences that hold a gold same-claim or copied sentence are counted too.
"""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError
from .normalize import fold_for_match

_WORD = re.compile(r"[\u0621-\u064a0-9a-z]+")


def norm(text: str) -> str:
    """Folded words of ``text`` joined by spaces: quotes, punctuation, ``#`` and ``_`` dropped."""
    return " ".join(_WORD.findall(fold_for_match(text or "")))


def _key(text: str) -> str:
    """A name's comparison key: folded words without the spaces ("عبد الفتاح" = "عبدالفتاح")."""
    return norm(text).replace(" ", "")


def _words(text: str) -> list[str]:
    return norm(text).split()


def label_matches(found: str, gold: str) -> bool:
    """A label equals the gold one, but for a glued ل, or the two share most of each other's words."""
    a, b = norm(found), norm(gold)
    if not a or not b:
        return False
    if a == b or (a.startswith("ل") and a[1:] == b) or (b.startswith("ل") and b[1:] == a):
        return True
    wa, wb = a.split(), b.split()
    shared = len(set(wa) & set(wb))
    return shared * 2 > len(set(wb)) and shared * 2 > len(set(wa))


def sentence_matches(a: str, b: str) -> bool:
    """More than half of the words of the shorter text are in the other."""
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return False
    return len(wa & wb) * 2 > min(len(wa), len(wb))


def covered_by(fact: str, span: str) -> bool:
    """More than half of the words of ``fact`` stand in ``span``."""
    wf, ws = set(_words(fact)), set(_words(span))
    return bool(wf) and len(wf & ws) * 2 > len(wf)


# ---- reading the gold ------------------------------------------------------------

def gold_stories(folder: str) -> list[tuple[str, Path, Path]]:
    """(name, gold JSON, articles JSONL) of each story of ``folder``; raises ``InputError`` when none."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", folder, hint="pass the folder that holds <name>.json and <name>.jsonl")
    out = []
    for gold in sorted(root.glob("*.json")):
        articles = gold.with_suffix(".jsonl")
        if articles.exists():
            out.append((gold.stem, gold, articles))
    if not out:
        raise InputError("no gold story (a <name>.json beside a <name>.jsonl)", folder,
                         hint="each story needs its reading <name>.json and its articles <name>.jsonl")
    return out


def read_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"not a gold reading ({exc})", str(path),
                         hint="the file must hold one JSON object in the format of expected.json") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), list):
        raise InputError("not a gold reading (no list of articles)", str(path),
                         hint="the file must hold one JSON object in the format of expected.json")
    return gold


def _gold_places(gold: dict[str, Any]) -> list[dict[str, Any]]:
    """Gold places as {name, variants}: the seeds write bare names, the stories objects."""
    out = []
    for p in gold.get("places", []):
        if isinstance(p, str):
            out.append({"name": p, "variants": []})
        else:
            out.append({"name": p["name"], "variants": list(p.get("variants") or [])})
    return out


# ---- running Marsad on one story ----------------------------------------------------

def read_story(name: str, articles_path: Path, gold: dict[str, Any]) -> list[dict[str, Any]]:
    """The gold story's articles as stored after ingesting ``articles_path`` into a fresh database."""
    from .pipeline import ingest
    from .store import open_store

    with tempfile.TemporaryDirectory(prefix="marsad-eval-") as tmp:
        store = open_store(str(Path(tmp) / "gold.db"))
        try:
            ingest([str(articles_path)], store)
            out = []
            for aid in gold["articles"]:
                article = store.get_article(str(aid))
                if article is None:
                    raise InputError(f"gold article {aid!r} was not ingested", str(articles_path),
                                     hint="the .jsonl must hold every article the .json lists")
                out.append(article)
        finally:
            store.close()
    return out


def run_story(name: str, articles: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(story_entities, compare_story) of one story's articles."""
    from .compare import compare_story
    from .entities import story_entities

    entities = story_entities(articles)
    compared = compare_story({"id": name, "articles": articles})
    return entities, compared


# ---- scoring ------------------------------------------------------------------------

def _gold_forms(actor: dict[str, Any]) -> set[str]:
    forms = {actor["name"], *(actor.get("aliases") or [])}
    if actor["type"] != "person":
        forms |= {label for labels in actor.get("labels", {}).values() for label in labels}
    return {k for k in map(_key, forms) if k}


def _listed_forms(actor: dict[str, Any]) -> set[str]:
    return {k for k in map(_key, [actor["name"], *actor.get("aliases", [])]) if k}


def _pair(listed: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[int, int]:
    """Listed actor index → gold actor index, one to one, as many pairs as can be (augmenting paths)."""
    gold_forms = [_gold_forms(g) for g in gold]
    edges = [[j for j, g in enumerate(gold) if g["type"] == a["type"] and _listed_forms(a) & gold_forms[j]]
             for a in listed]
    # a listed actor whose own name is a gold actor's name is tried there first
    for i, a in enumerate(listed):
        edges[i].sort(key=lambda j: _key(gold[j]["name"]) != _key(a["name"]))
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(listed)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def score_story(gold: dict[str, Any], entities: dict[str, Any], compared: dict[str, Any]) -> dict[str, Any]:
    """Counts (found, total) of every measure for one story, and the misses a person can act on."""
    listed = entities["actors"]
    gactors = gold.get("actors", [])
    pairs = _pair(listed, gactors)
    paired_gold = set(pairs.values())
    c: dict[str, list[int]] = {}

    def add(name: str, hit: int, total: int) -> None:
        acc = c.setdefault(name, [0, 0])
        acc[0] += hit
        acc[1] += total

    misses: dict[str, list[Any]] = {"actors_not_found": [], "listed_not_actors": [], "labels_not_found": [],
                                    "labels_wrong": [], "places_not_found": [], "places_wrong": [],
                                    "places_doubled": [], "event": [], "claims_not_found": [],
                                    "only_here_not_covered": [], "only_here_wrong": []}
    for kind, measure in (("person", "persons"), ("organization", "organisations")):
        ours = [j for j, g in enumerate(gactors) if g["type"] == kind]
        add(measure, sum(j in paired_gold for j in ours), len(ours))
        misses["actors_not_found"] += [f"{kind}: {gactors[j]['name']}" for j in ours if j not in paired_gold]
    add("actor_precision", len(pairs), len(listed))
    gold_keys = [_gold_forms(g) for g in gactors]
    for i, a in enumerate(listed):
        if i not in pairs:
            why = "a second actor for one gold actor" if any(_listed_forms(a) & f for f in gold_keys) else "no actor"
            misses["listed_not_actors"].append(f"{a['type']}: {a['name']} ({why})")
    # labels
    by_gold = {j: listed[i] for i, j in pairs.items()}
    for j, g in enumerate(gactors):
        ours = by_gold.get(j)
        for aid, labels in g.get("labels", {}).items():
            mine = ours["labels"].get(aid, []) if ours else []
            for label in labels:
                hit = any(label_matches(x, label) for x in mine)
                add("labels_recall", hit, 1)
                if not hit:
                    misses["labels_not_found"].append(f"{g['name']} in {aid}: {label}")
    for i, j in pairs.items():
        g = gactors[j]
        for aid, mine in listed[i]["labels"].items():
            want = g.get("labels", {}).get(aid, [])
            if g["type"] != "person":  # a body's labels are the names its articles use
                want = want + [g["name"], *(g.get("aliases") or [])]
            for label in mine:
                hit = any(label_matches(label, w) for w in want)
                add("labels_precision", hit, 1)
                if not hit:
                    misses["labels_wrong"].append(f"{g['name']} in {aid}: {label}")
    # places
    gplaces = _gold_places(gold)
    gforms = [{_key(x) for x in [p["name"], *p["variants"]]} for p in gplaces]
    details = entities.get("place_details") or [{"name": n} for n in entities.get("places", [])]
    lforms = [{_key(x) for x in [p["name"], *p.get("variants", [])]} for p in details]
    matched = [[j for j, g in enumerate(gforms) if lf & g] for lf in lforms]
    found = {j for m in matched for j in m}
    add("places_found", len(found), len(gplaces))
    add("places_right", sum(bool(m) for m in matched), len(details))
    add("places_once", len(found), sum(bool(m) for m in matched))
    misses["places_not_found"] += [gplaces[j]["name"] for j in range(len(gplaces)) if j not in found]
    misses["places_wrong"] += [details[i]["name"] for i, m in enumerate(matched) if not m]
    for j in sorted(found):
        spellings = [details[i]["name"] for i, m in enumerate(matched) if j in m]
        if len(spellings) > 1:
            misses["places_doubled"].append(" / ".join(spellings))
    # event
    event, gevent = entities.get("event") or {}, gold.get("event") or {}
    day_ok = (event.get("date") or "")[:10] == (gevent.get("date") or "")
    add("event_day", day_ok, 1)
    gplace = gevent.get("place") or ""
    if gplace:
        variants = next((f for f in gforms if _key(gplace) in f), {_key(gplace)})
        place_ok = _key(event.get("place") or "") in variants
    else:
        place_ok = not event.get("place")
    add("event_place", place_ok, 1)
    if not day_ok:
        misses["event"].append(f"day {event.get('date')} (gold {gevent.get('date')})")
    if not place_ok:
        misses["event"].append(f"place {event.get('place') or '(none)'} (gold {gplace or '(none)'})")
    # same claims
    groups = compared.get("same_claims", [])
    for g in gold.get("same_claim_other_words", []):
        hit = False
        for grp in groups:
            arts = {s["article"] for s in grp["spans"] if s["article"] in g and sentence_matches(s["text"], g[s["article"]])}
            if len(arts) >= 2:
                hit = True
                break
        add("same_claims", hit, 1)
        if not hit:
            misses["claims_not_found"].append(" | ".join(f"{k}: {v}" for k, v in g.items()))
    # only here
    only = compared.get("only_here", [])
    for aid, facts in gold.get("only_in", {}).items():
        spans = [s["text"] for s in only if s["article"] == aid]
        for fact in facts:
            hit = any(covered_by(fact, s) for s in spans)
            add("only_here", hit, 1)
            if not hit:
                misses["only_here_not_covered"].append(f"{aid}: {fact}")
    shared = [(aid, text) for grp in gold.get("same_claim_other_words", []) + gold.get("shared_passages", [])
              for aid, text in grp.items()]
    wrong = [s for s in only if any(aid == s["article"] and sentence_matches(s["text"], t) for aid, t in shared)]
    add("only_here_wrong", len(wrong), len(only))
    misses["only_here_wrong"] += [f"{s['article']}: {s['text']}" for s in wrong]
    return {"counts": c, "misses": {k: v for k, v in misses.items() if v}}


MEASURES = [  # (key, what the table says, aim)
    ("persons", "persons found (recall)", 0.90),
    ("organisations", "organisations found (recall)", 0.80),
    ("actor_precision", "listed actors that are gold actors (precision)", 0.90),
    ("labels_recall", "per-article labels found (recall)", 0.75),
    ("labels_precision", "per-article labels right (precision)", 0.90),
    ("places_found", "places found (recall)", 0.90),
    ("places_right", "places right (precision)", 0.90),
    ("places_once", "places listed once, not once per spelling", 0.97),
    ("event_day", "event day right", 0.88),
    ("event_place", "event place right (none when the texts give none)", 0.80),
    ("same_claims", "same-claim groups found by compare", 0.60),
    ("only_here", "only-here facts inside an only-here sentence", 0.85),
    ("only_here_wrong", "only-here sentences holding a gold shared claim (lower is better)", None),
]


def evaluate_gold(folder: str) -> dict[str, Any]:
    """Every story of ``folder`` ingested, read and scored: {"stories": [...], "measures": {...}}."""
    stories = []
    totals: dict[str, list[int]] = {}
    for name, gold_path, articles_path in gold_stories(folder):
        gold = read_gold(gold_path)
        articles = read_story(name, articles_path, gold)
        entities, compared = run_story(name, articles)
        scored = score_story(gold, entities, compared)
        for k, (hit, total) in scored["counts"].items():
            acc = totals.setdefault(k, [0, 0])
            acc[0] += hit
            acc[1] += total
        stories.append({"story": name, "articles": len(articles),
                        "measures": {k: _figure(*v) for k, v in scored["counts"].items()},
                        "misses": scored["misses"]})
    measures = {}
    for key, what, aim in MEASURES:
        hit, total = totals.get(key, [0, 0])
        measures[key] = {**_figure(hit, total), "what": what, "aim": aim}
    return {"gold": str(folder), "stories": stories, "measures": measures}


def _figure(hit: int, total: int) -> dict[str, Any]:
    return {"value": round(hit / total, 4) if total else None, "hit": hit, "total": total}
