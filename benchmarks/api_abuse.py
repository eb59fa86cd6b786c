"""API abuse at full count: schemathesis over every operation of the app's OpenAPI schema (N valid and N invalid
requests each, every check but positive_data_acceptance), the hostile search strings on every search path, and
the security headers; prints cases and failures per operation.

    python benchmarks/api_abuse.py --db /tmp/marsad-ant-full.db --n 250
    python benchmarks/api_abuse.py            # a database of the seeds and the invented sample, built here
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="database to serve (default: seeds + sample, built in a temporary folder)")
    ap.add_argument("--n", type=int, default=250, help="valid and invalid requests per operation")
    args = ap.parse_args()
    import marsad
    from fastapi.testclient import TestClient

    from apiabuse import HOSTILE_QUERIES, api_schema, run_operation
    from marsad.web.app import create_app
    from reliability import SHARED
    from webdb import build_web_db

    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(build_web_db(Path(tmp) / "web.db", SHARED / "seeds"))
        schema = api_schema(db)
        print(f"database: {db}; {args.n} valid and {args.n} invalid requests per operation at most", flush=True)
        print(f"{'operation':<44} {'cases':>6} {'failures':>8} {'seconds':>8}", flush=True)
        failed = 0
        for op in sorted(o.ok().label for o in schema.get_all_operations()):
            started = time.monotonic()
            r = run_operation(schema, op, args.n)
            failed += len(r.failures)
            print(f"{op:<44} {r.cases:>6} {len(r.failures):>8} {time.monotonic() - started:>8.0f}", flush=True)
            for f in r.failures:
                print("    " + f[:2000].replace("\n", "\n    "), flush=True)
        statuses: dict[int, int] = {}
        with TestClient(create_app(db)) as client:
            for q in HOSTILE_QUERIES:
                for path, key in (("/api/v1/search", "q"), ("/search", "q"), ("/api/v1/search/export", "q"),
                                  ("/api/v1/stories", "actor"), ("/", "place")):
                    code = client.get(path, params={key: q}).status_code
                    statuses[code] = statuses.get(code, 0) + 1
        shown = ", ".join(f"{n} × {code}" for code, n in sorted(statuses.items()))
        print(f"hostile search strings: {len(HOSTILE_QUERIES)} on 5 paths: {shown}", flush=True)
        failed += sum(n for code, n in statuses.items() if code >= 500)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
