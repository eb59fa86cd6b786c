"""Kill campaign: SIGKILL Marsad at random moments, run it again, and check that nothing is lost or doubled.

Targets (inputs built from the ANT corpus's ant-stories dev window, read in place):

- ``jsonl-w1`` / ``jsonl-w2``: ``marsad ingest`` of a JSONL export, 1 and 2 worker processes (the
  2-worker file is padded with blank space past the 2 MB from which workers are used);
- ``warc-w1`` / ``warc-w2``: a WARC.gz crawl of the same articles as HTML pages (one page in ten a
  listing page, skipped);
- ``pages-w1`` / ``pages-w2``: a folder of ``.html`` and ``.txt`` pages;
- ``watch``: ``marsad watch --once`` against a local feed server (an Atom feed and its pages);
- ``analyze``: ``marsad analyze`` (2 workers) of a database the JSONL export was ingested into (``--no-analyze``):
  every story's stored analysis must end up as an uninterrupted run leaves it.

``ingest`` analyses the stories it touched when it ends (the default), so kills of the ingest targets land
in reading, clustering, writing and analysing alike.

For each target and backend (SQLite, PostgreSQL on a throwaway server) a reference run on a fresh
database stores what an uninterrupted run stores and times it. Then, round after round on a fresh
database: the command is started, killed with SIGKILL after a random delay (uniform over the
reference run's duration), started again, and so on until one run completes; after every kill, no
process it started may outlive it by more than 5 s. At the end of a round the stored article ids
must be those of the reference run, each once, and ``marsad check`` must find nothing wrong. Copy
links and story grouping are compared with the reference run too (reported, not required).

    python benchmarks/chaos.py                          # 100 kills over every target, both backends
    python benchmarks/chaos.py --kills 20 --backend sqlite --target jsonl-w2
    python benchmarks/chaos.py --fork                   # runs forked from a warmed process (fast start)

``--fork`` starts each run by forking this process after Marsad is imported, instead of a new
interpreter: the run executes the same CLI code and dies the same way, without the seconds of
imports; the test suite uses it (tests/test_chaos.py).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # pgserver.py (throwaway PostgreSQL), processes.py (/proc)
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
WINDOW = SHARED / "data" / "ant-stories" / "dev" / "articles.jsonl"
PARALLEL_BYTES = 2_200_000  # past IngestSettings.parallel_min_bytes, so that --workers 2 uses workers
LEFTOVER_SECONDS = 5.0


def ant_articles(n: int) -> list[dict]:
    with open(WINDOW, encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh)]


def html_page(a: dict, padding: int = 0) -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in a["text"].split("\n") if p.strip())
    title = escape(a["title"] or "")
    pad = f"<!--{' ' * padding}-->" if padding else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{a["date"]}">{pad}</head><body>'
            f"<article><h1>{title}</h1>{paras}</article></body></html>").encode("utf-8")


# -- inputs -----------------------------------------------------------------------------------
def build_jsonl(folder: Path, articles: list[dict], padded: bool) -> list[str]:
    path = folder / ("padded.jsonl" if padded else "export.jsonl")
    pad = " " * (PARALLEL_BYTES // len(articles) + 1) if padded else ""
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a, ensure_ascii=False) + pad + "\n")
    return [str(path)]


def build_warc(folder: Path, articles: list[dict], padded: bool) -> list[str]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = folder / ("padded.warc.gz" if padded else "crawl.warc.gz")
    padding = PARALLEL_BYTES // len(articles) + 1 if padded else 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=not padded)  # padding compresses away: the padded crawl is plain WARC
        for i, a in enumerate(articles):
            listing = i % 10 == 9
            url = f"https://www.{a['source'].lower()}.com/" + (f"tag/{i}" if listing else f"news/{i}/{a['id']}")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html_page(a, padding)),
                                                          http_headers=http))
    return [str(path)]


def build_pages(folder: Path, articles: list[dict], padded: bool) -> list[str]:
    pages = folder / ("padded-pages" if padded else "pages")
    pages.mkdir()
    padding = PARALLEL_BYTES // len(articles) + 1 if padded else 0
    for i, a in enumerate(articles):
        if i % 2:
            (pages / f"{i:04d}.html").write_bytes(html_page(a, padding))
        else:
            (pages / f"{i:04d}.txt").write_text(f"{a['title']}\n\n{a['source']} – متابعات\n\n{a['text']}\n",
                                                encoding="utf-8")
    return [str(pages)]


class FeedSite:
    """A local news site: an Atom feed of ``articles`` and their pages (robots.txt absent)."""

    def __init__(self, articles: list[dict]) -> None:
        self.pages: dict[str, bytes] = {}
        me = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = me.pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/atom+xml" if self.path == "/atom.xml" else
                                 "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                try:
                    self.wfile.write(body or b"")
                except OSError:  # the watcher was killed mid-answer
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        entries = []
        for i, a in enumerate(articles):
            link = f"{self.base}/news/{i}"
            self.pages[f"/news/{i}"] = html_page(a)
            entries.append(f'<entry><title>{escape(a["title"] or "")}</title><id>{link}</id><link href="{link}"/>'
                           f"<updated>2018-04-14T10:00:00Z</updated></entry>")
        self.pages["/atom.xml"] = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                                   f'<title>t</title><id>{self.base}/atom.xml</id>'
                                   f'<updated>2018-04-14T10:00:00Z</updated>{"".join(entries)}</feed>').encode()
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Target:
    name: str
    args: Callable[[str], list[str]]   # database URL → the marsad command's arguments
    prepare: list[str] | None = None   # a command run to its end on each new database first (``{db}`` = its URL)


def make_targets(folder: Path, n: int, names: list[str], sites: list[FeedSite],
                 ingest_options: tuple[str, ...] = ()) -> list[Target]:
    """The targets ``names`` over the first ``n`` articles; ``ingest_options`` are added to every ingest
    (``--no-analyze`` leaves the analysis to the ``analyze`` target)."""
    articles = ant_articles(n)
    targets = []
    builders = {"jsonl": build_jsonl, "warc": build_warc, "pages": build_pages}
    for name in names:
        if name == "analyze":
            paths = build_jsonl(folder, articles, padded=False)
            targets.append(Target(name, lambda url: ["analyze", "--db", url, "--workers", "2"],
                                  prepare=["ingest", *paths, "--db", "{db}", "--no-analyze"]))
            continue
        if name == "watch":
            site = FeedSite(articles)
            sites.append(site)
            feeds = folder / "feeds.txt"
            feeds.write_text(f"{site.base}/atom.xml\n", encoding="utf-8")
            targets.append(Target(name, lambda url, f=str(feeds): [
                "watch", f, "--db", url, "--once", "--host-delay", "0", "--allow-private", "--batch-size", "5"]))
            continue
        kind, workers = name.split("-w")
        paths = builders[kind](folder, articles, padded=workers == "2")
        targets.append(Target(name, lambda url, p=paths, w=workers: [
            "ingest", *p, "--db", url, "--workers", w, "--batch-size", "10", *ingest_options]))
    return targets


# -- starting and killing runs ------------------------------------------------------------------
class Run:
    """One started command: its pid, whether it ended, its exit status; killed with SIGKILL."""

    def __init__(self, pid: int, popen: subprocess.Popen | None, log: Path) -> None:
        self.pid, self.popen, self.log = pid, popen, log
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            if self.popen is not None:
                self.returncode = self.popen.poll()
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, seconds: float | None = None) -> int | None:
        deadline = None if seconds is None else time.monotonic() + seconds
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.01)
        return self.returncode

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


class ExecLauncher:
    """Each run a new interpreter: ``python -m marsad ...`` (what a user runs)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def start(self, args: list[str]) -> Run:
        self.count += 1
        log = self.folder / f"run-{self.count}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen([sys.executable, "-m", "marsad", *args], stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONPATH": str(REPO)})
        return Run(popen.pid, popen, log)


