"""Renderings of a comparison (the dict of ``compare_story``): a terminal report and a self-contained HTML page."""
from __future__ import annotations

import html
from typing import Any

from rich.console import Console
from rich.table import Table

from .labels import labels_by_outlet
from .timeline import copy_note

MAX_GROUPS_SHOWN = 12


def article_names(result: dict[str, Any]) -> dict[str, str]:
    """Article id → a short name: the outlet, numbered when an outlet has several articles."""
    counts: dict[str, int] = {}
    for a in result["articles"]:
        counts[a["outlet"] or "?"] = counts.get(a["outlet"] or "?", 0) + 1
    seen: dict[str, int] = {}
    out = {}
    for a in result["articles"]:
        o = a["outlet"] or "?"
        seen[o] = seen.get(o, 0) + 1
        out[a["id"]] = f"{o} {seen[o]}" if counts[o] > 1 else o
    for e in result["timeline"]["articles"]:
        out.setdefault(e["article"], e["outlet"] or "?")
    return out


def _after(minutes: int | None) -> str:
    if minutes is None:
        return "?"
    if minutes == 0:
        return "first"
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}h{m:02d}" if h else f"{sign}{m} min"


def print_report(result: dict[str, Any], console: Console) -> None:
    """The comparison as text: timeline, summary, copied passages, same claims, only-here, labels."""
    names = article_names(result)
    p = lambda text="": console.print(text, markup=False, highlight=False)  # noqa: E731
    head = result["headline"]["text"] if result["headline"] else result["story"]
    console.rule(head, characters="═")
    p(f"story {result['story']} · {len(result['articles'])} articles · outlets: "
      f"{'، '.join(result['outlets'])} · sentences compared with {result['encoder']} · {result['seconds']} s")

    tl = result["timeline"]
    t = Table(title="timeline", title_justify="left", header_style="bold")
    for col in ("outlet", "published", "after first", "title"):
        t.add_column(col, overflow="fold")
    for e in tl["articles"]:
        note = copy_note(e)
        title = (e["title"] or "—") + (f" ({note})" if note else "")
        t.add_row(names.get(e["article"], e["outlet"] or "?"), e["published"] or "?", _after(e["minutes_after_first"]), title)
    console.print(t)
    if tl["not_reported_by"]:
        p("not reported by: " + "، ".join(
            f"{m['outlet']} ({m['articles_within_window']} other articles within {tl['window_hours']:g} h)"
            for m in tl["not_reported_by"]))

    console.rule("summary", align="right")
    for n, s in enumerate(result["summary"], 1):
        p(f"{n}. {s['text']} [{names[s['article']]}]")

    if not result.get("compared_pairs"):
        p()
        p("one outlet only: no other outlet to compare its sentences with")
        return
    console.rule(f"copied passages ({len(result['copied_passages'])})", align="right")
    for n, g in enumerate(result["copied_passages"][:MAX_GROUPS_SHOWN], 1):
        src = g["source"]
        if src["type"] == "first_published":
            origin = f"no source named: first published by {names[src['article']]}"
        else:
            origin = f"attributed ({src['type']}): " + " | ".join(
                f"{names[a['article']]}: «{a['text']}»" for a in src["attributions"])
        p(f"[{n}] {max(s['words'] for s in g['spans'])} words · {origin}")
        for s in g["spans"]:
            p(f"    {names[s['article']]} @{s['start']}-{s['end']}: {s['text']}")
    _more(p, result["copied_passages"])

    console.rule(f"same claim in other words ({len(result['same_claims'])})", align="right")
    for n, g in enumerate(result["same_claims"][:MAX_GROUPS_SHOWN], 1):
        p(f"[{n}] score {g['score']}")
        for s in g["spans"]:
            p(f"    {names[s['article']]}: {s['text']}")
    _more(p, result["same_claims"])

    console.rule(f"only here ({len(result['only_here'])})", align="right")
    by_article: dict[str, list[str]] = {}
    repeats: dict[str, int] = {}
    for s in result["only_here"]:
        if s.get("also_in"):
            repeats[s["article"]] = repeats.get(s["article"], 0) + 1
            continue
        by_article.setdefault(s["article"], []).append(s["text"])
    for aid in dict.fromkeys([s["article"] for s in result["only_here"]]):
        p(f"{names[aid]}:")
        for text in by_article.get(aid, []):
            p(f"    • {text}")
        if repeats.get(aid):
            p(f"    (+ {repeats[aid]} sentences repeated from the same outlet's earlier article)")

    labels = result["labels"]
    actors = [a for a in labels["actors"] if a.get("labels")]
    console.rule(f"labels ({labels.get('from', '')})", align="right")
    if actors:
        lt = Table(header_style="bold", show_lines=True)
        lt.add_column("actor", overflow="fold")
        outlets, by_outlet = _framing(result, actors)
        for outlet in outlets:
            lt.add_column(outlet, overflow="fold")
        for actor, labels in list(zip(actors, by_outlet))[:MAX_GROUPS_SHOWN]:
            lt.add_row(actor["name"], *["، ".join(labels.get(o, {})) or "—" for o in outlets])
        console.print(lt)
    else:
        p("no titled or described actors found")


