"""The ``marsad`` command: parse, call the library, print. Nothing else lives here."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click
import orjson
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from . import __version__, queries
from .errors import InputError, MarsadError
from .report import Progress, RunReport
from .settings import IngestSettings
from .store import default_db, open_store, store_failure

for _stream in (sys.stdout, sys.stderr):
    if hasattr(_stream, "reconfigure") and (_stream.encoding or "").lower() not in ("utf-8", "utf8"):
        _stream.reconfigure(encoding="utf-8")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

db_option = click.option("--db", "db", default=None, metavar="PATH|URL",
                         help="SQLite database file or postgresql://user@host/db URL "
                              "(default: $MARSAD_DB or ./marsad.db).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def engine_options(command: Any) -> Any:
    """``--engine`` and ``--scheduler``: where the bulk work of a command runs (``marsad.engine``)."""
    command = click.option("--scheduler", default=None, metavar="ADDRESS",
                           help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: $MARSAD_DASK_SCHEDULER; "
                                "without one, --engine dask starts a local cluster of --workers processes).")(command)
    return click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                        help="Run the bulk work in local worker processes or on a Dask cluster.")(command)


@contextmanager
def _engine(name: str, workers: int, scheduler: str | None) -> Iterator[Any]:
    """The engine of one command, closed after it (a local cluster's workers stop with it)."""
    from .engine import open_engine

    if scheduler and name != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    try:
        runner = open_engine(name, workers, scheduler)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield runner
    finally:
        runner.close()


def _print_json(value: Any) -> None:
    """Indented JSON, UTF-8 as written (not \\u escapes). orjson, because the standard library's encoder falls back
    to pure Python as soon as it indents: 10x slower on the whole corpus's actors."""
    sys.stdout.write(orjson.dumps(value, default=_plain, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
                                  | orjson.OPT_SERIALIZE_NUMPY).decode() + "\n")


def _plain(value: Any) -> Any:
    """What json.dumps wrote and orjson does not take as it is: subclasses of float and int (numpy's
    float64 among them, a score straight from scikit-learn)."""
    for kind in (bool, int, float):
        if isinstance(value, kind):
            return kind(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


@contextmanager
def _store(db: str | None, must_exist: bool = False) -> Iterator[Any]:
    """The store for one command, closed after it; library errors become one sentence, no traceback."""
    store = _open(db, must_exist)
    try:
        yield store
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # the database failed under the command: a full disk, a lost connection
        failure = store_failure(exc, _shown_db(db))
        if failure is None:
            raise
        raise click.ClickException(str(failure)) from exc
    finally:
        try:
            store.close()
        except Exception:  # closing a connection that is already gone
            pass


def _open(db: str | None, must_exist: bool = False):
    """The store at ``db``; commands that only read refuse a SQLite file that is not there
    (instead of creating an empty one at a mistyped path)."""
    url = db or default_db()
    if must_exist and "://" not in url and not Path(url).exists():
        raise click.ClickException(f"no database at {url}: run `marsad ingest PATH --db {url}` first, "
                                   "or pass --db")
    try:
        return open_store(url)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc


class BarProgress(Progress):
    """A rich progress bar on a terminal (files, articles, rate, ETA); errors printed above it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = RichProgress(
            TextColumn("[bold]ingest"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[files]} files · {task.fields[articles]} articles · "
                       "{task.fields[rate]}/s · {task.fields[failed]} failed"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, disable=not console.is_terminal, transient=False)
        self.task = None
        self.total_files = 0
        self.done_files = 0

    def start(self, total_bytes: int, total_files: int) -> None:
        self.total_files = total_files
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=max(total_bytes, 1), files=f"0/{total_files}",
                                      articles=0, rate="0", failed=0)

    def advance(self, nbytes: int, report: RunReport) -> None:
        if nbytes or report.files > self.done_files:
            self.done_files = report.files
        elapsed = self.bar.tasks[0].elapsed or 0.0
        rate = f"{report.read / elapsed:,.0f}" if elapsed > 0 else "0"
        self.bar.update(self.task, advance=nbytes, files=f"{self.done_files}/{self.total_files}",
                        articles=f"{report.read:,}", rate=rate, failed=report.n_failed)

    def error(self, error: InputError) -> None:
        self.console.print(f"[red]error[/red]: {error}", markup=True, highlight=False)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def finish(self, report: RunReport) -> None:
        self.bar.stop()


class AnalyzeBar:
    """A rich progress bar for ``analyze`` on a terminal: stories, rate and ETA."""

    def __init__(self, console: Console) -> None:
        self.bar = RichProgress(
            TextColumn("[bold]analyze"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.completed}/{task.total} stories · {task.fields[rate]}/s"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, disable=not console.is_terminal, transient=False)
        self.task = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("analyze", total=max(total, 1), rate="0")

    def advance(self, report: Any) -> None:
        rate = f"{report.analysed / report.seconds:,.1f}" if report.seconds > 0 else "0"
        self.bar.update(self.task, completed=report.analysed + len(report.failed), rate=rate)

    def finish(self, report: Any) -> None:
        self.bar.stop()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """Marsad (مرصد): watch Arabic news across outlets and see, story by story, who reported what.

    \b
    Typical use:
      marsad ingest news/ feeds.jsonl.gz     read, clean, deduplicate and group articles
      marsad stories                         list the stories, newest first
      marsad show STORY_ID                   read one story, article by article
      marsad demo                            all of the above on the bundled sample
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--outlet", default=None, help="Outlet name for articles whose page names none.")
@click.option("--outlets", "outlets_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="File of 'domain name' lines: pages on those domains take that outlet name.")
@click.option("--batch-size", type=click.IntRange(1), default=IngestSettings.batch_size, show_default=True,
              help="Articles written per transaction (a killed run loses at most one batch of work).")
@click.option("--workers", type=click.IntRange(0), default=0,
              help="Processes that read and clean the input (default 0: one per core).")
@click.option("--no-analyze", "no_analyze", is_flag=True,
              help="Leave the stories this run touched unanalysed (`marsad analyze` does them later).")
@engine_options
@json_option
def ingest(paths: tuple[str, ...], db: str | None, outlet: str | None, outlets_file: str | None,
           batch_size: int, workers: int, no_analyze: bool, engine: str, scheduler: str | None,
           as_json: bool) -> None:
    """Read articles from files and folders into the database and group them into stories.

    \b
    Reads .txt pages, .html pages, .jsonl / .jsonl.gz exports (one article per
    line: id, url, source, date, title, text) and .warc / .warc.gz crawls (pages
    that are no article are skipped and counted). Folders are read recursively.
    Running it again on the same files adds nothing. A file that cannot be read
    is reported and skipped; the exit status is 1 when any input failed.

    \b
    Example:
      marsad ingest ../shared/seeds --db news.db
    """
    names = None
    if outlets_file:
        from .io.outlets import read_outlet_names
        try:
            names = read_outlet_names(outlets_file)
        except MarsadError as exc:
            raise click.ClickException(str(exc)) from exc
    with _store(db) as store, _engine(engine, workers, scheduler) as runner:
        from .pipeline import ingest as run_ingest  # loaded only when ingesting
        report = run_ingest(list(paths), store, outlet=outlet, progress=BarProgress(err),
                            ingest_settings=IngestSettings(batch_size=batch_size, workers=workers),
                            outlet_names=names, engine=runner, analyze=not no_analyze,
                            analyze_progress=AnalyzeBar(err))
    if as_json:
        _print_json(report.as_dict())
    else:  # each error was printed as it happened (BarProgress.error)
        _summary(report)
        if report.interrupted:
            err.print("stopped (Ctrl-C): what is stored stays; run the same command again to go on "
                      "where it stopped", markup=False)
    sys.exit(130 if report.interrupted else 1 if report.n_failed else 0)


@main.command()
@db_option
@json_option
def check(db: str | None, as_json: bool) -> None:
    """Verify the database's invariants; print what is wrong; exit status 1 if anything is.

    \b
    Checks, in one snapshot: every article stored once and in exactly one story
    (copies in their original's); copies linked to an original that exists;
    story and outlet counts and spans equal to their articles; no dangling
    copy, merge or signature link; the full-text index in step with the
    articles; the resume positions of partly read files; on SQLite, PRAGMA
    integrity_check. Run it after a crash, a full disk or a killed run.

    \b
    Example:
      marsad check --db news.db
    """
    from .store.check import check_store

    with _store(db, must_exist=True) as store:
        result = check_store(store)
    if as_json:
        _print_json(result.as_dict())
        sys.exit(0 if result.ok else 1)
    for finding in result.findings:
        err.print(f"problem: {finding}", markup=False)
    for note in result.notes:
        err.print(f"note: {note}", markup=False)
    c, shown = result.counts, _shown_db(db)
    what = (f"{c.get('articles', 0)} articles, {c.get('copies', 0)} copies, {c.get('stories', 0)} stories, "
            f"{c.get('sources', 0)} files read")
    if result.ok:
        out.print(f"ok: {shown}: {what}; {len(result.checks)} kinds of check passed", markup=False)
        return
    n = len(result.findings)
    out.print(f"{n} problem{'s' if n > 1 else ''} in {shown} ({what}); see above", markup=False)
    sys.exit(1)


def _shown_db(db: str | None) -> str:
    """The database as messages name it (a PostgreSQL URL without its password)."""
    url = db or default_db()
    if "://" in url:
        from .store.postgres import redact

        return redact(url)
    return url


def _summary(report: RunReport) -> None:
    parts = [f"{report.files} files", f"{report.read} articles read", f"{report.stored} new stored"]
    if report.copies:
        parts.append(f"{report.copies} copies (exact or near) linked to their original")
    if report.already_stored or report.files_skipped:
        parts.append(f"already in the database: {report.files_skipped} files, "
                     f"{report.already_stored} articles (nothing added for them)")
    parts.append(f"{report.new_stories} new stories")
    if report.moved:
        parts.append(f"{report.moved} stored articles moved to another story (earlier articles came late)")
    if report.replaced:
        parts.append(f"{report.replaced} stored originals are now copies of an earlier-published one")
    if report.dates_unread:
        parts.append(f"{report.dates_unread} articles with a date that could not be read, stored undated "
                     "(the date as written is kept in their extra.unparsed_date)")
    if report.skipped:
        parts.append("skipped: " + ", ".join(f"{n} {why}" for why, n in report.skipped.items()))
    if report.n_failed:
        parts.append("failed: " + ", ".join(f"{n} {why}" for why, n in report.failed.items()))
    if report.analysis is not None:
        parts.append(f"{report.analysis['analysed']} stories analysed ({report.analysis['seconds']:.1f} s)")
    err.print("; ".join(parts) + f" ({report.seconds:.1f} s)", markup=False)
    if report.ignored:
        err.print(f"passed over {len(report.ignored)} files of other kinds: "
                  + ", ".join(report.ignored[:5]) + (" …" if len(report.ignored) > 5 else ""), markup=False)


@main.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1), default=None, help="Show at most this many stories.")
@click.option("--threads", is_flag=True,
              help="Group the stories into threads (a happening and the stories that follow from it).")
def stories(db: str | None, as_json: bool, limit: int | None, threads: bool) -> None:
    """List stories, newest first: headline, articles, outlets, first and last date.

    \b
    Example:
      marsad stories --json --limit 20
      marsad stories --threads
    """
    with _store(db, must_exist=True) as store:
        items = queries.list_stories(store, limit=limit)
    if threads:
        grouped = queries.group_threads(items)
        if as_json:
            _print_json(grouped)
            return
        for thread in grouped:
            out.print(f"\n[bold]thread {thread['id']}[/bold] · {len(thread['stories'])} stories · "
                      f"{thread['n_articles']} articles")
            _stories_table(thread["stories"])
        return
    if as_json:
        _print_json(items)
        return
    _stories_table(items)


def _stories_table(items: list[dict[str, Any]]) -> None:
    if not items:
        out.print("no stories yet: run `marsad ingest PATH` first", markup=False)
        return
    table = Table(show_lines=False, header_style="bold", box=None, pad_edge=False)
    table.add_column("story", no_wrap=True)
    table.add_column("headline", overflow="fold", ratio=1)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("outlets", justify="right", no_wrap=True)
    table.add_column("published (UTC)", no_wrap=True)
    for s in items:
        span = _span(s["first_published"], s["last_published"])
        table.add_row(s["id"], s["title"] or "—", str(s["n_articles"] + s["n_copies"]),
                      str(len(s["outlets"])), span)
    out.print(table)


def _span(first: str | None, last: str | None) -> str:
    """'2025-03-12 14:20 → 03-13 08:45': the last date without what it shares with the first."""
    if not first:
        return "?"
    a, b = first[:16].replace("T", " "), (last or first)[:16].replace("T", " ")
    if b == a:
        return a
    return f"{a} → {b[11:] if b[:10] == a[:10] else b[5:]}"


@main.command()
@click.argument("story_id")
@db_option
@json_option
def show(story_id: str, db: str | None, as_json: bool) -> None:
    """Print one story: every article with outlet, date, title and cleaned body.

    \b
    Example:
      marsad show s-5c89ce37a038
    """
    with _store(db, must_exist=True) as store:
        story = queries.story_with_entities(store, story_id)
    if as_json:
        _print_json(story)
        return
    _print_story(story)


def _print_story(story: dict[str, Any]) -> None:
    out.rule(f"[bold]{story['title'] or story['id']}")
    out.print(f"story {story['id']} · {story['n_articles']} articles · {len(story['outlets'])} outlets: "
              f"{'، '.join(story['outlets'])} · {story['first_published'] or '?'} → "
              f"{story['last_published'] or '?'}", markup=False)
    if "event" in story:
        _print_who_where_when(story)
    for n, a in enumerate(story["articles"], 1):
        out.print()
        out.rule(f"article {n}/{len(story['articles'])}", align="right")
        out.print(f"outlet:    {a['outlet'] or 'unknown'}", markup=False)
        out.print(f"published: {a['published'] or 'unknown'}", markup=False)
        out.print(f"title:     {a['title'] or '—'}", markup=False)
        if a["tags"]:
            out.print(f"tags:      {'، '.join(a['tags'])}", markup=False)
        out.print(f"source:    {a['url'] or a['path']}" + (f" ({a['record']})" if a["record"] else ""),
                  markup=False)
        for c in a["copies"]:
            out.print(f"copy:      {c['outlet'] or 'unknown'} {c['published'] or ''} {c['url'] or c['path']}",
                      markup=False)
        out.print()
        out.print(a["body"], markup=False, soft_wrap=True)


@main.command()
@click.argument("query")
@click.option("--outlet", default=None, help="Only articles from this outlet (its name as shown by `marsad stories`).")
@click.option("--since", default=None, metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD).")
@click.option("--until", default=None, metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, queries.MAX_PAGE_SIZE), default=20, show_default=True,
              help="Show at most this many articles.")