class ForkLauncher(ExecLauncher):
    """Each run a fork of this process with Marsad already imported, calling the CLI's ``main``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        import marsad.cli  # noqa: F401  (what every run needs, imported once)
        import marsad.feeds  # noqa: F401
        import marsad.pipeline  # noqa: F401
        import marsad.store.check  # noqa: F401
        import psycopg  # noqa: F401
        try:
            import marsad.analysis  # noqa: F401  (what ingest and analyze run at their end)
        except ImportError:
            pass

    def start(self, args: list[str]) -> Run:
        self.count += 1
        log = self.folder / f"run-{self.count}.log"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the command, never return into the caller's code
            code = 1
            try:
                fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8",
                                              line_buffering=True)
                sys.stderr = sys.stdout
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                from marsad.cli import main

                main.main(args=args, prog_name="marsad", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                finally:
                    os._exit(code)
        return Run(pid, None, log)


# -- what a database holds ------------------------------------------------------------------------
def stored(url: str) -> dict[str, tuple[str | None, str | None]]:
    """Article id → (story, original) as stored; fails if an id is stored twice."""
    from pgserver import fetch_rows

    rows = fetch_rows(url, "SELECT id, story_id, duplicate_of FROM articles")
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "an article id is stored twice"
    return {r[0]: (r[1], r[2]) for r in rows}


def analysed(url: str) -> set[str]:
    """The stories whose stored analysis is up to date with their articles (none before any analysis)."""
    from pgserver import fetch_rows

    try:
        return {r[0] for r in fetch_rows(url, "SELECT x.story_id FROM story_analyses x JOIN stories s "
                                              "ON s.id = x.story_id WHERE x.revision = s.revision")}
    except Exception:  # a database made before analyses were stored
        return set()


def grouping(rows: dict[str, tuple[str | None, str | None]]) -> set[frozenset[str]]:
    """The stories as sets of article ids (story ids may differ between runs)."""
    by_story: dict[str | None, set[str]] = {}
    for aid, (story, _) in rows.items():
        by_story.setdefault(story, set()).add(aid)
    return {frozenset(v) for v in by_story.values()}


def check_problems(url: str, launcher: ExecLauncher) -> list[str]:
    """``marsad check`` run the way the launcher runs commands; its problem lines (none when clean)."""
    run = launcher.start(["check", "--db", url])
    code = run.wait(300)
    if code is None:
        run.kill()
        return ["marsad check did not finish within 300 s"]
    if code == 0:
        return []
    return [line for line in run.output().splitlines() if line.strip()] or [f"marsad check exited {code}"]


# -- the campaign ---------------------------------------------------------------------------------
@dataclass
class Result:
    target: str
    backend: str
    kills: int = 0
    rounds: int = 0
    runs: int = 0
    reference_seconds: float = 0.0
    expected: int = 0
    kills_with_workers: int = 0       # kills that found worker processes running beside the main one
    leftovers: int = 0                # processes still running 5 s after their run was killed
    lost_or_doubled: int = 0          # rounds whose stored articles differ from the reference run's
    check_failures: int = 0           # rounds where `marsad check` found something
    crashes: int = 0                  # completing runs that exited with a traceback or a status above 1
    same_copies: int = 0              # rounds whose copy links equal the reference run's
    same_stories: int = 0             # rounds whose grouping into stories equals the reference run's
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.leftovers or self.lost_or_doubled or self.check_failures or self.crashes)


def run_to_end(launcher: ExecLauncher, args: list[str], timeout: float = 600) -> Run:
    run = launcher.start(args)
    if run.wait(timeout) is None:
        run.kill()
        raise RuntimeError(f"marsad {' '.join(args)} did not finish within {timeout:g} s")
    return run


@dataclass
class Reference:
    """What an uninterrupted run of a target stores, and how long it takes."""

    seconds: float
    rows: dict[str, tuple[str | None, str | None]]
    analysed: set[str] = field(default_factory=set)


def fresh_db(target: Target, new_db: Callable[[], str], launcher: ExecLauncher) -> str:
    """A new database, prepared for ``target`` (ingested first, for ``analyze``)."""
    url = new_db()
    if target.prepare:
        done = run_to_end(launcher, [url if a == "{db}" else a for a in target.prepare])
        if done.returncode not in (0, 1):
            raise RuntimeError(f"preparing {target.name} failed:\n{done.output()[-3000:]}")
    return url


def reference_run(target: Target, new_db: Callable[[], str], launcher: ExecLauncher) -> Reference:
    url = fresh_db(target, new_db, launcher)
    started = time.monotonic()
    ref = run_to_end(launcher, target.args(url))
    seconds = time.monotonic() - started
    if ref.returncode not in (0, 1) or "Traceback" in ref.output():
        raise RuntimeError(f"the reference run of {target.name} failed:\n{ref.output()[-3000:]}")
    return Reference(seconds, stored(url), analysed(url))


def campaign(target: Target, backend: str, new_db: Callable[[], str], kills: int, rng: random.Random,
             launcher: ExecLauncher, say: Callable[[str], None] = lambda line: None,
             ref: Reference | None = None) -> Result:
    """Kill ``target`` ``kills`` times on ``backend``, round after round, verifying each round against
    ``ref`` (an uninterrupted run's result; made on ``backend`` when not given: ids do not depend on it)."""
    from processes import descendants, kill_all, left_behind

    result = Result(target.name, backend)
    ref = ref or reference_run(target, new_db, launcher)
    result.reference_seconds = ref.seconds
    reference = ref.rows
    result.expected = len(reference)
    while result.kills < kills:
        url = fresh_db(target, new_db, launcher)
        result.rounds += 1
        while True:
            run = launcher.start(target.args(url))
            result.runs += 1
            delay = rng.uniform(0, result.reference_seconds)
            if result.kills >= kills or run.wait(delay) is not None:
                break
            pids = descendants(run.pid)
            run.kill()
            result.kills += 1
            result.kills_with_workers += bool(pids)
            left = left_behind(pids, LEFTOVER_SECONDS)
            if left:
                kill_all(left)
                result.leftovers += len(left)
                result.problems.append(f"{len(left)} processes left running after a kill at {delay:.2f} s")
        if run.wait(600) is None:
            run.kill()
            raise RuntimeError(f"{target.name} did not finish within 600 s")
        if run.returncode not in (0, 1) or "Traceback" in run.output():
            result.crashes += 1
            result.problems.append(f"run exited {run.returncode}: {run.output()[-500:]}")
        now = stored(url)
        if set(now) != set(reference):
            result.lost_or_doubled += 1
            result.problems.append(f"round {result.rounds}: {len(set(reference) - set(now))} articles missing, "
                                   f"{len(set(now) - set(reference))} unexpected")
        if target.name == "analyze" and analysed(url) != ref.analysed:
            result.lost_or_doubled += 1
            result.problems.append(f"round {result.rounds}: {len(ref.analysed - analysed(url))} stories not analysed")
        problems = check_problems(url, launcher)
        if problems:
            result.check_failures += 1
            result.problems.extend(problems)
        result.same_copies += {k: v[1] for k, v in now.items()} == {k: v[1] for k, v in reference.items()}
        result.same_stories += grouping(now) == grouping(reference)
        say(f"  {target.name} on {backend}: round {result.rounds}, {result.kills} kills so far, "
            f"{len(now)}/{len(reference)} articles, check {'clean' if not problems else 'FAILED'}")
    return result


@contextmanager
def backends(names: list[str], folder: Path) -> Iterator[dict[str, Callable[[], str]]]:
    """name → a function giving the URL of a new, empty database on that backend."""
    made: dict[str, Callable[[], str]] = {}
    server = None
    counter = iter(range(1, 1_000_000))
    if "sqlite" in names:
        made["sqlite"] = lambda: str(folder / f"chaos-{next(counter)}.db")
    try:
        if "postgresql" in names:
            from pgserver import TestServer

            server = TestServer()
            server.start()
            made["postgresql"] = server.new_database
        yield made
    finally:
        if server is not None:
            server.stop()


ALL_TARGETS = ["jsonl-w1", "jsonl-w2", "warc-w1", "warc-w2", "pages-w1", "pages-w2", "watch", "analyze"]


def plan(total: int, targets: list[str], backends_: list[str]) -> list[tuple[str, str, int]]:
    """``total`` kills spread evenly over every (target, backend)."""
    cells = [(t, b) for b in backends_ for t in targets]
    return [(t, b, total // len(cells) + (i < total % len(cells))) for i, (t, b) in enumerate(cells)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=100, help="kills in all (spread over targets and backends)")
    ap.add_argument("--target", action="append", choices=ALL_TARGETS, help="repeatable; default all")
    ap.add_argument("--backend", action="append", choices=["sqlite", "postgresql"], help="repeatable; default both")
    ap.add_argument("--articles", type=int, default=150, help="articles per input (from ant-stories dev)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--fork", action="store_true", help="fork each run from this process (fast start)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    import marsad

    rng = random.Random(args.seed)
    targets = args.target or ALL_TARGETS
    names = args.backend or ["sqlite", "postgresql"]
    load = os.getloadavg()
    print(f"Marsad {marsad.__version__} · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} cores · load {load[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M')} · "
          f"{'forked' if args.fork else 'new interpreter per'} run · seed {args.seed}", flush=True)
    print(f"inputs: the first {args.articles} articles of {WINDOW} (ANT corpus, Chouigui et al. 2021)", flush=True)
    results = []
    sites: list[FeedSite] = []
    with tempfile.TemporaryDirectory(prefix="marsad-chaos-") as tmp:
        folder = Path(tmp)
        launcher = (ForkLauncher if args.fork else ExecLauncher)(folder)
        built = {t.name: t for t in make_targets(folder, args.articles, targets, sites)}
        try:
            with backends(names, folder) as new_db:
                for name, backend, kills in plan(args.kills, targets, names):
                    if kills:
                        results.append(campaign(built[name], backend, new_db[backend], kills, rng, launcher,
                                                say=lambda line: print(line, file=sys.stderr, flush=True)))
        finally:
            for site in sites:
                site.close()
    if args.json:
        print(json.dumps([r.__dict__ for r in results], indent=2))
    print(f"{'target':<9} {'backend':<10} {'kills':>5} {'w/ workers':>10} {'rounds':>6} {'runs':>5} {'ref s':>6} "
          f"{'articles':>8} {'left':>4} {'lost':>4} {'check':>5} {'crash':>5} {'copies=':>7} {'stories=':>8}")
    for r in results:
        print(f"{r.target:<9} {r.backend:<10} {r.kills:>5} {r.kills_with_workers:>10} {r.rounds:>6} {r.runs:>5} "
              f"{r.reference_seconds:>6.1f} "
              f"{r.expected:>8} {r.leftovers:>4} {r.lost_or_doubled:>4} {r.check_failures:>5} {r.crashes:>5} "
              f"{r.same_copies:>3}/{r.rounds:<3} {r.same_stories:>4}/{r.rounds:<3}")
        for p in r.problems[:5]:
            print(f"    {p}")
    total = sum(r.kills for r in results)
    bad = [r for r in results if not r.ok]
    print(f"{total} kills, {sum(r.rounds for r in results)} rounds: "
          + ("every article stored exactly once, marsad check clean, no process left behind" if not bad else
             f"{len(bad)} target/backend pairs FAILED"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
