"""Story quality against gold labels: B-cubed and pairwise precision, recall and F1.

B-cubed (Bagga & Baldwin 1998; Amigó et al. 2009) scores every article: precision
is the share of the articles in its predicted story that share its gold story,
recall the share of its gold story found in its predicted story; both averaged
over articles. Pairwise scores count article pairs put together. Articles that
are exact copies are scored with the story of their original.
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from .article import timestamp
from .errors import BadRecord, InputError


def read_labels(path: str) -> list[dict[str, Any]]:
    """The label lines of a gold file; raises ``BadRecord`` naming the line that is not one."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold labels: {exc.strerror}", path) from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or "id" not in obj:
                raise ValueError("no id")
        except (json.JSONDecodeError, ValueError) as exc:
            raise BadRecord(f"not a label line ({exc})", path, f"line {n}",
                            hint='each line must be {"id": ..., "story": ..., "topic": ...}') from exc
        out.append(obj)
    return out


def evaluate_store(rows: list[dict[str, Any]], labels: list[dict[str, Any]], path: str | None = None
                   ) -> dict[str, Any]:
    """Stories scored against ``story`` labels and threads against ``topic`` labels (when present).

    ``rows`` are the stored articles (``Store.iter_articles``: id, title, story_id, thread_id).
    Raises ``InputError`` (naming ``path``, the labels file) when no label line has a ``story``
    or none of the labelled articles is in the database: there would be nothing to score.
    """
    if not any("story" in o for o in labels):
        raise InputError("no label line has a story", path,
                         hint='each line must be {"id": ..., "story": ..., "topic": ...}')
    if not {str(o["id"]) for o in labels} & {r["id"] for r in rows if r["story_id"]}:
        raise InputError(f"none of the {len(labels)} labelled articles is in the database", path,
                         hint="ingest the articles the labels are for first (their ids must match)")
    titles = {r["id"]: r["title"] for r in rows}
    order = {r["id"]: k for k, r in enumerate(sorted(rows, key=lambda r: (_when(r.get("published")), r["id"])))}
    topics = {str(o["id"]): str(o["topic"]) for o in labels if "topic" in o}
    result: dict[str, Any] = {}
    for level, key, column in (("stories", "story", "story_id"), ("threads", "topic", "thread_id")):
        gold = {str(o["id"]): str(o[key]) for o in labels if key in o}
        if not gold:
            continue
        predicted = {r["id"]: r.get(column) or r["story_id"] for r in rows if r["story_id"]}
        scored = score(predicted, gold)
        scored["gold_articles_not_in_db"] = len(set(gold) - set(predicted))
        scored["worst"] = worst(predicted, gold, titles)
        scored["gains"] = gains(predicted, gold, titles=titles, order=order)
        if level == "stories" and topics:
            scored["gains_by_topic"] = gains(predicted, gold, within=topics, titles=titles, order=order)
        result[level] = scored
    return result


def _when(published: str | None) -> float:
    """Seconds since the epoch of a stored ISO date (undated last), for publication order."""
    if not published:
        return math.inf
    try:
        ts = timestamp(datetime.fromisoformat(published))
    except ValueError:
        return math.inf
    return math.inf if ts is None else ts