@db_option
@json_option
def search(query: str, outlet: str | None, since: str | None, until: str | None, limit: int,
           db: str | None, as_json: bool) -> None:
    """Search titles and bodies; matches ignore hamza, ta marbuta, diacritics and و/ال/ب/ل prefixes.

    \b
    Words must all appear; "words in quotes" must appear in that order.
    Results are ranked (bm25, titles weigh more) and grouped by story.

    \b
    Example:
      marsad search 'حفتر "عباس كامل"' --since 2020-12-01
    """
    with _store(db, must_exist=True) as store:
        result = queries.search(store, query, outlet=outlet, since=since, until=until, limit=limit)
    if as_json:
        _print_json(result)
        return
    total = result["total"]
    if not total["articles"]:
        out.print(f"nothing found for {query}", markup=False)
        return
    out.print(f"{total['articles']} articles in {total['stories']} stories", markup=False)
    for group in result["stories"]:
        out.print()
        out.print(f"[bold]{escape(group['title'] or '—')}[/bold]  story {group['id']}", highlight=False)
        for h in group["hits"]:
            out.print(f"  {h['id']} · {escape(h['outlet'] or 'unknown')} · {h['published'] or '—'} · "
                      f"{_marked(h['title_segments'])}", highlight=False)
            out.print(f"    {_marked(h['snippet'])}", highlight=False)


