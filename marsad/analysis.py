"""Stored story analyses: who/where/when and the coverage comparison, computed once per story revision.

A story's analysis is ``marsad.entities.story_entities`` over its articles and, when it has two or
more articles to compare, ``marsad.compare.compare_story``; it is stored with ``ANALYSIS_VERSION`` and
the story's ``revision`` (raised by every write that changes the story's articles: a new article or
copy, a move, a merge). It is stale when either moved on. ``analyze`` brings the stale stories up to
date; pages and the API read the stored analysis (``stored_analysis``), computing and storing a
missing or stale one once.

The work is split so that it can run anywhere: ``story_input`` reads what one story's analysis needs
from the store (in the process that owns the store), ``analyse_batch`` is a pure function of those
inputs (run in worker processes or on a Dask cluster, ``marsad.engine``), and one writer stores the
results as they arrive (``Store.write_analyses``), which also sums the actors they touch into the
actors table (``sum_actors``). A run killed at any point leaves every story either analysed or stale.

Coverage gaps (the outlets that did not report a story, with how many articles they published near
it) depend on the whole database, not on the story, so they are not stored: ``coverage_gaps`` counts
them afresh when an analysis is read, as ``compare.timeline.build_timeline`` would.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from .store.base import Store

log = logging.getLogger("marsad.analysis")

# Raise by one when marsad.entities or marsad.compare change what they return: every stored analysis of an
# older version is then stale, and `marsad analyze` computes it again.
ANALYSIS_VERSION = 2   # 2: event participants in a fixed order (by articles, then name)

STORIES_PER_TASK = 8       # stories analysed per task (a task's inputs and results travel together)
# results are written (one transaction, the actors they touch summed again) every this many stories or
# seconds, whichever comes first: a frequent actor is summed once per write, not once per task
WRITE_EVERY_STORIES = 64
WRITE_EVERY_SECONDS = 2.0
PARALLEL_MIN_STORIES = 32  # fewer stale stories than this are analysed in this process by the local engine
TIMELINE_WINDOW_HOURS = 48.0   # as compare.timeline.build_timeline: "active near the story"


@dataclass
class AnalyzeReport:
    """What ``analyze`` did: stories analysed, forgotten (emptied by merges and moves), failed; time."""

    stale: int = 0
    analysed: int = 0
    articles: int = 0           # articles (and compared copies) of the analysed stories
    dropped: int = 0
    failed: list[str] = field(default_factory=list)   # "story id: reason"
    actors: int = 0             # actors summed again
    seconds: float = 0.0
    engine: str = "local"
    workers: int = 1
    interrupted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"stale": self.stale, "analysed": self.analysed, "articles": self.articles,
                "dropped": self.dropped, "failed": self.failed, "actors": self.actors,
                "seconds": round(self.seconds, 3), "engine": self.engine, "workers": self.workers,
                "interrupted": self.interrupted}


class AnalyzeProgress:
    """What ``analyze`` tells a front end as it goes (the CLI draws a progress bar)."""

    def start(self, total: int) -> None: ...
    def advance(self, report: AnalyzeReport) -> None: ...
    def finish(self, report: AnalyzeReport) -> None: ...


# -- reading the inputs (in the process that owns the store) -----------------------------------
def story_input(store: Store, story_id: str, revision: int | None = None) -> dict[str, Any] | None:
    """What ``analyse`` needs of one story: the story with bodies, the articles a comparison reads
    (``queries.compared_articles``) and the revision they were read at (read first: a write in
    between leaves the analysis stale, never wrongly fresh). None when the story has no articles."""
    from . import queries

    if revision is None:
        revision = store.story_revision(story_id)
    story = store.get_story(story_id, with_body=True)
    if story is None or not story["articles"] or story["id"] != story_id:
        return None
    ids = queries.compared_ids(story)
    compared = queries.compared_articles(store, story) if len(ids) >= 2 else None
    return {"story": story, "compared": compared, "revision": revision or 0}


# -- the analysis (pure: runs in any process) ----------------------------------------------------
def analyse(item: dict[str, Any]) -> dict[str, Any]:
    """The analysis of one ``story_input``: entities, comparison (None for a story with nothing to
    compare) and its actors as rows for the actors table."""
    from .compare import compare_story
    from .entities import story_entities

    started = time.perf_counter()
    story = item["story"]
    entities = story_entities(story["articles"])
    compare = None
    if item["compared"] is not None:
        compare = compare_story({**story, "articles": item["compared"]}, None)
    return {"story_id": story["id"], "revision": item["revision"], "version": ANALYSIS_VERSION,
            "entities": entities, "compare": compare, "actors": actor_rows(story, entities),
            "articles": len(item["compared"] or story["articles"]),
            "seconds": round(time.perf_counter() - started, 3)}


def analyse_batch(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``analyse`` over one task's stories; a story whose analysis raises comes back as
    ``{"story_id", "error"}`` and the others go on."""
    out = []
    for item in items:
        try:
            out.append(analyse(item))
        except Exception as exc:  # noqa: BLE001 — one story's failure is reported, not the batch's
            log.exception("analysis failed on story %s", item["story"]["id"])
            out.append({"story_id": item["story"]["id"], "error": f"{type(exc).__name__}: {exc}"})
    return out