def _framing(result: dict[str, Any], actors: list[dict[str, Any]]
             ) -> tuple[list[str], list[dict[str, dict[str, int]]]]:
    """The outlets with a label for some actor, in the order of their first article, and each actor's
    labels per outlet (``labels_by_outlet``), in the order of ``actors``."""
    outlet_of = {a["id"]: a.get("outlet") for a in result["articles"]}
    by_outlet = [labels_by_outlet(actor, outlet_of) for actor in actors]
    labelled = {o for labels in by_outlet for o in labels}
    outlets = [o for o in dict.fromkeys(a.get("outlet") or a["id"] for a in result["articles"]) if o in labelled]
    return outlets, by_outlet


def _more(p, items: list[Any]) -> None:
    if len(items) > MAX_GROUPS_SHOWN:
        p(f"    … and {len(items) - MAX_GROUPS_SHOWN} more (see --json or --html)")


_CSS = """
body{font-family:"Noto Naskh Arabic","Amiri","Segoe UI",Tahoma,sans-serif;margin:2em auto;max-width:72em;
line-height:1.8;color:#222;background:#fff;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;margin-top:2em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:right}
th{background:#f3f3f3}.meta{color:#666;font-size:.9em}.cite{color:#555;font-size:.85em}
mark{background:#ffe58a}mark.c1{background:#b9e6ff}mark.c2{background:#c8f7c5}mark.c3{background:#f9c9e0}
.only{background:#eee9ff}.articles{display:grid;grid-template-columns:repeat(auto-fit,minmax(24em,1fr));gap:1em}
.article{border:1px solid #ddd;padding:1em;border-radius:6px;white-space:pre-wrap}
.group{margin:.6em 0;padding:.4em .8em;border-inline-start:4px solid #ccc}
"""