def _marked(pieces: list[dict[str, Any]]) -> str:
    """Search segments as rich markup, matches in bold yellow (text escaped)."""
    return "".join(f"[bold yellow]{escape(str(p['text']))}[/bold yellow]" if p["match"] else escape(str(p["text"]))
                   for p in pieces).replace("\n", " ")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 127.0.0.1 keeps it to this machine (0.0.0.0 opens it to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port.")
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the web app and the REST API (/api/v1, documented at /docs) over the database.

    \b
    Example:
      marsad serve --db news.db        then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .web.app import create_app

    store = _open(db, must_exist=True)  # fail here, with a sentence, when the file cannot be opened
    store.close()
    err.print(f"serving {db or default_db()} on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops",
              markup=False)
    uvicorn.run(create_app(db or default_db()), host=host, port=port, log_level="warning")


class WatchLog(Progress):
    """``marsad watch`` output: one line per failed feed or page and one per poll."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def error(self, error: InputError) -> None:
        self.console.print(f"error: {error}", markup=False, highlight=False)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def finish(self, report: RunReport) -> None:
        parts = [f"poll done: {report.read} new pages", f"{report.stored} stored"]
        if report.skipped:
            parts.append("skipped: " + ", ".join(f"{n} {why}" for why, n in report.skipped.items()))
        if report.n_failed:
            parts.append("failed: " + ", ".join(f"{n} {why}" for why, n in report.failed.items()))
        self.console.print("; ".join(parts) + f" ({report.seconds:.1f} s)", markup=False, highlight=False)


@main.command()
@click.argument("feeds_file", metavar="FEEDS.txt", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--interval", type=click.FloatRange(1), default=900.0, show_default=True,
              help="Seconds between two polls of all feeds.")
@click.option("--once", is_flag=True, help="Poll every feed once and stop.")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
              help="Seconds before one request is given up (then retried with backoff).")
@click.option("--host-delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--concurrency", type=click.IntRange(1), default=4, show_default=True,
              help="Hosts fetched at the same time.")
@click.option("--batch-size", type=click.IntRange(1), default=20, show_default=True,
              help="Pages of a feed stored per transaction (a killed run fetches at most this many again).")
@click.option("--allow-private", is_flag=True,
              help="Also fetch from loopback, private and link-local addresses (refused by default, also "
                   "after a redirect, so that a feed cannot make Marsad probe the network it runs in).")
@json_option
def watch(feeds_file: str, db: str | None, interval: float, once: bool, timeout: float, host_delay: float,
          concurrency: int, batch_size: int, allow_private: bool, as_json: bool) -> None:
    """Poll RSS/Atom feeds and ingest their new articles, until Ctrl-C (or once with --once).

    \b
    FEEDS.txt lists one feed per line: URL, then optionally the outlet name;
    lines starting with # are comments. Pages are fetched politely (robots.txt,
    one request at a time per host, conditional GET, retries with backoff) and
    stored like ingested files. A feed or page that fails is reported and tried
    again on the next poll; a restart fetches nothing it already stored. Feeds
    and pages on this machine or a private network are refused unless
    --allow-private is given.

    \b
    Example:
      marsad watch feeds.txt --db news.db --interval 600
    """
    from .feeds import WatchSettings, read_feeds_file, watch as run_watch
    import signal

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop (SIGTERM) ends the run like Ctrl-C

    signal.signal(signal.SIGTERM, _stop)

    try:
        feeds = read_feeds_file(feeds_file)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = WatchSettings(interval_seconds=interval, timeout_seconds=timeout,
                             host_delay_seconds=host_delay, concurrency=concurrency, batch_size=batch_size,
                             allow_private=allow_private)
    with _store(db) as store:
        err.print(f"watching {len(feeds)} feeds" + ("" if once else f" every {interval:g} s; Ctrl-C stops"),
                  markup=False)
        report = run_watch(feeds, store, settings, once=once, progress=WatchLog(err),
                           log_line=lambda line: err.print(line, markup=False, highlight=False))
    if as_json:
        _print_json(report.as_dict())
    else:
        err.print(("stopped: " if report.interrupted else "") +
                  f"{report.feeds} feeds ({report.not_modified} unchanged, {report.feeds_failed} failed), "
                  f"{report.new_pages} new pages, {report.stored} stored, {report.copies} copies, "
                  f"{report.new_stories} new stories", markup=False)
    sys.exit(1 if once and report.n_failed else 0)


def _print_who_where_when(story: dict[str, Any]) -> None:
    """Who, where, when of a story and the labels each outlet puts on each actor (a rich table)."""
    event = story["event"]
    people = [a["name"] for a in story["actors"] if a["type"] == "person"]
    bodies = [a["name"] for a in story["actors"] if a["type"] == "organization"]
    when = event["date"] or "unknown"
    if event.get("date_basis") == "published":
        when += " (publication date: the articles name no day)"
    out.print(f"when:      {when}", markup=False)
    out.print(f"where:     {event['place'] or 'unknown'}" + (f" · places: {'، '.join(story['places'])}"
                                                          if story["places"] else ""), markup=False)
    out.print(f"who:       {'، '.join(event['participants']) or '—'}" +
              (f" · also: {'، '.join(p for p in people if p not in event['participants'])}"
               if len(people) > len(event["participants"]) else ""), markup=False)
    if bodies:
        out.print(f"bodies:    {'، '.join(bodies)}", markup=False)
    from .compare.labels import labels_by_outlet

    outlet_of = {a["id"]: a["outlet"] for a in story["articles"]}
    rows = [(actor["name"], outlet, labels) for actor in story["actors"]
            for outlet, labels in labels_by_outlet(actor, outlet_of).items() if labels]
    if not rows:
        return
    table = Table(title="labels per outlet", header_style="bold", show_lines=False)
    for col in ("actor", "outlet", "labels (count)"):
        table.add_column(col, overflow="fold")
    for name, outlet, labels in rows:
        table.add_row(name, outlet, " · ".join(f"{label} ({n})" for label, n in labels.items()))
    out.print(table)


@main.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1), default=None, help="Show at most this many actors.")
def actors(db: str | None, as_json: bool, limit: int | None) -> None:
    """List the actors (persons, organisations) named across the database, most articles first.

    Read from the actors table, which sums the stored story analyses: each actor
    with its aliases, article and story counts, and the labels each outlet used
    most. Stories not analysed yet are left out (and counted on stderr): run
    `marsad analyze` first.

    \b
    Example:
      marsad actors --limit 20
    """
    from .analysis import ANALYSIS_VERSION

    with _store(db, must_exist=True) as store:
        items = queries.list_actors(store, limit=limit)
        stale = len(store.stale_analyses(ANALYSIS_VERSION))
    if stale:
        err.print(f"{stale} stories are not analysed (or changed since): their actors are not counted; "
                  "run `marsad analyze`", markup=False)
    if as_json:
        _print_json(items)
        return
    if not items:
        out.print("no actors yet: run `marsad ingest PATH` first", markup=False)
        return
    table = Table(header_style="bold")
    for col in ("actor", "type", "articles", "stories", "aliases", "labels by outlet"):
        table.add_column(col, overflow="fold", justify="right" if col in ("articles", "stories") else "left")
    for a in items:
        labels = "; ".join(f"{o}: {'، '.join(l for l, _ in ls[:3])}" for o, ls in a["labels"].items() if ls)
        table.add_row(a["name"], a["type"], str(a["articles"]), str(a["stories"]), "، ".join(a["aliases"][:6]),
                      labels)
    out.print(table)


@main.command()
@db_option
@click.option("--workers", type=click.IntRange(0), default=0,
              help="Processes (or local Dask workers) that analyse stories (default 0: one per core).")
@engine_options
@json_option
def analyze(db: str | None, workers: int, engine: str, scheduler: str | None, as_json: bool) -> None:
    """Bring every story's stored analysis up to date: actors, places, event and the comparison.

    \b
    A story is analysed again only when its articles changed (a new article or
    copy, a move, a merge) or Marsad's analysis changed; the actors table
    (`marsad actors`, the actor pages) is summed again for the actors concerned.
    Stories go in batches to local worker processes or to a Dask cluster; one
    writer stores the results as they arrive, so a killed run loses nothing
    stored and the next run goes on with the rest.

    \b
    Example:
      marsad analyze --db news.db
      marsad analyze --db postgresql://marsad@db/news --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from .analysis import analyze as run_analyze

    with _store(db, must_exist=True) as store, _engine(engine, workers, scheduler) as runner:
        report = run_analyze(store, runner, progress=AnalyzeBar(err))
    if as_json:
        _print_json(report.as_dict())
    else:
        rate = f", {report.analysed / report.seconds:.1f} stories/s" if report.seconds and report.analysed else ""
        err.print(f"{report.stale} stories were stale: {report.analysed} analysed ({report.articles} articles)"
                  + (f", {len(report.failed)} failed" if report.failed else "")
                  + (f"; {report.dropped} emptied stories forgotten" if report.dropped else "")
                  + f"; {report.actors} actors summed again; engine {report.engine} × {report.workers}"
                  + f" ({report.seconds:.1f} s{rate})", markup=False)
        for line in report.failed:
            err.print(f"error: story {line}", markup=False)
        if report.interrupted:
            err.print("stopped (Ctrl-C): what is stored stays; run it again to go on", markup=False)
    sys.exit(130 if report.interrupted else 1 if report.failed else 0)