def actor_key(name: str, kind: str) -> str:
    """The stable id of an actor across stories: its type and folded name (a person's with
    ``entities.name_key``, so عبد الفتاح = عبدالفتاح)."""
    from .entities import name_key
    from .normalize import fold_for_match

    key = " ".join(name_key(name)) if kind == "person" else fold_for_match(name)
    return "a-" + hashlib.sha1(f"{kind}\x1f{key}".encode()).hexdigest()[:12]


def _day(published: str | None) -> str | None:
    """The UTC day of a publication time."""
    from .compare.timeline import parse_instant

    d = parse_instant(published)
    return d.astimezone(timezone.utc).date().isoformat() if d else None


def actor_rows(story: dict[str, Any], entities: dict[str, Any]) -> list[dict[str, Any]]:
    """Each actor of the story with its id and, per article, outlet, day, mentions and labels."""
    articles = {a["id"]: a for a in story["articles"]}
    out = []
    for actor in entities.get("actors") or []:
        per_article = actor.get("mentions_by_article") or {}
        counts = actor.get("label_counts") or {}
        uses = []
        for aid in actor.get("articles") or []:
            a = articles.get(aid, {})
            uses.append({"article": aid, "outlet": a.get("outlet"), "day": _day(a.get("published")),
                         "mentions": per_article.get(aid, 1), "labels": counts.get(aid, {})})
        out.append({"id": actor_key(actor["name"], actor["type"]), "name": actor["name"], "type": actor["type"],
                    "aliases": actor.get("aliases") or [], "mentions": actor.get("mentions", len(uses)),
                    "articles": len(uses), "uses": uses})
    # one story can name two actors that fold to one key (two spellings the linker kept apart): one row
    merged: dict[str, dict[str, Any]] = {}
    for a in out:
        if a["id"] not in merged:
            merged[a["id"]] = a
            continue
        m = merged[a["id"]]
        m["aliases"] = list(dict.fromkeys([*m["aliases"], a["name"], *a["aliases"]]))
        m["mentions"] += a["mentions"]
        have = {u["article"]: u for u in m["uses"]}
        for u in a["uses"]:
            if u["article"] in have:
                have[u["article"]]["mentions"] += u["mentions"]
                labels = Counter(have[u["article"]]["labels"])
                labels.update(u["labels"])
                have[u["article"]]["labels"] = dict(labels)
            else:
                m["uses"].append(u)
        m["articles"] = len(m["uses"])
    return list(merged.values())


# -- the actors table ----------------------------------------------------------------------------
LABELS_PER_OUTLET = 5   # labels kept per actor and outlet in the actors table (most used first)