def read_gold(path: str, key: str = "story") -> dict[str, str]:
    """article id → gold label (``story`` or ``topic``) from a labels JSONL file."""
    gold: dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold labels: {exc.strerror}", path) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            gold[str(obj["id"])] = str(obj[key])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise BadRecord(f"not a label line ({exc})", path, f"line {n}",
                            hint=f'each line must be {{"id": ..., "{key}": ...}}') from exc
    return gold


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    """Scores over the articles present in both mappings."""
    ids = sorted(set(predicted) & set(gold))
    pred_members: dict[str, list[str]] = defaultdict(list)
    gold_members: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        pred_members[predicted[i]].append(i)
        gold_members[gold[i]].append(i)
    bp = br = 0.0
    for i in ids:
        in_pred = pred_members[predicted[i]]
        in_gold = gold_members[gold[i]]
        both = sum(1 for j in in_pred if gold[j] == gold[i])
        bp += both / len(in_pred)
        br += both / len(in_gold)
    n = len(ids) or 1
    bp, br = bp / n, br / n
    pairs_pred = sum(len(m) * (len(m) - 1) // 2 for m in pred_members.values())
    pairs_gold = sum(len(m) * (len(m) - 1) // 2 for m in gold_members.values())
    cells = Counter((predicted[i], gold[i]) for i in ids)
    pairs_both = sum(c * (c - 1) // 2 for c in cells.values())
    pp = pairs_both / pairs_pred if pairs_pred else 1.0
    pr = pairs_both / pairs_gold if pairs_gold else 1.0
    return {"articles": len(ids), "gold_stories": len(gold_members), "predicted_stories": len(pred_members),
            "bcubed": {"precision": round(bp, 4), "recall": round(br, 4), "f1": round(_f1(bp, br), 4)},
            "pairwise": {"precision": round(pp, 4), "recall": round(pr, 4), "f1": round(_f1(pp, pr), 4)}}


def gains(predicted: dict[str, str], gold: dict[str, str], within: dict[str, str] | None = None,
          titles: dict[str, str] | None = None, n: int = 5,
          order: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Where the B-cubed loss is: for each gold group, the F1 if it alone were grouped right.

    "Right" means its articles are taken out of their predicted groups and put together,
    alone; every other article keeps its group. With ``within`` (article id → a coarser
    gold label, the topic), the unit made right is every gold group of one coarser label at
    once (all the stories of one topic; a story whose articles carry several goes whole to
    the one most of them carry). Returns the ``n`` units that gain most, best first, with
    the F1 they would give and the title of their first article by ``order`` (article id →
    rank, e.g. publication order; else id order). Each unit costs the size of the predicted
    groups it touches, not a full rescoring.
    """
    ids = sorted(set(predicted) & set(gold))
    if not ids:
        return []
    unit_of = {i: gold[i] for i in ids}
    if within is not None:  # a story belongs whole to the coarser label most of its articles carry
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for i in ids:
            votes[gold[i]][within.get(i, gold[i])] += 1
        home = {g: min(c, key=lambda label: (-c[label], label)) for g, c in votes.items()}
        unit_of = {i: home[gold[i]] for i in ids}
    size: Counter[str] = Counter(predicted[i] for i in ids)
    gold_size: Counter[str] = Counter(gold[i] for i in ids)
    cell: Counter[tuple[str, str]] = Counter((predicted[i], gold[i]) for i in ids)
    # an article's B-cubed terms: both = members of its predicted group sharing its gold group
    squares: Counter[str] = Counter()  # per predicted group: sum over its gold groups of cell²
    for (p, _g), c in cell.items():
        squares[p] += c * c
    bp = sum(cell[predicted[i], gold[i]] / size[predicted[i]] for i in ids)
    br = sum(cell[predicted[i], gold[i]] / gold_size[gold[i]] for i in ids)
    base = _f1(bp / len(ids), br / len(ids))
    members: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        members[unit_of[i]].append(i)
    out = []
    for unit, its in members.items():
        own_p = own_r = 0.0
        taken: Counter[str] = Counter()  # predicted group → unit members it loses
        golds_in: dict[str, Counter[str]] = defaultdict(Counter)
        for i in its:
            p = predicted[i]
            own_p += cell[p, gold[i]] / size[p]
            own_r += cell[p, gold[i]] / gold_size[gold[i]]
            taken[p] += 1
            golds_in[p][gold[i]] += 1
        new_p = bp - own_p + len(its)  # the unit's articles become exact: precision and recall 1
        new_r = br - own_r + len(its)
        for p, k in taken.items():  # the others in those groups keep their matches, in a smaller group
            rest = squares[p] - sum(cell[p, g] ** 2 for g in golds_in[p])
            if rest:
                new_p += rest / (size[p] - k) - rest / size[p]
        f1 = _f1(new_p / len(ids), new_r / len(ids))
        titled = [i for i in its if titles and titles.get(i)]
        first = min(titled, key=lambda i: ((order or {}).get(i, 0), i)) if titled else None
        title = titles[first] if titles and first else None
        out.append({"label": unit, "n": len(its), "f1": round(f1, 4), "gain": round(f1 - base, 4), "title": title})
    out.sort(key=lambda u: (-u["gain"], u["label"]))
    return [u for u in out[:n] if u["gain"] > 0]


def worst(predicted: dict[str, str], gold: dict[str, str], titles: dict[str, str],
          n: int = 5) -> dict[str, list[dict[str, Any]]]:
    """The predicted stories that mix most gold stories, and the gold stories split most."""
    ids = set(predicted) & set(gold)
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_gold: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_pred[predicted[i]].append(i)
        by_gold[gold[i]].append(i)

    def groups(members: list[str], label: dict[str, str]) -> list[dict[str, Any]]:
        parts: dict[str, list[str]] = defaultdict(list)
        for i in sorted(members):
            parts[label[i]].append(i)
        return [{"label": k, "articles": [{"id": i, "title": titles.get(i)} for i in v[:3]], "n": len(v)}
                for k, v in sorted(parts.items(), key=lambda kv: -len(kv[1]))]

    merges = sorted((m for m in by_pred.items() if len({gold[i] for i in m[1]}) > 1),
                    key=lambda kv: -(len(kv[1]) - Counter(gold[i] for i in kv[1]).most_common(1)[0][1]))
    splits = sorted((m for m in by_gold.items() if len({predicted[i] for i in m[1]}) > 1),
                    key=lambda kv: -(len(kv[1]) - Counter(predicted[i] for i in kv[1]).most_common(1)[0][1]))
    return {"merges": [{"story": k, "gold": groups(v, gold)} for k, v in merges[:n]],
            "splits": [{"gold": k, "predicted": groups(v, predicted)} for k, v in splits[:n]]}