@main.command()
@click.argument("name")
@db_option
@json_option
def actor(name: str, db: str | None, as_json: bool) -> None:
    """How each outlet names one actor, how often, week by week, and in which stories.

    NAME is the actor's name or an alias as some article wrote it, or its id.

    \b
    Example:
      marsad actor "خليفة حفتر"
    """
    with _store(db, must_exist=True) as store:
        data = (queries.show_actor(store, name) if name.startswith("a-") and store.get_actor(name)
                else queries.find_actor(store, name))
    if as_json:
        _print_json(data)
        return
    out.rule(f"[bold]{escape(data['name'])}")
    out.print(f"{data['type']} · {data['articles']} articles · {data['stories']} stories · "
              f"{data['mentions']} mentions · {data['first_day'] or '?'} → {data['last_day'] or '?'} · id {data['id']}",
              markup=False)
    if data["aliases"]:
        out.print("also written: " + "، ".join(data["aliases"][:12]), markup=False)
    table = Table(header_style="bold")
    for col in ("outlet", "articles", "labels (count) · stories"):
        table.add_column(col, overflow="fold", justify="right" if col == "articles" else "left")
    for o in data["outlets"]:
        labels = "\n".join(f"{x['label']} ({x['count']}) · {len(x['stories'])} stories" for x in o["labels"][:8])
        table.add_row(o["outlet"] or "—", str(o["articles"]), labels or "—")
    out.print(table)