def render_html(result: dict[str, Any], bodies: dict[str, str]) -> str:
    """A self-contained right-to-left page (inline CSS, no scripts or external assets); all text escaped."""
    e = html.escape
    names = article_names(result)
    head = result["headline"]["text"] if result["headline"] else result["story"]
    parts = [f'<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(head)}</title>\n'
             f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>{e(head)}</h1>\n"
             f'<p class="meta">{e(result["story"])} · {len(result["articles"])} مقالات · '
             f'{e("، ".join(result["outlets"]))}</p>\n']
    parts.append("<h2>الخط الزمني</h2>\n<table><tr><th>المنبر</th><th>النشر</th><th>بعد الأول</th><th>العنوان</th></tr>\n")
    for t in result["timeline"]["articles"]:
        parts.append(f"<tr><td>{e(names.get(t['article'], t['outlet'] or '?'))}</td><td>{e(t['published'] or '?')}</td>"
                     f"<td dir=\"ltr\">{e(_after(t['minutes_after_first']).replace('first', 'الأول'))}</td><td>{e(t['title'] or '')}</td></tr>\n")
    parts.append("</table>\n")
    missing = result["timeline"]["not_reported_by"]
    if missing:
        parts.append("<p>لم يغطّها: " + e("، ".join(m["outlet"] for m in missing)) + "</p>\n")
    parts.append("<h2>ملخص القصة</h2>\n<ol>\n")
    for s in result["summary"]:
        parts.append(f'<li>{e(s["text"])} <span class="cite">[{e(names[s["article"]])}]</span></li>\n')
    parts.append("</ol>\n<h2>الفقرات المنقولة</h2>\n")
    for n, g in enumerate(result["copied_passages"]):
        src = g["source"]
        origin = (f"أول من نشر: {names[src['article']]}" if src["type"] == "first_published"
                  else "منسوبة: " + " | ".join(f"{names[a['article']]}: «{a['text']}»" for a in src["attributions"]))
        parts.append(f'<div class="group"><p class="cite">[{n + 1}] {e(origin)}</p>\n')
        for s in g["spans"]:
            parts.append(f'<p><mark class="c{n % 4}">{e(s["text"])}</mark> '
                         f'<span class="cite">[{e(names[s["article"]])}]</span></p>\n')
        parts.append("</div>\n")
    parts.append("<h2>الخبر نفسه بكلمات أخرى</h2>\n")
    for g in result["same_claims"]:
        parts.append('<div class="group">' + "".join(
            f'<p>{e(s["text"])} <span class="cite">[{e(names[s["article"]])}]</span></p>' for s in g["spans"]) + "</div>\n")
    actors = [a for a in result["labels"]["actors"] if a.get("labels")]
    if actors:
        outlets, by_outlet = _framing(result, actors)
        parts.append("<h2>التوصيف</h2>\n<table><tr><th>الفاعل</th>" +
                     "".join(f"<th>{e(o)}</th>" for o in outlets) + "</tr>\n")
        for actor, labels in zip(actors, by_outlet):
            parts.append(f"<tr><td>{e(actor['name'])}</td>" + "".join(
                f"<td>{e('، '.join(labels.get(o, {})) or '—')}</td>" for o in outlets) + "</tr>\n")
        parts.append("</table>\n")
    parts.append('<h2>المقالات</h2>\n<p class="meta">مظلل: منقول من منبر آخر؛ بنفسجي: لا يرد إلا هنا.</p>\n'
                 '<div class="articles">\n')
    marks: dict[str, list[tuple[int, int, str]]] = {}
    for n, g in enumerate(result["copied_passages"]):
        for s in g["spans"]:
            marks.setdefault(s["article"], []).append((s["start"], s["end"], f'mark class="c{n % 4}"'))
    for s in result["only_here"]:
        marks.setdefault(s["article"], []).append((s["start"], s["end"], 'span class="only"'))
    for a in result["articles"]:
        body = bodies.get(a["id"], "")
        parts.append(f'<div class="article"><h3>{e(names[a["id"]])}: {e(a["title"] or "")}</h3>'
                     f'<p class="meta">{e(a["published"] or "?")}</p>{_highlight(body, marks.get(a["id"], []))}</div>\n')
    parts.append("</div>\n</body>\n</html>\n")
    return "".join(parts)


def _highlight(body: str, spans: list[tuple[int, int, str]]) -> str:
    """The escaped body with non-overlapping spans wrapped in their tags (earlier spans win)."""
    out, pos = [], 0
    for s, t, tag in sorted(spans):
        if s < pos:
            continue
        out.append(html.escape(body[pos:s]))
        name = tag.split()[0]
        out.append(f"<{tag}>{html.escape(body[s:t])}</{name}>")
        pos = t
    out.append(html.escape(body[pos:]))
    return "".join(out)
