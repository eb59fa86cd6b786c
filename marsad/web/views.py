"""What each page shows, as plain dicts: the HTML templates render them and the API returns them.

No SQL and no Arabic rules here: everything comes from ``marsad.queries``, and a story's actors and
comparison from its stored analysis (``marsad.analysis``); a page whose analysis fails still shows
the story and says what is missing.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime, timezone
from typing import Any

from .. import queries
from ..analysis import actor_key
from ..compare.timeline import parse_instant, timeline_entries
from ..store.base import Store

log = logging.getLogger("marsad.web")

def stories_view(store: Store, limit: int = 20, offset: int = 0, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, actor: str | None = None,
                 place: str | None = None) -> dict[str, Any]:
    """Stories newest first with their filters and paging (page ``/``, API ``/api/v1/stories``)."""
    return queries.find_stories(store, limit=limit, offset=offset, outlet=outlet, since=since, until=until,
                                actor=actor, place=place)


FULL_BODIES_PER_OUTLET = 3   # on the story page; an outlet's further articles are listed by title


def story_view(store: Store, story_id: str, with_entities: bool = True) -> dict[str, Any]:
    """One story with bodies, plus its timeline points and actors when available (``/api/v1/stories/{id}``)."""
    story = queries.show_story(store, story_id)
    story["timeline"] = timeline_points(story)
    if with_entities:
        story["entities"] = _entities(store, story)
    return story


def outlet_columns(story: dict[str, Any], compare: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The story page's side-by-side view: one column per outlet, its first articles in full (with the
    comparison's marks), the rest by title."""
    columns: dict[str, dict[str, Any]] = {}
    for a in story["articles"]:
        col = columns.setdefault(a["outlet"] or "", {"outlet": a["outlet"], "articles": [], "more": []})
        if len(col["articles"]) < FULL_BODIES_PER_OUTLET:
            col["articles"].append({**a, "pieces": marked_body(a.get("body") or "", compare, a["id"])})
        else:
            col["more"].append(a)
    return list(columns.values())


def framing_rows(story: dict[str, Any], entities: dict[str, Any] | None, limit: int = 12) -> list[dict[str, Any]]:
    """The framing table by outlet: for each actor, the labels each outlet's articles use (in order, once)."""
    outlet_of = {a["id"]: a["outlet"] or "" for a in story["articles"]}
    rows = []
    for actor in (entities or {}).get("actors") or []:
        by_outlet: dict[str, list[str]] = {}
        for article_id, labels in (actor.get("labels") or {}).items():
            got = by_outlet.setdefault(outlet_of.get(article_id, ""), [])
            got += [label for label in labels if label not in got]
        if by_outlet:
            rows.append({"name": actor.get("name"), "labels": by_outlet,
                         "id": actor_key(actor["name"], actor["type"]) if actor.get("type") else None})
        if len(rows) >= limit:
            break
    return rows


def timeline_points(story: dict[str, Any]) -> list[dict[str, Any]]:
    """Every article and copy of the story with outlet and date, oldest first (undated last)."""
    return timeline_entries(story["articles"])


def _analysis(store: Store, story: dict[str, Any]) -> dict[str, Any] | None:
    """The story's stored analysis (``marsad.analysis``; computed and stored once when missing or stale)."""
    from ..analysis import stored_analysis

    return stored_analysis(store, story["id"])


def _entities(store: Store, story: dict[str, Any]) -> dict[str, Any] | None:
    """Actors, places and event of the story from its stored analysis, else None (the page says so)."""
    try:
        analysis = _analysis(store, story)
    except Exception:  # a failing analysis must not take the page down
        log.exception("the analysis failed on story %s", story["id"])
        return None
    return None if analysis is None else {k: analysis["entities"].get(k) for k in ("actors", "places", "event")}