@main.command("date")
@click.argument("text")
@click.option("--relative-to", "relative_to", default=None, metavar="ISO_DATE",
              help="Publication date that relative words (السبت، أمس، الأسبوع الماضي) are read against.")
@json_option
def date_command(text: str, relative_to: str | None, as_json: bool) -> None:
    """Print the ISO 8601 value of an Arabic date expression; exit status 1 when it cannot be read.

    \b
    Examples:
      marsad date "السبت 19 ديسمبر 2020 10:29 م"          → 2020-12-19T22:29
      marsad date "مساء الجمعة" --relative-to 2020-12-19  → 2020-12-18
    """
    from datetime import datetime

    from .clean.dates import resolve_date

    reference = None
    if relative_to:
        try:
            reference = datetime.fromisoformat(relative_to)
        except ValueError:
            raise click.BadParameter(f"{relative_to!r} is not an ISO date; write it as YYYY-MM-DD",
                                     param_hint="--relative-to") from None
    value = resolve_date(text, reference)
    if value is None:
        hint = "" if reference else " (relative words like أمس or السبت need --relative-to)"
        err.print(f"error: cannot read a date in {text!r}{hint}", markup=False)
        sys.exit(1)
    if as_json:
        _print_json({"text": text, "value": value.iso(), "precision": value.precision,
                     "part_of_day": value.part_of_day, "calendar": value.calendar,
                     "relative_to": relative_to})
        return
    extra = [x for x in (value.part_of_day, None if value.calendar == "gregorian" else f"from the {value.calendar} calendar")
             if x]
    out.print(value.iso() + (f"  ({', '.join(extra)})" if extra else ""), markup=False)


