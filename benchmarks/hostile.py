"""Hostile inputs at full size, each in a fresh `marsad` process: the error it prints, its exit status, its peak
resident memory, how long it took, and whether `marsad check` finds the database it left intact. Inputs are built in a temporary folder (the test suite runs the same
cases, some smaller: tests/test_hostile_inputs.py, tests/test_hostile_network.py).

    python benchmarks/hostile.py
"""
from __future__ import annotations

import gzip
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def file_cases(folder: Path) -> list[tuple[str, list[str]]]:
    """(what, marsad arguments) of each hostile file."""
    from fuzzing import warc_bytes, window_articles
    from test_hostile_inputs import GOOD, gzip_bomb

    cases = []
    bomb = folder / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(GOOD[0]) + gzip_bomb(10) + gzip.compress(GOOD[1]))
    cases.append((f"gzip bomb: {bomb.stat().st_size / 1e6:.0f} MB .jsonl.gz unpacking to 10 GB", [str(bomb)]))
    line = folder / "line.jsonl"
    with open(line, "wb") as fh:
        fh.write(GOOD[0] + b'{"id": "huge", "text": "' + b"x" * 100_000_000 + b'"}\n' + GOOD[1])
    cases.append(("100 MB single line, 1 worker", [str(line), "--workers", "1"]))
    cases.append(("100 MB single line, 2 workers", [str(line), "--workers", "2"]))
    huge = folder / "huge.html"
    huge.write_bytes(b"<html><body><article>" + "<p>نص طويل جدا</p>".encode() * 2_000_000 + b"</article></body></html>")
    cases.append((f"{huge.stat().st_size / 1e6:.0f} MB HTML page", [str(huge)]))
    deep = folder / "deep.html"
    deep.write_bytes(b"<html><body>" + b"<div>" * 100_000 + "<p>نص الخبر</p>".encode() * 20 + b"</div>" * 100_000
                     + b"</body></html>")
    cases.append(("HTML nested 100,000 deep", [str(deep)]))
    data = warc_bytes(window_articles(3, "test"), gzip_records=False)
    m = re.compile(rb"Content-Length: (\d+)\r\n").search(data, data.index(b"WARC/1.0", 10))
    for what, value in (("longer", int(m.group(1)) + 500), ("shorter", int(m.group(1)) - 700),
                        ("10 GB", 10_000_000_000)):
        path = folder / f"lie-{what.replace(' ', '')}.warc"
        path.write_bytes(data[:m.start(1)] + str(value).encode() + data[m.end(1):])
        cases.append((f"WARC record whose Content-Length lies ({what})", [str(path)]))
    return cases


def watch_cases(folder: Path) -> list[tuple[str, list[str], object]]:
    """(what, marsad watch arguments, server to close) of each hostile server."""
    from test_hostile_network import BILLION_LAUGHS, EXTERNAL, DripServer, Server

    cases = []
    for what, body in (("feed with XML entity expansion (billion laughs)", BILLION_LAUGHS),
                       ("feed with an external entity (file:///etc/hostname)", EXTERNAL)):
        server = Server()
        server.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, body)
        cases.append((what, [f"{server.base}/atom.xml", "--allow-private"], server))
    drip = DripServer(b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nContent-Length: 100000000\r\n\r\n",
                      b"<", every=0.5)
    cases.append(("feed that drips one byte every 0.5 s forever", [f"http://127.0.0.1:{drip.port}/atom.xml",
                                                                  "--allow-private"], drip))
    flood = DripServer(b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nContent-Length: 10000000000\r\n\r\n",
                       b"<" + b" " * 65535, every=0)
    cases.append(("feed that sends 10 GB", [f"http://127.0.0.1:{flood.port}/atom.xml", "--allow-private"], flood))
    local = Server()
    local.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, b"<feed/>")
    cases.append(("feed on 127.0.0.1 without --allow-private", [f"{local.base}/atom.xml"], local))
    return cases


def main() -> None:
    import marsad
    from reliability import marsad_check, run_measured

    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    print(f"{'input':<52} {'exit':>4} {'peak MB':>8} {'seconds':>8} {'check':>6}  first error line", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = [(what, str(folder / f"h{i}.db"), ["ingest", *args], None)
                for i, (what, args) in enumerate(file_cases(folder))]
        for i, (what, args, server) in enumerate(watch_cases(folder)):
            feeds = folder / f"feeds{i}.txt"
            feeds.write_text(args[0] + "\n", encoding="utf-8")
            runs.append((what, str(folder / f"w{i}.db"), ["watch", str(feeds), "--once", *args[1:]], server))
        for what, db, args, server in runs:
            started = time.monotonic()
            code, err, peak = run_measured([*args, "--db", db], timeout=600)
            seconds = time.monotonic() - started
            if server is not None:
                server.close()
            checked = marsad_check(db)  # the database the run left: `marsad check` exit 0, or what it found
            first = next((line for line in err.splitlines() if line.startswith(("error:", "Error:"))), "—")
            print(f"{what:<52} {code:>4} {peak:>8.0f} {seconds:>8.1f} {'clean' if checked.returncode == 0 else 'FAIL':>6}"
                  f"  {first[:160]}", flush=True)
            if checked.returncode != 0:
                print("    " + checked.stdout.strip().replace("\n", "\n    "), flush=True)


if __name__ == "__main__":
    main()