def sum_actors(story_rows: list[Mapping[str, Any]], article_rows: list[Mapping[str, Any]]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Actors across the database from their per-story and per-article rows: the name most stories
    use (then most mentions), every other spelling as an alias (once after folding), counts, the
    first and last day, and per outlet the articles, mentions and most used labels."""
    import json

    from .normalize import fold_for_match

    by_actor: dict[str, list[Mapping[str, Any]]] = {}
    for r in story_rows:
        by_actor.setdefault(r["actor_id"], []).append(r)
    uses: dict[str, list[Mapping[str, Any]]] = {}
    for r in article_rows:
        uses.setdefault(r["actor_id"], []).append(r)
    actors, outlets = [], []
    for actor_id in sorted(by_actor):
        rows = by_actor[actor_id]
        names: Counter[str] = Counter(r["name"] for r in rows)
        mentions_of: Counter[str] = Counter()
        for r in rows:
            mentions_of[r["name"]] += r["mentions"]
        name = min(names, key=lambda n: (-names[n], -mentions_of[n], n))
        seen = {fold_for_match(name)}
        spellings: Counter[str] = Counter()
        for r in rows:
            for alias in [r["name"], *json.loads(r["aliases"])]:
                spellings[alias] += 1
        aliases = []
        for alias in sorted(spellings, key=lambda a: (-spellings[a], a)):
            if fold_for_match(alias) not in seen:
                seen.add(fold_for_match(alias))
                aliases.append(alias)
        days = sorted(u["day"] for u in uses.get(actor_id, []) if u["day"])
        actors.append({"id": actor_id, "name": name, "type": rows[0]["type"], "aliases": aliases,
                       "articles": sum(r["articles"] for r in rows), "stories": len({r["story_id"] for r in rows}),
                       "mentions": sum(r["mentions"] for r in rows),
                       "first_day": days[0] if days else None, "last_day": days[-1] if days else None})
        per_outlet: dict[str, dict[str, Any]] = {}
        for u in uses.get(actor_id, []):
            o = per_outlet.setdefault(u["outlet"] or "", {"articles": 0, "mentions": 0, "labels": Counter()})
            o["articles"] += 1
            o["mentions"] += u["mentions"]
            o["labels"].update(json.loads(u["labels"]))
        for outlet in sorted(per_outlet):
            o = per_outlet[outlet]
            top = sorted(o["labels"].items(), key=lambda x: (-x[1], x[0]))[:LABELS_PER_OUTLET]
            outlets.append({"actor_id": actor_id, "outlet": outlet, "articles": o["articles"],
                            "mentions": o["mentions"], "labels": [list(x) for x in top]})
    return actors, outlets


# -- reading stored analyses -------------------------------------------------------------------------
def is_fresh(row: Mapping[str, Any] | None) -> bool:
    return row is not None and row["version"] == ANALYSIS_VERSION and row["revision"] == row["current_revision"]


def stored_analysis(store: Store, story_id: str, compute: bool = True) -> dict[str, Any] | None:
    """The story's analysis as stored ({entities, compare, revision, analysed_at, seconds, stored}),
    coverage gaps counted afresh. A missing or stale one is computed now and stored (``stored`` is
    False when the store could not take it, e.g. a SQLite file another process is writing);
    with ``compute=False`` it is None instead. Raises nothing for a story without articles: None."""
    row = store.analysis(story_id)
    if not is_fresh(row):
        if not compute:
            return None
        item = story_input(store, story_id)
        if item is None:
            return None
        result = analyse(item)
        stored = True
        try:
            store.write_analyses([result], [], sum_actors)
        except Exception:  # a busy store must not take the page down: the result is served unstored
            log.exception("could not store the analysis of story %s", story_id)
            stored = False
        row = {**result, "analysed_at": None, "stored": stored}
    else:
        row = {**row, "stored": True}
    if row["compare"] is not None:
        row["compare"]["timeline"]["not_reported_by"] = coverage_gaps(store, row["compare"]["timeline"])
    return row


def coverage_gaps(store: Store, timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """The outlets of the database that did not report the story, with their articles and those
    published within the timeline's window of it (what ``build_timeline`` lists as not_reported_by)."""
    from .compare.timeline import parse_instant

    entries = timeline["articles"]
    window_s = timeline.get("window_hours", TIMELINE_WINDOW_HOURS) * 3600
    dates = [d for d in (parse_instant(e["published"]) for e in entries) if d is not None]
    lo = min(dates).timestamp() - window_s if dates else None
    hi = max(dates).timestamp() + window_s if dates else None
    reported = {e["outlet"] for e in entries if e["outlet"]}
    activity = store.outlet_activity(lo, hi)
    return [{"outlet": o, "articles_in_db": activity[o][0], "articles_within_window": int(activity[o][1] or 0)}
            for o in sorted(set(activity) - reported)]


# -- bringing stories up to date ------------------------------------------------------------------------
def analyze(store: Store, engine: Any = None, story_ids: Iterable[str] | None = None,
            progress: AnalyzeProgress | None = None, stories_per_task: int = STORIES_PER_TASK) -> AnalyzeReport:
    """Analyse every stale story (only those of ``story_ids`` when given) and forget the analyses of
    stories left empty. Inputs are read here, analysed by ``engine`` (``marsad.engine``; in this
    process when None) in tasks of ``stories_per_task`` stories, and written here as they arrive."""
    from .engine import InlineEngine

    started = time.monotonic()
    engine = engine or InlineEngine()
    progress = progress or AnalyzeProgress()
    report = AnalyzeReport(engine=engine.name, workers=engine.workers)
    stale = store.stale_analyses(ANALYSIS_VERSION, None if story_ids is None else list(story_ids))
    if engine.name == "local" and len(stale) < PARALLEL_MIN_STORIES:
        engine = InlineEngine()   # starting worker processes would cost more than they save
    dropped = store.emptied_analyses() if story_ids is None else []
    report.stale = len(stale)
    progress.start(len(stale))
    if dropped:
        report.actors += len(store.write_analyses([], dropped, sum_actors))
        report.dropped = len(dropped)

    def tasks() -> Iterator[list[dict[str, Any]]]:
        for i in range(0, len(stale), stories_per_task):
            items = [story_input(store, sid, rev) for sid, rev in stale[i:i + stories_per_task]]
            items = [x for x in items if x is not None]
            if items:
                yield items

    waiting: list[dict[str, Any]] = []   # results not written yet (a write sums their actors again)
    written = time.monotonic()

    def write() -> None:
        nonlocal waiting, written
        if waiting:
            report.actors += len(store.write_analyses(waiting, [], sum_actors))
            report.analysed += len(waiting)
            report.articles += sum(r["articles"] for r in waiting)
        waiting, written = [], time.monotonic()
        report.seconds = written - started
        progress.advance(report)

    try:
        for results in engine.unordered(analyse_batch, tasks()):
            waiting += [r for r in results if "error" not in r]
            report.failed += [f"{r['story_id']}: {r['error']}" for r in results if "error" in r]
            if len(waiting) >= WRITE_EVERY_STORIES or time.monotonic() - written >= WRITE_EVERY_SECONDS:
                write()
        write()
    except KeyboardInterrupt:  # what was written stays; the next run analyses the rest
        report.interrupted = True
    report.seconds = time.monotonic() - started
    progress.finish(report)
    return report


def strip_timings(value: Any) -> Any:
    """An analysis (or any JSON) without its run times (``seconds``, ``timings``, ``analysed_at``):
    what two runs of the same analysis share."""
    if isinstance(value, dict):
        return {k: strip_timings(v) for k, v in value.items() if k not in ("seconds", "timings", "analysed_at")}
    if isinstance(value, list):
        return [strip_timings(v) for v in value]
    return value


__all__ = ["ANALYSIS_VERSION", "AnalyzeReport", "analyse", "analyse_batch", "analyze", "coverage_gaps",
           "stored_analysis", "story_input", "sum_actors"]