@main.command()
@click.option("--db", "db", default=None, metavar="PATH",
              help="Database file for the demo (default: ./marsad-demo.db).")
def demo(db: str | None) -> None:
    """Ingest the bundled invented sample corpus, list its stories and show the biggest one.

    The sample (marsad/data/sample) is written for the project: every outlet,
    person and event in it is fictional.
    """
    sample = Path(str(resources.files("marsad").joinpath("data").joinpath("sample")))
    db = db or "marsad-demo.db"
    with _store(db) as store:
        from .pipeline import ingest as run_ingest  # loaded only when ingesting
        report = run_ingest([str(p) for p in sorted(sample.iterdir()) if p.is_dir()], store,
                            progress=BarProgress(err))
        _summary(report)
        items = queries.list_stories(store)
        _stories_table(items)
        big = queries.biggest_story(items)
        if big:
            out.print()
            _print_story(queries.show_story(store, big["id"]))
    err.print(f"database: {db} — try `marsad stories --db {db}`", markup=False)


@main.command()
@click.argument("story_id")
@db_option
@json_option
@click.option("--html", "html_path", default=None, type=click.Path(dir_okay=False),
              help="Also write a self-contained right-to-left HTML page to this file.")
@click.option("--encoder", type=click.Choice(["auto", "use", "tfidf"]), default="auto", show_default=True,
              help="Sentence vectors for same claims: USE (small stories) or tf-idf of character n-grams.")
