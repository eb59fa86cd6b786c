"""What each group of the story model's features brings, measured leave-one-window-out.

For the whole model and for the model with one group of features held at zero (no weight),
each labelled window is scored by a model trained on the other windows, at the shipped join
threshold; prints story B-cubed F1 / pairwise F1 per window and their means. No assertions.

    python benchmarks/story_features.py [--threshold 0.35] [--groups time,agents]

Data: the labelled windows of ../shared/data/ant-stories (ANT corpus: Chouigui, Ben Khiroun
& Elayeb, AJSE 46(8), 2021).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad.stories.model import load_model  # noqa: E402
from marsad.stories.train import cross_windows  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant-stories"
GROUPS = {
    "members": ("cos_max", "cos_mean", "cos_min", "share_matched"),
    "ranks": ("margin", "rank"),
    "time": ("hours_since_last", "hours_since_first", "days_span", "hours_since_last_raw"),
    "agents": ("agent_named", "agent_share", "agent_disjoint", "agent_evidence_disjoint", "agent_evidence_share"),
    "speaker": ("speaker_share", "speaker_other"),
    "kind": ("feature_piece", "feature_share"),
    "numbers": ("numbers_jaccard", "numbers_disjoint"),
    "titles": ("title_in_story", "title_best"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threshold", type=float, default=load_model().threshold)
    ap.add_argument("--groups", default=",".join(GROUPS), help="groups to leave out one at a time")
    args = ap.parse_args()
    windows = [ROOT / n for n in ("dev", "train-a", "train-b", "train-c")]
    cache: dict = {}
    print(f"# leave-one-window-out at threshold {args.threshold} · load {os.getloadavg()[0]:.1f}")
    print("without      " + "  ".join(f"{w.name:>13}" for w in windows) + "   mean B3 / pair")
    for name in ["(nothing)"] + args.groups.split(","):
        without = frozenset(GROUPS.get(name, ()))
        table = cross_windows(windows, (args.threshold,), without=without, cache=cache)["thresholds"][args.threshold]
        b3 = [table[w.name]["stories"]["bcubed"]["f1"] for w in windows]
        pw = [table[w.name]["stories"]["pairwise"]["f1"] for w in windows]
        print(f"{name:<12} " + "  ".join(f"{b:.3f} / {p:.3f}" for b, p in zip(b3, pw))
              + f"   {sum(b3) / 4:.3f} / {sum(pw) / 4:.3f}", flush=True)


if __name__ == "__main__":
    main()
