"""Fuzzing at full count: every target of tests/fuzzing.py (each reader, the feed parser, the date reader and
`marsad date`, search) with 10,000 mutated real inputs each; prints inputs, failures and time per target.

Seeds: the invented sample (marsad/data/sample) and the ANT windows (../shared/data/ant-stories; A. Chouigui,
O. Ben Khiroun, B. Elayeb, Arabian Journal for Science and Engineering 46(8), 2021), read in place.

    python benchmarks/fuzz.py                      # 10,000 inputs per target
    python benchmarks/fuzz.py --n 500 --target "html pages"
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def fuzz(name: str, n: int, search_db: str | None) -> tuple[int, list[str], float]:
    """(inputs tried, failures found, seconds) for one target."""
    from hypothesis import HealthCheck, given, settings

    from fuzzing import TARGETS, Scratch, SearchTarget

    strategy, target = TARGETS[name]
    closing = None
    if target is None:  # search: queries against a store of the sample
        target = closing = SearchTarget(search_db)
    scratch = Scratch()
    count = [0]

    last_failing: list[str] = []

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy())
    def run(data):  # type: ignore[no-untyped-def]
        count[0] += 1
        try:
            target(scratch, data)
        except Exception:
            last_failing[:] = [repr(data)[:600]]
            raise

    failures = []
    started = time.monotonic()
    try:
        run()
    except Exception as exc:  # hypothesis shrinks and raises the first failure it keeps finding
        failures.append(f"{type(exc).__name__}: {str(exc)[:2000]} (input: {''.join(last_failing)})")
    finally:
        if closing is not None:
            closing.close()
    return count[0], failures, time.monotonic() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="inputs per target")
    ap.add_argument("--target", action="append", help="repeatable; default every target")
    args = ap.parse_args()
    import marsad
    from fuzzing import TARGETS
    from reliability import SAMPLE_DIRS

    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "sample.db")
        store = marsad.open_store(db)
        marsad.run([str(d) for d in SAMPLE_DIRS], store)
        store.close()
        print(f"{'target':<26} {'inputs':>7} {'failures':>8} {'seconds':>8}", flush=True)
        bad = 0
        for name in args.target or list(TARGETS):
            n, failures, seconds = fuzz(name, args.n, db)
            bad += len(failures)
            print(f"{name:<26} {n:>7} {len(failures):>8} {seconds:>8.0f}", flush=True)
            for f in failures:
                print("    " + f.replace("\n", "\n    ")[:3000], flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