def compare(story_id: str, db: str | None, as_json: bool, html_path: str | None, encoder: str) -> None:
    """Compare one story across outlets: copied passages, same claims, only-here sentences, labels.

    \b
    Also prints a cited summary and the timeline (who reported first, who
    followed, which outlets of the database never reported it).

    \b
    Example:
      marsad compare s-5c89ce37a038 --html story.html
    """
    from .compare.report import print_report, render_html

    with _store(db, must_exist=True) as store:
        story = queries.show_story(store, story_id)
        bodies = {a["id"]: a["body"] for a in story["articles"]}  # before the comparison reads the story
        result = queries.compare_story(store, story_id, encoder=encoder, story=story)
    if html_path:
        Path(html_path).write_text(render_html(result, bodies), encoding="utf-8")
        err.print(f"wrote {html_path}", markup=False)
    if as_json:
        _print_json(result)
        return
    print_report(result, out)


@main.group("eval")
def eval_group() -> None:
    """Measure Marsad's output against gold labels."""


@eval_group.command("stories")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help='Labels JSONL: one {"id": ..., "story": ..., "topic": ...} per article.')
@click.option("--cross-windows", "cross", is_flag=True,
              help="Leave-one-window-out over the WINDOWS given (folders with articles.jsonl and labels.jsonl).")
@click.argument("windows", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--thresholds", default=None, metavar="T1,T2,...",
              help="With --cross-windows: the join thresholds to score (default 0.3 to 0.6 by 0.05).")
