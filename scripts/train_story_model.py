"""Train the story model that ships with Marsad (marsad/data/story_model.json).

    python scripts/train_story_model.py                    # the four labelled windows, threshold from LOWO
    python scripts/train_story_model.py --threshold 0.4    # skip the leave-one-window-out choice

Reads the labelled windows of ../shared/data/ant-stories in place (dev, train-a, train-b,
train-c; the ANT corpus: Chouigui, Ben Khiroun & Elayeb, AJSE 46(8), 2021). The join
threshold is the one with the best leave-one-window-out score
(``marsad eval stories --cross-windows``); the model is then fitted on all windows.
The same windows give the same file, number for number.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad.stories.train import cross_windows, format_table, labelled_windows, train  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant-stories"
OUT = Path(__file__).resolve().parents[1] / "marsad" / "data" / "story_model.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("windows", nargs="*", default=[str(ROOT / n) for n in ("dev", "train-a", "train-b", "train-c")],
                    help="labelled window folders (default: the four of ant-stories)")
    ap.add_argument("--threshold", type=float, help="join threshold (default: chosen by leave-one-window-out)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    started = time.monotonic()
    log = lambda m: print(f"{time.monotonic() - started:7.1f} s  {m}", file=sys.stderr, flush=True)  # noqa: E731
    windows = labelled_windows(args.windows)
    threshold = args.threshold
    if threshold is None:
        table = cross_windows(windows, log=log)
        print(format_table(table), flush=True)
        threshold = table["best"]
        log(f"threshold chosen by leave-one-window-out: {threshold}")
    model = train(windows, threshold, args.out, log=log)
    print(f"wrote {args.out}: {len(model.features)} features, {model.trained_on['rows']} rows "
          f"({model.trained_on['positives']} joins), threshold {model.threshold}")


if __name__ == "__main__":
    main()
