"""The "same happening?" model: a logistic regression over ``features.FEATURES``.

It gives the probability that an article reports the same happening as a candidate
story; the article joins its most probable candidate when that probability reaches
the model's ``threshold``, else it starts a story. The model is a few dozen numbers
in ``marsad/data/story_model.json``, written by ``scripts/train_story_model.py`` from
the labelled windows (``marsad.stories.train``) and read offline; scoring is plain
Python arithmetic, so it costs microseconds and gives the same answer everywhere.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError
from .features import FEATURES

DEFAULT_MODEL = "story_model.json"


@dataclass(frozen=True)
class StoryModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]       # standardisation of each feature before the weights apply
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float              # join probability (chosen by leave-one-window-out)
    trained_on: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            raise InputError(f"the story model was trained on other features ({len(self.features)}, "
                             f"this Marsad computes {len(FEATURES)})", self.trained_on.get("path"),
                             hint="retrain it: python scripts/train_story_model.py")

    def probability(self, row: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, w in zip(self.features, self.mean, self.scale, self.coef):
            z += w * (row[name] - m) / s
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> str:
        """One line per feature (its weight, and the mean and scale it is standardised by)."""
        lines = [f'  {json.dumps(name)}: {json.dumps({"coef": c, "mean": m, "scale": s})}'
                 for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef)]
        trained = {k: v for k, v in self.trained_on.items() if k != "path"}
        return ("{\n" f' "threshold": {json.dumps(self.threshold)},\n "intercept": {json.dumps(self.intercept)},\n'
                ' "weights": {\n' + ",\n".join(lines) + "\n },\n"
                f' "trained_on": {json.dumps(trained, ensure_ascii=False, sort_keys=True)}\n' "}\n")

    @classmethod
    def from_json(cls, text: str, path: str | None = None) -> StoryModel:
        try:
            d = json.loads(text)
            w = d["weights"]
            return cls(tuple(w), tuple(float(v["mean"]) for v in w.values()),
                       tuple(float(v["scale"]) for v in w.values()), tuple(float(v["coef"]) for v in w.values()),
                       float(d["intercept"]), float(d["threshold"]), dict(d.get("trained_on") or {}, path=path))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a story model ({exc})", path,
                             hint="write one with: python scripts/train_story_model.py") from exc


def fit(rows: list[list[float]], labels: list[int], threshold: float, c: float = 1.0,
        trained_on: dict[str, Any] | None = None, without: frozenset[str] = frozenset()) -> StoryModel:
    """Fit the model on feature rows (in ``FEATURES`` order) and their 0/1 labels.

    Deterministic: the same rows in the same order give the same numbers (L-BFGS from zero,
    no random state), rounded so that the written file does not change with the last bits.
    Features named in ``without`` are held at zero, so they get no weight (to measure what
    each brings).
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=np.float64)
    for name in without:
        x[:, FEATURES.index(name)] = 0.0
    y = np.asarray(labels, dtype=np.int64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000, tol=1e-8).fit((x - mean) / scale, y)
    r = lambda v: round(float(v), 6)  # noqa: E731
    return StoryModel(FEATURES, tuple(map(r, mean)), tuple(map(r, scale)), tuple(map(r, lr.coef_[0])),
                      r(lr.intercept_[0]), threshold, dict(trained_on or {}, rows=len(labels),
                                                           positives=int(y.sum()), c=c))


@cache
def load_model(path: str = "") -> StoryModel:
    """The model in ``path``, or the one shipped with Marsad when ``path`` is empty."""
    if not path:
        text = resources.files("marsad").joinpath("data").joinpath(DEFAULT_MODEL).read_text(encoding="utf-8")
        return StoryModel.from_json(text, f"marsad/data/{DEFAULT_MODEL}")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the story model: {exc.strerror}", path) from exc
    return StoryModel.from_json(text, path)
