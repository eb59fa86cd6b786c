"""What the shells ask of the library, answered as plain dicts (the CLI's JSON and, later, the API's)."""
from __future__ import annotations

import re

from datetime import datetime, timedelta, timezone
from typing import Any

from .errors import BadParameter, NotFound
from .search import match_spans, parse_query, segments, snippet
from .store.base import Store


def list_stories(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stories newest first (by their last article), each with its articles (no bodies)."""
    return store.list_stories(limit=limit, offset=offset)


def group_threads(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories grouped by thread, in the order of each thread's newest story."""
    threads: dict[str, dict[str, Any]] = {}
    for story in stories:
        tid = story.get("thread_id") or story["id"]
        thread = threads.setdefault(tid, {"id": tid, "stories": [], "n_articles": 0})
        thread["stories"].append(story)
        thread["n_articles"] += story["n_articles"] + story.get("n_copies", 0)
    return list(threads.values())


def show_story(store: Store, story_id: str) -> dict[str, Any]:
    """One story with each article's body; raises ``NotFound`` with a hint."""
    story = store.get_story(story_id, with_body=True)
    if story is None:
        raise NotFound(f"no story with id {story_id!r}", hint="`marsad stories` lists the ids")
    return story


MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000_000  # past any database; a larger number would not fit an SQL integer (SQLite's is 64-bit)


# The dates the filters take: YYYY-MM-DD, or an ISO 8601 date and time (the API schema declares the same pattern)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
_DATE = re.compile(DATE_PATTERN)


def _day_ts(value: str | None, name: str, end: bool = False) -> float | None:
    """Epoch seconds of an ISO date or date-time (UTC when no zone); ``end``: the day after a bare date."""
    if value is None or value == "":
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2020-12-19") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    if end and len(value) <= 10:
        parsed += timedelta(days=1)
    return parsed.timestamp()


def _range(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    """Epoch bounds of ``since`` … ``until`` (a bare ``until`` date counts whole); a reversed range is an error."""
    since_ts, until_ts = _day_ts(since, "since"), _day_ts(until, "until", end=True)
    if since_ts is not None and until_ts is not None and since_ts >= until_ts:
        raise BadParameter(f"since={since!r} is after until={until!r}", hint="swap since and until")
    return since_ts, until_ts


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise BadParameter(f"limit={limit} is out of range", hint=f"use 1 to {MAX_PAGE_SIZE}")
    if offset < 0:
        raise BadParameter(f"offset={offset} is negative", hint="use 0 or more")
    if offset > MAX_OFFSET:
        raise BadParameter(f"offset={offset} is out of range", hint=f"use 0 to {MAX_OFFSET:,}")


def find_stories(store: Store, limit: int = 20, offset: int = 0, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, actor: str | None = None,
                 place: str | None = None) -> dict[str, Any]:
    """One page of stories newest first, filtered by outlet, dates (ISO, ``until`` inclusive) and the
    names of an actor and a place, matched in the articles' text as search matches words."""
    _page(limit, offset)
    since_ts, until_ts = _range(since, until)
    names = " ".join(f'"{n.replace(chr(34), " ")}"' for n in (actor, place) if n and n.strip())
    total, items = store.find_stories(limit=limit, offset=offset, outlet=outlet or None,
                                      since_ts=since_ts, until_ts=until_ts,
                                      **({"mentions": parse_query(names)} if names else {}))
    return {"filters": {"outlet": outlet or None, "since": since or None, "until": until or None,
                        "actor": actor or None, "place": place or None},
            "total": total, "limit": limit, "offset": offset, "stories": items}


def show_article(store: Store, article_id: str) -> dict[str, Any]:
    """One article with its body; raises ``NotFound``."""
    article = store.get_article(article_id)
    if article is None:
        raise NotFound(f"no article with id {article_id!r}", hint="story pages and search results link to articles")
    return article


def list_outlets(store: Store) -> list[dict[str, Any]]:
    """Every outlet with how many articles and stories it has, biggest first."""
    return store.list_outlets()


def show_outlet(store: Store, name: str, limit: int = 20, offset: int = 0, gaps: int = 10) -> dict[str, Any]:
    """An outlet: its stories (one page) and its coverage gaps, the biggest stories of its period
    (two outlets or more) that it did not report."""
    _page(limit, offset)
    outlet = next((o for o in store.list_outlets() if o["name"] == name), None)
    if outlet is None:
        raise NotFound(f"no outlet named {name!r}", hint="the outlets page lists them")
    total, items = store.find_stories(limit=limit, offset=offset, outlet=name)
    since, until = _day_ts(outlet["first_published"], "since"), _day_ts(outlet["last_published"], "until")
    _, missed = store.find_stories(limit=gaps, without_outlet=name, min_outlets=2, since_ts=since,
                                   until_ts=None if until is None else until + 1)
    return {**outlet, "total": total, "limit": limit, "offset": offset, "stories": items, "gaps": missed}


def search(store: Store, q: str, outlet: str | None = None, since: str | None = None,
           until: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Full-text search (see ``marsad.search``): one page of hits best first, grouped by story in order
    of their best hit; each hit has its title and a snippet as ``{"text", "match"}`` segments of the
    original text. Raises ``BadParameter`` for an empty or unusable query, a bad date or page."""
    _page(limit, offset)
    since_ts, until_ts = _range(since, until)
    query = parse_query(q, outlet=outlet or None, since_ts=since_ts, until_ts=until_ts)
    total, hits = store.search(query, limit=limit, offset=offset)
    keys = query.highlight_keys()
    headers = store.story_headers([h["story_id"] for h in hits if h["story_id"]])
    groups: dict[str, dict[str, Any]] = {}
    for h in hits:
        body = h.pop("body")
        h.pop("extra", None)
        h["title_segments"] = segments(h["title"] or "", match_spans(h["title"], keys))
        h["snippet"] = snippet(body, match_spans(body, keys))
        sid = h["story_id"] or h["id"]
        if sid not in groups:
            story = headers.get(h["story_id"] or "")
            groups[sid] = {**(story or {"id": h["story_id"], "title": h["title"], "n_articles": 1,
                                        "outlets": [h["outlet"]], "first_published": h["published"],
                                        "last_published": h["published"]}), "hits": []}
        groups[sid]["hits"].append(h)
    return {"query": query.text, "filters": {"outlet": outlet or None, "since": since or None,
                                             "until": until or None},
            "total": total, "limit": limit, "offset": offset, "stories": list(groups.values())}


EXPORT_FIELDS = ["id", "story_id", "outlet", "published", "title", "url", "duplicate_of", "body"]


def export_rows(store: Store, story_id: str | None = None, q: str | None = None, **filters: Any
                ) -> list[dict[str, Any]]:
    """Flat rows (``EXPORT_FIELDS``; a search adds ``score`` and ``snippet``) for JSONL and CSV exports
    of one story or of one page of search results."""
    if story_id is not None:  # each original, then its copies (their own text, ``duplicate_of`` set)
        story = show_story(store, story_id)
        rows = []
        for a in story["articles"]:
            rows.append({k: a.get(k) for k in EXPORT_FIELDS})
            for c in a.get("copies") or []:
                copy = store.get_article(c["id"]) or {**c, "duplicate_of": a["id"], "story_id": story["id"]}
                rows.append({k: copy.get(k) for k in EXPORT_FIELDS})
        return rows
    result = search(store, q or "", **filters)
    rows = []
    for group in result["stories"]:
        for h in group["hits"]:
            row = {k: h.get(k) for k in EXPORT_FIELDS if k != "body"}
            row["score"] = h["score"]
            row["snippet"] = "".join(str(s["text"]) for s in h["snippet"])
            rows.append(row)
    return rows


def biggest_story(stories: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The story of ``stories`` with most outlets, then most articles."""
    if not stories:
        return None
    return max(stories, key=lambda s: (len(s["outlets"]), s["n_articles"] + s["n_copies"]))


def _is_edited_copy(original: dict[str, Any], copy: dict[str, Any]) -> bool:
    """A copy another outlet filed with its own edits (similarity under 1), as opposed to an exact one."""
    return bool(copy.get("outlet")) and copy.get("outlet") != original.get("outlet") \
        and (copy.get("similarity") or 1.0) < 1.0


def compared_ids(story: dict[str, Any]) -> list[str]:
    """Ids of the articles ``compared_articles`` returns, without reading any body."""
    return [i for a in story["articles"]
            for i in [a["id"], *(c["id"] for c in a.get("copies") or [] if _is_edited_copy(a, c))]]


def compared_articles(store: Store, story: dict[str, Any]) -> list[dict[str, Any]]:
    """The articles a comparison reads: the originals, and each edited copy another outlet filed
    (similarity under 1: the wire text with its own cuts and words, which is what a comparison is for)
    as an article of its own. Exact copies stay on their original's timeline."""
    out = []
    for a in story["articles"]:
        edited = [c for c in a.get("copies") or [] if _is_edited_copy(a, c)]
        out.append({**a, "copies": [c for c in a.get("copies") or [] if not _is_edited_copy(a, c)]})
        for c in edited:
            full = store.get_article(c["id"])
            if full and full.get("body"):
                out.append({**full, "copies": [], "copy_of": a["id"], "similarity": c.get("similarity")})
    return out


def compare_story(store: Store, story_id: str, encoder: str | None = None,
                  story: dict[str, Any] | None = None) -> dict[str, Any]:
    """The coverage comparison of one story (``marsad.compare``); raises ``NotFound`` with a hint.

    With the default encoder it is the stored analysis (``marsad.analysis``; computed and stored now
    when missing or stale); ``encoder`` ``use`` or ``tfidf`` computes it afresh with that sentence
    encoder, as does a story with one article (nothing to store: the report says so). ``story`` is the
    story as ``show_story`` returns it, when the caller has read it already.
    """
    from dataclasses import replace

    from .analysis import stored_analysis
    from .compare import CompareSettings, compare_story as run_compare

    story = story if story is not None else show_story(store, story_id)
    if encoder in (None, "auto"):
        stored = stored_analysis(store, story["id"])
        if stored is not None and stored["compare"] is not None:
            return stored["compare"]
    story = {**story, "articles": compared_articles(store, story)}
    outlets = store.outlet_dates()
    settings = CompareSettings() if encoder is None else replace(CompareSettings(), encoder=encoder)
    return run_compare(story, outlets, settings)


def story_with_entities(store: Store, story_id: str) -> dict[str, Any]:
    """``show_story`` plus ``actors``, ``places``, ``place_details`` and ``event`` (see marsad.entities),
    from the story's stored analysis (computed and stored now when missing or stale)."""
    from .analysis import stored_analysis

    story = show_story(store, story_id)
    stored = stored_analysis(store, story["id"])
    story.update(stored["entities"] if stored else {"actors": [], "places": [], "place_details": [], "event": None})
    return story


def list_actors(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Actors across the database from the actors table (the stored analyses; ``marsad analyze``
    brings it up to date), most articles first.

    Each: id, name, type, aliases, articles, stories, mentions (counts), first_day, last_day and the
    labels each outlet used most ({outlet: [[label, count], ...]}).
    """
    return store.list_actors(limit=limit, offset=offset)[1]


def show_actor(store: Store, actor_id: str) -> dict[str, Any]:
    """One actor: how each outlet names it, how often, week by week, and the stories behind each label
    (``actor_profile``); raises ``NotFound``."""
    actor = store.get_actor(actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id!r}", hint="`marsad actors` and the story pages link to actors")
    return actor_profile(actor)


def _week(day: str | None) -> str | None:
    """The Monday (ISO date) of a day's week."""
    if not day:
        return None
    d = datetime.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).date().isoformat()


def actor_profile(actor: dict[str, Any]) -> dict[str, Any]:
    """An actor as ``Store.get_actor`` returns it, arranged by outlet: for each outlet its articles,
    mentions, every label it used (most used first) with its count, its count per week and the
    stories it was used in; and per week the outlet's articles naming the actor. ``weeks`` is the
    common axis (every week from the first to the last, ISO dates of their Mondays)."""
    uses = actor.pop("uses")
    outlets: dict[str, dict[str, Any]] = {}
    for o in actor.pop("outlets"):
        outlets[o["outlet"]] = {**o, "labels": {}, "weeks": {}, "stories": {}}
    for u in uses:
        o = outlets.setdefault(u["outlet"] or "", {"outlet": u["outlet"] or "", "articles": 0, "mentions": 0,
                                                   "labels": {}, "weeks": {}, "stories": {}})
        week = _week(u["day"])
        if week:
            o["weeks"][week] = o["weeks"].get(week, 0) + 1
        o["stories"].setdefault(u["story"], u["story_title"])
        for label, n in u["labels"].items():
            entry = o["labels"].setdefault(label, {"label": label, "count": 0, "weeks": {}, "stories": {}})
            entry["count"] += n
            entry["stories"].setdefault(u["story"], u["story_title"])
            if week:
                entry["weeks"][week] = entry["weeks"].get(week, 0) + n
    weeks: list[str] = []
    all_weeks = sorted({w for o in outlets.values() for w in o["weeks"]})
    if all_weeks:
        day = datetime.fromisoformat(all_weeks[0])
        while (iso := day.date().isoformat()) <= all_weeks[-1]:
            weeks.append(iso)
            day += timedelta(days=7)
    out = []
    for o in outlets.values():
        labels = sorted(o["labels"].values(), key=lambda x: (-x["count"], x["label"]))
        out.append({"outlet": o["outlet"], "articles": o["articles"], "mentions": o["mentions"],
                    "weeks": o["weeks"], "n_stories": len(o["stories"]),
                    "labels": [{**x, "stories": [{"id": k, "title": t} for k, t in x["stories"].items()]}
                               for x in labels]})
    return {**actor, "weeks": weeks, "outlets": out}


def find_actor(store: Store, name: str) -> dict[str, Any]:
    """The actor named ``name`` (its name or an alias, as any story wrote it; the one with most articles);
    ``NotFound`` with a hint."""
    from .analysis import actor_key

    ids = store.find_actor_ids(name.strip())
    for kind in ("person", "organization"):
        key = actor_key(name.strip(), kind)
        if key not in ids and store.get_actor(key) is not None:
            ids.append(key)
    if not ids:
        raise NotFound(f"no actor named {name!r}", hint="`marsad actors` lists them (after `marsad analyze`)")
    return show_actor(store, ids[0])