def compare_view(store: Store, story: dict[str, Any]) -> dict[str, Any]:
    """The coverage comparison of a story (``/api/v1/stories/{id}/compare``), from its stored analysis:
    ``available`` is false when there is nothing to compare (one article) or the comparison failed."""
    base = {"story": story["id"], "available": False, "reason": None}
    if len(queries.compared_ids(story)) < 2:
        return {**base, "reason": "one article: nothing to compare"}
    try:
        analysis = _analysis(store, story)
    except Exception:
        log.exception("compare failed on story %s", story["id"])
        return {**base, "reason": "the comparison failed on this story; see the server log"}
    if analysis is None or analysis["compare"] is None:
        return {**base, "reason": "one article: nothing to compare"}
    return {**analysis["compare"], "available": True, "reason": None}


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """One article as stored (``/articles/{id}``, ``/api/v1/articles/{id}``)."""
    return queries.show_article(store, article_id)


def outlets_view(store: Store) -> dict[str, Any]:
    return {"outlets": queries.list_outlets(store)}


def outlet_view(store: Store, name: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """An outlet's stories, coverage gaps and the labels it uses most for the main actors, from the
    actors table (``/outlets/{name}``, ``/api/v1/outlets/{name}``)."""
    data = queries.show_outlet(store, name, limit=limit, offset=offset)
    data["labels"] = store.outlet_actor_labels(name, OUTLET_ACTORS)
    data["labels_reason"] = None if data["labels"] else "no analysed story names an actor with a label here"
    return data


OUTLET_ACTORS = 15   # actors listed with their labels on an outlet's page


def actors_view(store: Store, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Actors with aliases, counts and per-outlet labels, from the actors table (``/api/v1/actors``)."""
    queries._page(limit, offset)
    total, actors = store.list_actors(limit=limit, offset=offset)
    return {"available": True, "reason": None, "total": total, "limit": limit, "offset": offset, "actors": actors}


def actor_view(store: Store, actor_id: str) -> dict[str, Any]:
    """One actor (``/actors/{id}``, ``/api/v1/actors/{id}``): how each outlet names it, how often, week by
    week, and the stories behind each label."""
    return queries.show_actor(store, actor_id)


def search_view(store: Store, q: str, outlet: str | None = None, since: str | None = None,
                until: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Search results grouped by story (``/search``, ``/api/v1/search``)."""
    return queries.search(store, q, outlet=outlet, since=since, until=until, limit=limit, offset=offset)


# -- exports ----------------------------------------------------------------------------
def to_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


# a cell opening with one of these is read as a formula by spreadsheet programs (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell: None empty; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV with a header row (UTF-8 with BOM so spreadsheet programs read Arabic correctly). Text cells
    opening with = + - @ are prefixed with ' so that a crafted page cannot run a formula in Excel."""
    buf = io.StringIO()
    fields = list(rows[0]) if rows else list(queries.EXPORT_FIELDS)
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return "\ufeff" + buf.getvalue()


# -- presentation helpers used by the templates -------------------------------------------
MARK_PRIORITY = {"copied": 3, "only": 2, "same": 1}


def marked_body(body: str, compare: dict[str, Any] | None, article_id: str) -> list[dict[str, Any]]:
    """The body cut into ``{"text", "kind"}`` pieces: kind "copied" (a passage other outlets share),
    "same" (a claim others make in other words), "only" (no counterpart elsewhere) or None."""
    spans: list[tuple[int, int, str]] = []
    if compare and compare.get("available"):
        for kind, groups in (("copied", compare.get("copied_passages") or []),
                             ("same", compare.get("same_claims") or [])):
            for g in groups:
                spans += [(s["start"], s["end"], kind) for s in g.get("spans", []) if s.get("article") == article_id]
        spans += [(s["start"], s["end"], "only") for s in compare.get("only_here") or []
                  if s.get("article") == article_id]
    kinds: list[str | None] = [None] * len(body)
    for start, end, kind in spans:
        for i in range(max(0, start), min(len(body), end)):
            if kinds[i] is None or MARK_PRIORITY[kind] > MARK_PRIORITY[kinds[i]]:  # type: ignore[index]
                kinds[i] = kind
    pieces: list[dict[str, Any]] = []
    for i, ch in enumerate(body):
        if pieces and pieces[-1]["kind"] == kinds[i]:
            pieces[-1]["text"] += ch
        else:
            pieces.append({"text": ch, "kind": kinds[i]})
    return pieces


def timeline_layout(points: list[dict[str, Any]], width: int = 720, row_height: int = 34,
                    label_width: int = 170) -> dict[str, Any]:
    """Coordinates for the story's timeline chart: one row per outlet, time running right to left
    (earliest at the right, as Arabic reads), a dot per article; undated articles are listed apart."""
    dated = [(p, _parse(p["published"])) for p in points]
    times = [t for _, t in dated if t is not None]
    outlets: list[str] = []
    for p in points:
        name = p["outlet"] or "—"
        if name not in outlets:
            outlets.append(name)
    plot_right, plot_left = width - label_width - 16, 24
    lo, hi = (min(times), max(times)) if times else (None, None)
    span = (hi - lo).total_seconds() if lo and hi else 0.0

    def x_of(t: datetime) -> float:
        if not span:
            return (plot_left + plot_right) / 2
        return plot_right - (t - lo).total_seconds() / span * (plot_right - plot_left)  # type: ignore[operator]

    dots = []
    for p, t in dated:
        if t is None:
            continue
        row = outlets.index(p["outlet"] or "—")
        dots.append({**p, "x": round(x_of(t), 1), "y": 30 + row * row_height + row_height / 2})
    ticks = []
    if lo is not None and hi is not None:
        ticks.append({"x": plot_right, "label": lo.strftime("%Y-%m-%d %H:%M"), "anchor": "end"})
        if span:
            ticks.append({"x": plot_left, "label": hi.strftime("%Y-%m-%d %H:%M"), "anchor": "start"})
    rows = [{"outlet": o, "y": 30 + i * row_height + row_height / 2} for i, o in enumerate(outlets)]
    return {"width": width, "height": 40 + len(outlets) * row_height + 20, "label_x": width - 8,
            "plot_left": plot_left, "plot_right": plot_right, "rows": rows, "dots": dots, "ticks": ticks,
            "axis_y": 30 + len(outlets) * row_height + 6,
            "undated": [p for p, t in dated if t is None]}


CHART_LABELS = 3   # labels drawn as lines on an outlet's weekly chart of an actor (its most used)


def weekly_chart(outlet: dict[str, Any], weeks: list[str], width: int = 360, height: int = 120) -> dict[str, Any]:
    """Coordinates for one outlet's weekly chart on an actor's page: a bar per week for the outlet's
    articles naming the actor and a line for each of its ``CHART_LABELS`` most used labels; time runs
    right to left (the first week at the right, as the story timeline)."""
    left, right, top, bottom = 8.0, width - 8.0, 12.0, height - 24.0
    n = max(1, len(weeks))
    step = (right - left) / n
    series = [outlet["weeks"].get(w, 0) for w in weeks]
    labels = outlet["labels"][:CHART_LABELS]
    peak = max([*series, *(x["weeks"].get(w, 0) for x in labels for w in weeks), 1])

    def x_of(i: int) -> float:
        return round(right - (i + 0.5) * step, 1)

    def y_of(v: int) -> float:
        return round(bottom - v / peak * (bottom - top), 1)

    bar = max(1.0, min(18.0, step * 0.6))
    bars = [{"x": round(x_of(i) - bar / 2, 1), "y": y_of(v), "w": round(bar, 1), "h": round(bottom - y_of(v), 1),
             "week": w, "n": v} for i, (w, v) in enumerate(zip(weeks, series)) if v]
    lines = []
    for k, x in enumerate(labels):
        points = [(x_of(i), y_of(x["weeks"].get(w, 0)), w, x["weeks"].get(w, 0)) for i, w in enumerate(weeks)]
        lines.append({"label": x["label"], "class": f"l{k}",
                      "points": " ".join(f"{px},{py}" for px, py, _, _ in points),
                      "dots": [{"x": px, "y": py, "week": w, "n": v} for px, py, w, v in points if v]})
    ticks = [{"x": x_of(0), "label": weeks[0], "anchor": "middle"}] if weeks else []
    if len(weeks) > 1:
        ticks.append({"x": x_of(len(weeks) - 1), "label": weeks[-1], "anchor": "middle"})
    return {"width": width, "height": height, "bottom": bottom, "left": left, "right": right,
            "bars": bars, "lines": lines, "ticks": ticks, "peak": peak}


def _parse(value: str | None) -> datetime | None:
    """The instant as a naive UTC datetime (for the SVG axis); zones converted, not dropped."""
    parsed = parse_instant(value)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed else None
