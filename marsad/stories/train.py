"""Training the story model on labelled windows, and choosing it by leave-one-window-out.

A labelled window is a folder with ``articles.jsonl`` and ``labels.jsonl`` (one
``{"id", "story", "topic"}`` a line; ``../shared/data/ant-stories/`` has four). The
rows the model learns from are met by the real clusterer (``StoryIndex``) while it
ingests a window, so training sees exactly the features placing computes:

1. **Following the labels.** Each article goes where its gold story is (a new story for
   the first of each); every candidate story met on the way is a row, labelled 1 when
   it is the gold story.
2. **Following a first model.** A model fitted on those rows places the window itself;
   every candidate met is a row again, labelled 1 when at least half of that story's
   articles share the article's gold story. The model thereby also learns from the
   mixed stories it makes itself, which the labels alone never show it.

The model is fitted on both sets of rows. ``cross_windows`` fits on all windows but one,
scores the one left out at each join threshold, for every window in turn: the table
every setting is chosen on. ``train`` fits the model that ships on all of them.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..evaluate import read_gold, score
from ..settings import IngestSettings, StorySettings
from .assign import Observer
from .features import FEATURES, vector_of
from .model import StoryModel, fit

# the threshold the on-policy pass places with, and the default grid the LOWO table tries
FIRST_PASS_THRESHOLD = 0.5
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
# a candidate story counts as the article's own in the on-policy pass from this share of its members
PURITY = 0.5
# inverse regularisation strength of the logistic regression
C = 1.0


@dataclass
class Rows:
    x: list[list[float]]
    y: list[int]

    def __add__(self, other: Rows) -> Rows:
        return Rows(self.x + other.x, self.y + other.y)


class _Teacher(Observer):
    """Records every (article, candidate story) pair the clusterer scores, labelled from the gold
    stories; with ``follow``, puts each article where its gold story is."""

    def __init__(self, gold: dict[str, str], follow: bool) -> None:
        self.gold, self.follow = gold, follow
        self.first_of: dict[str, str] = {}  # gold story → its first placed article
        self.rows = Rows([], [])

    def place(self, article_id: str, candidates: list[str], scored: list[tuple[float, dict[str, float]]]
              ) -> str | None:
        assert self.index is not None
        g = self.gold.get(article_id)
        for sid, (_, row) in zip(candidates, scored):
            members = self.index.members_of(sid)
            share = sum(1 for m in members if g is not None and self.gold.get(m) == g) / max(len(members), 1)
            self.rows.x.append(vector_of(row))
            self.rows.y.append(int(share >= (1.0 if self.follow else PURITY)))
        if g is None:
            return None if not self.follow else ""
        first = self.first_of.setdefault(g, article_id)
        if not self.follow:
            return None
        return "" if first == article_id else (self.index.story_of(first) or "")


def _ingest(window: Path, settings: StorySettings, observer: Observer | None = None) -> list[dict[str, Any]]:
    """Ingest a window into a fresh SQLite file; the stored articles (id, story_id, thread_id)."""
    import marsad

    with tempfile.TemporaryDirectory() as tmp:
        store = marsad.open_store(str(Path(tmp) / "window.db"))
        try:
            marsad.run([str(window / "articles.jsonl")], store, story_settings=settings, story_observer=observer,
                       ingest_settings=IngestSettings(workers=1))
            return store.iter_articles()
        finally:
            store.close()


def _model_file(model: StoryModel, folder: Path, name: str) -> str:
    path = folder / f"{name}.json"
    path.write_text(model.to_json(), encoding="utf-8")
    return str(path)


def neutral_model() -> StoryModel:
    """A model that joins nothing: what the labels-following pass runs with (it decides nothing)."""
    n = len(FEATURES)
    return StoryModel(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, -50.0, 0.5)


def rows_following_labels(window: Path, settings: StorySettings, tmp: Path) -> Rows:
    teacher = _Teacher(read_gold(str(window / "labels.jsonl"), "story"), follow=True)
    _ingest(window, replace(settings, scorer="model", model_path=_model_file(neutral_model(), tmp, "neutral")),
            teacher)
    return teacher.rows


def rows_following_model(window: Path, settings: StorySettings, model_path: str) -> Rows:
    teacher = _Teacher(read_gold(str(window / "labels.jsonl"), "story"), follow=False)
    _ingest(window, replace(settings, scorer="model", model_path=model_path), teacher)
    return teacher.rows


def fit_windows(windows: list[Path], threshold: float, settings: StorySettings | None = None,
                cache: dict[Path, Rows] | None = None, log: Callable[[str], None] = lambda _: None,
                without: frozenset[str] = frozenset()) -> StoryModel:
    """The model fitted on ``windows`` (labels-following rows, then on-policy rows of a first fit);
    the features in ``without`` get no weight."""
    settings = settings or StorySettings()
    cache = {} if cache is None else cache
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        first = Rows([], [])
        for w in windows:
            if w not in cache:
                log(f"rows following the labels of {w.name}")
                cache[w] = rows_following_labels(w, settings, tmp)
            first = first + cache[w]
        model0 = fit(first.x, first.y, FIRST_PASS_THRESHOLD, C, without=without)
        path0 = _model_file(model0, tmp, "first")
        more = Rows([], [])
        for w in windows:
            log(f"rows following a first model on {w.name}")
            more = more + rows_following_model(w, settings, path0)
    return fit(first.x + more.x, first.y + more.y, threshold, C,
               {"windows": [w.name for w in windows], "features": len(FEATURES)}, without)


def scores(window: Path, settings: StorySettings) -> dict[str, Any]:
    """Stories against ``story`` labels and threads against ``topic`` labels of one window."""
    rows = _ingest(window, settings)
    stories = {r["id"]: r["story_id"] for r in rows if r["story_id"]}
    threads = {r["id"]: r.get("thread_id") or r["story_id"] for r in rows if r["story_id"]}
    s = score(stories, read_gold(str(window / "labels.jsonl"), "story"))
    t = score(threads, read_gold(str(window / "labels.jsonl"), "topic"))
    return {"stories": {k: s[k] for k in ("bcubed", "pairwise", "predicted_stories")},
            "threads": {k: t[k] for k in ("bcubed", "pairwise")}}


def cross_windows(windows: list[Path], thresholds: tuple[float, ...] = THRESHOLDS,
                  settings: StorySettings | None = None, log: Callable[[str], None] = lambda _: None,
                  without: frozenset[str] = frozenset(), cache: dict[Path, Rows] | None = None) -> dict[str, Any]:
    """Leave-one-window-out: for each window, a model fitted on the others scores it at each threshold.

    Returns ``{"thresholds": {t: {window: scores}}, "best": t}``, ``best`` being the threshold with
    the highest mean story B-cubed F1 plus pairwise F1 over the left-out windows. ``without``: features
    given no weight; ``cache``: labels-following rows of earlier calls (they do not depend on the model).
    """
    settings = settings or StorySettings()
    cache = {} if cache is None else cache
    table: dict[float, dict[str, Any]] = {t: {} for t in thresholds}
    with tempfile.TemporaryDirectory() as name:
        for held in windows:
            model = fit_windows([w for w in windows if w != held], thresholds[0], settings, cache, log, without)
            for t in thresholds:
                log(f"scoring {held.name} at threshold {t}")
                path = _model_file(replace(model, threshold=t), Path(name), f"{held.name}-{t}")
                table[t][held.name] = scores(held, replace(settings, scorer="model", model_path=path))

    def merit(t: float) -> float:
        rows = table[t].values()
        return sum(r["stories"]["bcubed"]["f1"] + r["stories"]["pairwise"]["f1"] for r in rows) / len(rows)

    return {"thresholds": table, "best": max(thresholds, key=merit)}


def train(windows: list[Path], threshold: float, out: Path, settings: StorySettings | None = None,
          log: Callable[[str], None] = lambda _: None) -> StoryModel:
    """Fit the model on every window and write it to ``out``."""
    model = fit_windows(windows, threshold, settings, log=log)
    out.write_text(model.to_json(), encoding="utf-8")
    return model


def labelled_windows(paths: list[str]) -> list[Path]:
    """The folders among ``paths`` that hold articles.jsonl and labels.jsonl, in the order given."""
    from ..errors import InputError

    out = []
    for p in map(Path, paths):
        if not (p / "articles.jsonl").is_file() or not (p / "labels.jsonl").is_file():
            raise InputError("not a labelled window (articles.jsonl and labels.jsonl expected)", str(p))
        out.append(p)
    if len(out) < 2:
        raise InputError("leave-one-window-out needs at least two labelled windows", ", ".join(paths))
    return out


def format_table(result: dict[str, Any]) -> str:
    """The leave-one-window-out table as text: a row per threshold and window, the best marked with *."""
    lines = ["leave-one-window-out: each window scored by a model trained on the others",
             "threshold  window     B3 P   B3 R   B3 F1  pair P pair R pair F1  threads B3 P   R      F1"]
    for t, row in result["thresholds"].items():
        mark = "*" if t == result["best"] else " "
        for name, scored in row.items():
            b, p = scored["stories"]["bcubed"], scored["stories"]["pairwise"]
            th = scored["threads"]["bcubed"]
            lines.append(f"{mark}{t:<9.2f} {name:<10} {b['precision']:.3f}  {b['recall']:.3f}  {b['f1']:.3f}  "
                         f"{p['precision']:.3f}  {p['recall']:.3f}  {p['f1']:.3f}    {th['precision']:.3f}  "
                         f"{th['recall']:.3f}  {th['f1']:.3f}")
    lines.append(f"* best threshold (highest mean of story B3 F1 + pairwise F1): {result['best']}")
    return "\n".join(lines)
