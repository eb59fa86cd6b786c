"""Who reported a story first, when each outlet followed, and which outlets never did."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 date-time as an aware datetime (UTC when the text gives no zone)."""
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        return None
    return d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d


def published_order(value: str | None) -> tuple[bool, float]:
    """Sort key for publication times of any zone: the instant, unknown dates last."""
    d = parse_instant(value)
    return (d is None, d.timestamp() if d else 0.0)


def _minutes(a: datetime | None, b: datetime | None) -> int | None:
    if a is None or b is None:
        return None
    return int((b - a).total_seconds() // 60)


def timeline_entries(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every article and copy in publication order (by instant, whatever the zones; undated last):
    article, outlet, published, title, ``copy_of`` (the original, for a copy) and ``similarity``
    (1.0 for an exact copy, under 1 for an edited one, None for an original)."""
    entries = []
    for a in articles:
        entries.append({"article": a["id"], "outlet": a.get("outlet"), "published": a.get("published"),
                        "title": a.get("title"), "copy_of": a.get("copy_of"), "similarity": a.get("similarity")})
        for c in a.get("copies") or []:
            entries.append({"article": c["id"], "outlet": c.get("outlet"), "published": c.get("published"),
                            "title": a.get("title"), "copy_of": a["id"], "similarity": c.get("similarity", 1.0)})
    entries.sort(key=lambda e: published_order(e["published"]))
    return entries


def copy_note(entry: dict[str, Any]) -> str:
    """How the timeline calls a copy: exact, or edited with its similarity; "" for an original."""
    if not entry.get("copy_of"):
        return ""
    sim = entry.get("similarity")
    return "exact copy" if sim is None or sim >= 1.0 else f"edited copy, similarity {sim:.2f}"


def build_timeline(articles: list[dict[str, Any]], outlets_in_db: dict[str, list[str | None]] | None = None,
                   window_hours: float = 48.0) -> dict[str, Any]:
    """Every article and exact copy in publication order, with minutes after the first report.

    ``outlets_in_db`` maps each outlet of the database to its articles' publication
    dates; outlets that never reported the story are listed with how many articles
    they published within ``window_hours`` of it (were they active and silent?).
    """
    entries = timeline_entries(articles)
    first = parse_instant(entries[0]["published"]) if entries else None
    for e in entries:
        e["minutes_after_first"] = _minutes(first, parse_instant(e["published"]))
    reported = {e["outlet"] for e in entries if e["outlet"]}
    first_by_outlet: dict[str, dict[str, Any]] = {}
    for e in entries:
        if e["outlet"] and e["outlet"] not in first_by_outlet:
            first_by_outlet[e["outlet"]] = e
    missing = []
    if outlets_in_db is not None:
        dates = [d for d in (parse_instant(e["published"]) for e in entries) if d is not None]
        lo, hi = (min(dates), max(dates)) if dates else (None, None)
        for outlet in sorted(set(outlets_in_db) - reported):
            near = 0
            if lo is not None:
                for p in outlets_in_db[outlet]:
                    d = parse_instant(p)
                    m1, m2 = _minutes(lo, d), _minutes(d, hi)
                    if m1 is not None and m2 is not None and m1 >= -window_hours * 60 and m2 >= -window_hours * 60:
                        near += 1
            missing.append({"outlet": outlet, "articles_in_db": len(outlets_in_db[outlet]),
                            "articles_within_window": near})
    return {"first": entries[0] if entries else None,
            "outlets": [{"outlet": o, "article": e["article"], "published": e["published"],
                         "minutes_after_first": e["minutes_after_first"]} for o, e in first_by_outlet.items()],
            "articles": entries, "not_reported_by": missing, "window_hours": window_hours}