@db_option
@json_option
def eval_stories(gold: str | None, cross: bool, windows: tuple[str, ...], thresholds: str | None,
                 db: str | None, as_json: bool) -> None:
    """Score the database's stories against gold `story` labels and its threads against `topic`.

    Prints B-cubed and pairwise precision, recall and F1, the number of gold and
    predicted groups, the worst merges and splits with titles, and where the loss is:
    the B-cubed F1 reached if one gold story (or all the stories of one topic) alone
    were grouped right (see README).

    With --cross-windows, no database is read: for each labelled window, the story
    model is trained on the other windows and scores that one, at each threshold
    (each window ingested into a fresh database). This is the table every story
    setting is chosen on; it takes a few minutes.

    \b
    Example:
      marsad ingest ../shared/data/ant-stories/dev/articles.jsonl --db dev.db
      marsad eval stories --gold ../shared/data/ant-stories/dev/labels.jsonl --db dev.db
      marsad eval stories --cross-windows ../shared/data/ant-stories/{dev,train-a,train-b,train-c}
    """
    if cross:
        _cross_windows(list(windows), thresholds, as_json)
        return
    if windows:
        raise click.UsageError("window folders are read only with --cross-windows")
    if not gold:
        raise click.UsageError("give --gold LABELS.jsonl (or --cross-windows DIR...)")
    from .evaluate import evaluate_store, read_labels

    with _store(db, must_exist=True) as store:
        labels = read_labels(gold)
        result = evaluate_store(store.iter_articles(), labels, gold)
    if as_json:
        _print_json(result)
        return
    for level, scored in result.items():
        b, p = scored["bcubed"], scored["pairwise"]
        label = "story" if level == "stories" else "topic"
        out.print(f"[bold]{level}[/bold] against gold `{label}` labels: {scored['articles']} articles scored "
                  f"({scored['gold_articles_not_in_db']} gold articles not in the database)")
        out.print(f"  groups: gold {scored['gold_stories']}, predicted {scored['predicted_stories']}", markup=False)
        out.print(f"  B-cubed  precision {b['precision']:.3f}  recall {b['recall']:.3f}  F1 {b['f1']:.3f}")
        out.print(f"  pairwise precision {p['precision']:.3f}  recall {p['recall']:.3f}  F1 {p['f1']:.3f}")
        for title, items, inner in (("worst merges (one predicted group, several gold)", scored["worst"]["merges"], "gold"),
                                    ("worst splits (one gold group, several predicted)", scored["worst"]["splits"],
                                     "predicted")):
            out.print(f"  [bold]{title}[/bold]")
            for item in items:
                out.print(f"    {item.get('story') or item.get('gold')}:", markup=False)
                for g in item[inner]:
                    sample_titles = " | ".join((x["title"] or x["id"]) for x in g["articles"])
                    out.print(f"      {g['label']} ×{g['n']}: {sample_titles}", markup=False)
        for key, what in (("gains", label), ("gains_by_topic", "topic (all its stories)")):
            if scored.get(key):
                out.print(f"  [bold]where the loss is[/bold]: B-cubed F1 if only this gold {what} were grouped right")
                for u in scored[key]:
                    out.print(f"    {u['label']} ×{u['n']}: {u['f1']:.3f} (+{u['gain']:.3f})  {u['title'] or ''}",
                              markup=False)
        out.print()


@eval_group.command("entities")
@click.option("--gold", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of gold stories: <name>.json (the reading) beside <name>.jsonl (its articles).")
@click.option("--misses", "n_misses", default=8, show_default=True, help="Misses shown per kind and story.")
@json_option
def eval_entities(gold: str, n_misses: int, as_json: bool) -> None:
    """Score who, where, when and the comparison against stories read by hand.

    \b
    Each story's articles are ingested into a fresh database and read back; then
    actors, labels, places and event (`marsad show`) and same claims and only-here
    sentences (`marsad compare`) are scored against the reading (see README, "Who,
    where, when"). Prints the table, then the misses a person can act on.

    \b
    Example:
      marsad eval entities --gold ../shared/data/entity-gold
    """
    from .evaluate_entities import evaluate_gold

    try:
        result = evaluate_gold(gold)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _print_json(result)
        return
    table = Table(title=f"{len(result['stories'])} gold stories in {gold}", title_justify="left")
    for column in ("measure", "value", "found / of", "aim"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for m in result["measures"].values():
        value = "—" if m["value"] is None else f"{m['value']:.2f}"
        aim = "" if m["aim"] is None else f"≥ {m['aim']:.2f}"
        table.add_row(m["what"], value, f"{m['hit']} / {m['total']}", aim)
    out.print(table)
    for story in result["stories"]:
        if not story["misses"]:
            continue
        out.print(f"[bold]{escape(story['story'])}[/bold] ({story['articles']} articles)")
        for kind, items in story["misses"].items():
            shown = "; ".join(items[:n_misses]) + (f"; … {len(items) - n_misses} more" if len(items) > n_misses else "")
            out.print(f"  {kind.replace('_', ' ')}: {shown}", markup=False)


def _cross_windows(paths: list[str], thresholds: str | None, as_json: bool) -> None:
    """Leave-one-window-out table of the story model (``marsad.stories.train.cross_windows``)."""
    from .stories.train import THRESHOLDS, cross_windows, format_table, labelled_windows

    try:
        grid = tuple(float(t) for t in thresholds.split(",")) if thresholds else THRESHOLDS
    except ValueError as exc:
        raise click.BadParameter(f"{thresholds!r}: give numbers separated by commas, e.g. 0.3,0.4",
                                 param_hint="--thresholds") from exc
    try:
        windows = labelled_windows(paths)
        result = cross_windows(windows, grid, log=lambda m: err.print(m, markup=False))
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _print_json(result)
        return
    out.print(format_table(result), markup=False)


if __name__ == "__main__":
    main()
