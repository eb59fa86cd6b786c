"""Live RSS/Atom feeds: poll, fetch new article pages politely, ingest them through the pipeline.

One poll (``FeedWatcher.poll``):

1. every feed is fetched with a conditional GET (the ETag / Last-Modified of the last
   poll, kept in the store); 304 means nothing new;
2. entries whose article is already stored (ids are a hash of the entry's link) or
   that were skipped before are left alone; pages that failed on an earlier poll are
   tried again (up to ``max_attempts`` polls) even when the feed did not change;
3. new pages are fetched and read by the same HTML path as WARC pages
   (``article_from_response``), then stored by one ``pipeline.ArticleSink`` kept for the run;
4. the feed's state (validators, failed and skipped pages) is saved after its
   articles are stored, so a run stopped at any point fetches nothing twice that
   it stored and misses nothing it did not.

Politeness: one request at a time per host and ``host_delay_seconds`` between two
requests to a host; at most ``concurrency`` hosts at once; robots.txt honoured for
feeds and pages (fetched once per host per ``robots_ttl_seconds``); timeouts;
retries with exponential backoff on timeouts, connection errors, 429 and 5xx; a
User-Agent naming Marsad and where to read about it. Network work runs in threads;
the store is used only from the calling thread (one writer).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies
from urllib.robotparser import RobotFileParser

import feedparser
import httpx

from .addresses import Deadline, peer_refusal, url_refusal
from .article import Article
from .errors import InputError, MarsadError, NotAnArticle
from .io.readers.common import stable_id
from .io.readers.warc import article_from_response
from .pipeline import ArticleSink, Progress, RunReport
from .settings import WatchSettings
from .store.base import FeedState, Store

log = logging.getLogger("marsad.feeds")



class FetchError(InputError):
    """A feed or page that could not be fetched; tried again on a later poll."""

    reason = "fetch"


class Disallowed(NotAnArticle):
    reason = "robots.txt"


class Refused(NotAnArticle):
    """A feed or page (or a redirect's target) on a loopback, private, link-local or other non-public
    address, or not http(s): not fetched unless the user allows private addresses."""

    reason = "refused address"


@dataclass
class Feed:
    url: str
    outlet: str | None = None


@dataclass
class WatchReport:
    feeds: int = 0
    not_modified: int = 0
    feeds_failed: int = 0
    entries: int = 0                 # entries in the feeds fetched
    new_pages: int = 0               # pages fetched
    stored: int = 0
    copies: int = 0
    new_stories: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def n_failed(self) -> int:
        return sum(self.failed.values())

    def add_run(self, run: RunReport) -> None:
        self.stored += run.stored
        self.copies += run.copies
        self.new_stories += run.new_stories

    def as_dict(self) -> dict[str, Any]:
        return {"feeds": self.feeds, "not_modified": self.not_modified, "feeds_failed": self.feeds_failed,
                "entries": self.entries, "new_pages": self.new_pages, "stored": self.stored,
                "copies": self.copies, "new_stories": self.new_stories, "skipped": dict(self.skipped),
                "failed": dict(self.failed), "errors": [str(e) for e in self.errors],
                "interrupted": self.interrupted, "seconds": round(self.seconds, 3)}


def read_feeds_file(path: str | Path) -> list[Feed]:
    """Feeds listed one per line: ``URL [outlet name]``; ``#`` starts a comment."""
    feeds: list[Feed] = []
    shown = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the feeds file ({exc})", shown,
                         hint="one feed per line: URL [outlet name]") from exc
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url, _, outlet = line.partition(" ")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise InputError(f"not an http(s) URL: {url!r}", shown, f"line {n}",
                             hint="one feed per line: URL [outlet name]")
        feeds.append(Feed(url, outlet.strip() or None))
    if not feeds:
        raise InputError("no feeds in the file", shown, hint="one feed per line: URL [outlet name]")
    return feeds


def article_id(link: str) -> str:
    """A live page's id: a hash of its link (its bytes change with every ad and counter)."""
    return stable_id(link.strip().encode("utf-8"))


# -- polite HTTP -------------------------------------------------------------------------
class _Fetched:
    def __init__(self, url: str, status: int, headers: httpx.Headers, data: bytes) -> None:
        self.url, self.status, self.headers, self.data = url, status, headers, data


class PoliteClient:
    """httpx with one request at a time per host, a pause between them, retries and robots.txt; and,
    unless ``allow_private``, no request to a non-public address (``addresses.py``)."""

    def __init__(self, settings: WatchSettings, stop: threading.Event) -> None:
        self.settings = settings
        self.stop = stop
        # redirects are followed by hand, each target checked and no redirect body read; no connection is
        # kept between requests, so that every request's socket is seen (and checked) as it connects
        self.http = httpx.Client(timeout=settings.timeout_seconds, follow_redirects=False,
                                 limits=httpx.Limits(max_keepalive_connections=0),
                                 headers={"User-Agent": settings.user_agent})
        # behind a proxy the connection goes to the proxy: only the URL's own address can be checked
        self._proxied = bool(getproxies())
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._hosts.setdefault(host, threading.Lock())

    def check(self, url: str, asked: str | None = None) -> None:
        """Raise ``Refused`` unless ``url`` (reached from ``asked`` through redirects) may be fetched."""
        asked = asked or url
        where = f" (redirected to {url})" if url != asked else ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused(f"refused: not an http(s) URL{where}", asked, hint="skipped")
        why = None if self.settings.allow_private else url_refusal(url)
        if why:
            raise Refused(f"refused: {why}{where}", asked, hint="fetched only with --allow-private; skipped")

    def _once(self, url: str, headers: dict[str, str]) -> _Fetched:
        host = urlsplit(url).netloc
        with self._host_lock(host):
            wait_s = self._last.get(host, 0.0) + self.settings.host_delay_seconds - time.monotonic()
            if wait_s > 0 and self.stop.wait(wait_s):
                raise FetchError("stopped", url)
            try:
                return self._follow(url, headers)
            finally:
                self._last[host] = time.monotonic()

    def _follow(self, url: str, headers: dict[str, str]) -> _Fetched:
        """GET ``url`` and its redirects, each target checked, within ``max_response_seconds`` in all."""
        target = url
        with Deadline(self.settings.max_response_seconds) as deadline:
            try:
                for _ in range(self.settings.max_redirects + 1):
                    self.check(target, url)
                    with self.http.stream("GET", target, headers=headers,
                                          extensions={"trace": self._on_connect(deadline, url, target)}) as r:
                        if r.has_redirect_location:
                            target = urljoin(str(r.url), r.headers["location"])
                            continue
                        data = bytearray()
                        for chunk in r.iter_bytes():
                            data += chunk
                            if len(data) > self.settings.max_bytes:
                                raise NotAnArticle(f"larger than {self.settings.max_bytes:,} bytes", url,
                                                   hint="skipped")
                        if deadline.expired:
                            raise httpx.ReadError("deadline")
                        return _Fetched(str(r.url), r.status_code, r.headers, bytes(data))
            except httpx.HTTPError:
                if deadline.expired:
                    raise FetchError(f"no complete answer within {deadline.seconds:g} s (the server sends too "
                                     "slowly)", url, hint="will try again on a later poll") from None
                raise
        raise FetchError(f"redirect loop (more than {self.settings.max_redirects} redirects)", url,
                         hint="will try again on a later poll")

    def _on_connect(self, deadline: Deadline, asked: str, target: str) -> Callable[[str, dict[str, Any]], None]:
        """An httpcore trace hook: puts each new connection under the deadline and, unless private
        addresses are allowed, refuses one that landed on a non-public address."""
        def trace(event: str, info: dict[str, Any]) -> None:
            if event != "connection.connect_tcp.complete" or info.get("return_value") is None:
                return
            stream = info["return_value"]
            deadline.watch(stream.get_extra_info("socket"))
            if self.settings.allow_private or self._proxied:
                return
            why = peer_refusal(stream.get_extra_info("server_addr"))
            if why:
                stream.close()
                raise Refused(f"refused: {why}" + (f" (redirected to {target})" if target != asked else ""),
                              asked, hint="fetched only with --allow-private; skipped")
        return trace

    def get(self, url: str, headers: dict[str, str] | None = None) -> _Fetched:
        """GET with retries and backoff; raises ``FetchError`` saying why it finally failed."""
        tries = max(1, self.settings.retries)
        delay = self.settings.backoff_seconds
        why = "?"
        for attempt in range(1, tries + 1):
            try:
                got = self._once(url, headers or {})
            except httpx.InvalidURL as exc:
                raise FetchError(f"not a valid URL ({exc})", url, hint="skipped until the feed changes it") from exc
            except httpx.TimeoutException:
                why = f"timed out after {self.settings.timeout_seconds:g} s"
            except httpx.HTTPError as exc:
                why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if got.status == 429 or got.status >= 500:
                    why = f"HTTP {got.status}"
                else:
                    return got
            if attempt < tries and self.stop.wait(delay):
                break
            delay *= 2
        raise FetchError(f"{why} ({tries} tries)", url, hint="will try again on a later poll")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets our User-Agent fetch it (``Refused`` for an address
        Marsad does not fetch from: nothing is sent there, robots.txt included)."""
        self.check(url)
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._robots.get(root)
        if cached is None or time.monotonic() - cached[0] > self.settings.robots_ttl_seconds:
            cached = (time.monotonic(), self._read_robots(root, url))
            with self._lock:
                self._robots[root] = cached
        rules = cached[1]
        return True if rules is None else rules.can_fetch(self.settings.user_agent, url)

    def _read_robots(self, root: str, wanted: str) -> RobotFileParser | None:
        """The parsed robots.txt; None (all allowed) when there is none (4xx); everything
        disallowed when it is forbidden (401/403), as urllib.robotparser does. An
        unreachable robots.txt (timeout, 5xx) raises ``FetchError``: nothing is fetched
        from the host on this poll, and the page is tried again on the next."""
        rules = RobotFileParser(urljoin(root, "/robots.txt"))
        try:
            got = self.get(urljoin(root, "/robots.txt"))
        except Refused as exc:  # the host's address, found when connecting: named after the URL wanted
            exc.path = wanted
            raise
        except FetchError as exc:
            raise FetchError(f"robots.txt unreachable ({exc.message})", wanted,
                             hint="will try again on a later poll") from exc
        if got.status in (401, 403):
            rules.disallow_all = True
            return rules
        if got.status != 200:
            return None
        rules.parse(got.data.decode("utf-8", "replace").splitlines())
        return rules


# -- polling ----------------------------------------------------------------------------
Validators = tuple[str | None, str | None]  # (ETag, Last-Modified) of a feed response


@dataclass
class _FeedResult:
    feed: Feed
    state: FeedState
    links: list[tuple[str, dict[str, Any]]] = field(default_factory=list)   # (link, entry fields)
    validators: Validators | None = None
    error: InputError | None = None
    not_modified: bool = False
    broken_entries: int = 0


@dataclass
class _PagesResult:
    feed: Feed
    state: FeedState
    rest: list[tuple[str, dict[str, Any]]]       # pages of this feed still to fetch
    validators: Validators | None               # saved once ``rest`` is empty, never before
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


class FeedWatcher:
    """Polls a list of feeds into a store; ``poll()`` once, ``run()`` until stopped."""

    def __init__(self, feeds: list[Feed], store: Store, settings: WatchSettings | None = None,
                 progress: Progress | None = None, log_line: Callable[[str], None] | None = None) -> None:
        self.feeds = feeds
        self.store = store
        self.settings = settings or WatchSettings()
        self.progress = progress or Progress()
        self.log_line = log_line or (lambda line: log.info(line))
        self.stop = threading.Event()
        self.client = PoliteClient(self.settings, self.stop)
        self._sink: ArticleSink | None = None  # loaded on the first page to store, then kept
        self._mark: tuple[Any, ...] = ()  # the database as this watcher last wrote it (Store.write_mark)

    def close(self) -> None:
        self.client.close()

    def run(self, once: bool = False) -> WatchReport:
        """Poll every ``interval_seconds`` until ``stop`` is set (or once); Ctrl-C stops cleanly."""
        total = WatchReport(feeds=len(self.feeds))
        try:
            while True:
                report = WatchReport(feeds=len(self.feeds))
                try:
                    self._poll(report)
                finally:  # an interrupted poll's counts are kept too (what it fetched, stored, failed)
                    _merge(total, report)
                if once or self.stop.is_set():
                    break
                self.log_line(f"next poll in {self.settings.interval_seconds:g} s")
                if self.stop.wait(self.settings.interval_seconds):
                    break
        except KeyboardInterrupt:
            self.stop.set()
            total.interrupted = True
        return total

    def poll(self) -> WatchReport:
        """One round over all feeds; returns what it did. Interrupted, it stores what it has."""
        report = WatchReport(feeds=len(self.feeds))
        self._poll(report)
        return report

    def _poll(self, report: WatchReport) -> None:
        """``poll``, counting into ``report`` as it goes (so a Ctrl-C leaves the counts so far), as the
        database's one writer (an ingest started meanwhile waits for the poll to end, and the other way round)."""
        with self.store.writing(on_wait=self.progress.note):
            if self._sink is not None and self.store.write_mark() != self._mark:
                self._sink = None  # another process wrote since: the stories and copies in memory are stale
            self._poll_feeds(report)

    def _poll_feeds(self, report: WatchReport) -> None:
        started = time.monotonic()
        states = {f.url: self.store.feed_state(f.url) or FeedState(f.url) for f in self.feeds}
        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency), thread_name_prefix="marsad-feed")
        pending: set[Future[Any]] = {pool.submit(self._fetch_feed, f, states[f.url]) for f in self.feeds}
        self.progress.start(0, len(self.feeds))
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    result = fut.result()
                    if isinstance(result, _FeedResult):
                        job = self._after_feed(result, report)
                        if job is not None:
                            pending.add(pool.submit(self._fetch_pages, *job))
                    else:
                        job = self._after_pages(result, report)
                        if job is not None:
                            pending.add(pool.submit(self._fetch_pages, *job))
        except KeyboardInterrupt:
            self.stop.set()
            report.interrupted = True
            for fut in pending:
                fut.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            report.seconds = time.monotonic() - started
            self.progress.finish(RunReport(read=report.new_pages, stored=report.stored, copies=report.copies,
                                           new_stories=report.new_stories, failed=report.failed,
                                           skipped=report.skipped, errors=report.errors,
                                           seconds=report.seconds))

    # -- in worker threads (no store access) ------------------------------------------
    def _fetch_feed(self, feed: Feed, state: FeedState) -> _FeedResult:
        result = _FeedResult(feed, state)
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            if not self.client.allowed(feed.url):
                raise FetchError("disallowed by robots.txt", feed.url, hint="feed not read")
            got = self.client.get(feed.url, headers)
            if got.status == 304:
                result.not_modified = True
                return result
            if got.status != 200:
                raise FetchError(f"HTTP {got.status}", feed.url, hint="will try again on a later poll")
            result.links, result.broken_entries = read_feed(got.data, feed.url, got.headers.get("content-type"))
            result.validators = (got.headers.get("etag"), got.headers.get("last-modified"))
        except MarsadError as exc:
            result.error = exc if isinstance(exc, InputError) else InputError(str(exc), feed.url)
        except Exception as exc:  # one broken feed must not stop the watcher: report it, go on
            log.debug("unexpected error on %s", feed.url, exc_info=True)
            result.error = FetchError(f"unexpected {type(exc).__name__}: {exc}", feed.url,
                                      hint="will try again on a later poll")
        return result

    def _fetch_pages(self, feed: Feed, state: FeedState, todo: list[tuple[str, dict[str, Any]]],
                     validators: Validators | None) -> _PagesResult:
        """Fetch up to ``batch_size`` pages of ``todo``; the rest goes back for another call."""
        size = max(1, self.settings.batch_size)
        result = _PagesResult(feed, state, todo[size:], validators)
        for link, fields in todo[:size]:
            if self.stop.is_set():
                result.rest = []
                result.validators = None
                break
            try:
                result.articles.append(self._fetch_page(feed, link, fields))
                state.failed.pop(link, None)
            except NotAnArticle as exc:
                state.failed.pop(link, None)
                state.skipped.append(link)
                result.problems.append(exc)
            except Exception as exc:  # InputError, or anything a strange page provokes: report, go on
                problem = exc if isinstance(exc, InputError) else FetchError(
                    f"unexpected {type(exc).__name__}: {exc}", link, hint="will try again on a later poll")
                if problem is not exc:
                    log.debug("unexpected error on %s", link, exc_info=True)
                attempts = state.failed.get(link, {}).get("attempts", 0) + 1
                state.failed[link] = {"reason": problem.message, "attempts": attempts}
                result.problems.append(problem)
        del state.skipped[:-1000]  # remember the last thousand skipped links
        return result

    def _fetch_page(self, feed: Feed, link: str, fields: dict[str, Any]) -> Article:
        if not self.client.allowed(link):
            raise Disallowed("disallowed by robots.txt", link, hint="skipped")
        got = self.client.get(link)
        if got.status != 200:
            raise FetchError(f"HTTP {got.status}", link, hint="will try again on a later poll")
        try:
            article = article_from_response(got.data, feed.url, None, got.url,
                                            got.headers.get("content-type"), datetime.now(timezone.utc))
        except InputError as exc:
            exc.path, exc.record = link, None
            raise
        article.id = article_id(link)
        article.record = None
        article.extra["feed"] = feed.url
        if got.url != link:
            article.extra["link"] = link
        if article.extra.get("date_source") == "crawl" and fields.get("published"):
            article.published = fields["published"]
            article.extra["date_source"] = "feed"
        article.title = article.title or fields.get("title")
        if feed.outlet:
            article.outlet = feed.outlet
        return article

    # -- in the calling thread (the one writer) -----------------------------------------
    def _after_feed(self, result: _FeedResult, report: WatchReport):  # type: ignore[no-untyped-def]
        feed, state = result.feed, result.state
        if result.error is not None:
            report.feeds_failed += 1
            self._failed(report, result.error)
        elif result.not_modified:
            report.not_modified += 1
        if result.broken_entries:
            report.skipped["entry without a link"] += result.broken_entries
        report.entries += len(result.links)
        links = dict(result.links)
        for link, info in state.failed.items():   # failed before: try again, feed changed or not
            if info.get("attempts", 0) < self.settings.max_attempts:
                links.setdefault(link, {})
        skipped = set(state.skipped)
        known = self.store.existing_ids([article_id(link) for link in links])
        todo = [(link, f) for link, f in links.items() if link not in skipped and article_id(link) not in known]
        if result.error is None and not todo:
            _apply(state, result.validators)
            self.store.save_feed_state(state)
            self.progress.advance(0, RunReport(read=report.new_pages, stored=report.stored))
            return None
        if not todo:
            return None
        return feed, state, todo, result.validators

    def _after_pages(self, result: _PagesResult, report: WatchReport):  # type: ignore[no-untyped-def]
        """Store a batch of pages, then the feed's state; returns the next batch's job, if any."""
        report.new_pages += len(result.articles)
        for problem in result.problems:
            if isinstance(problem, NotAnArticle):
                report.skipped[problem.reason] += 1
            else:
                self._failed(report, problem)
        if result.articles:
            if self._sink is None:
                self._sink = ArticleSink(self.store)
            run = self._sink.ingest(result.articles)
            self._mark = self.store.write_mark()
            report.add_run(run)
            self.log_line(f"{result.feed.url}: {len(result.articles)} new pages, {run.stored} stored")
        if not result.rest:
            _apply(result.state, result.validators)
        self.store.save_feed_state(result.state)
        self.progress.advance(0, RunReport(read=report.new_pages, stored=report.stored))
        if result.rest and not self.stop.is_set():
            return result.feed, result.state, result.rest, result.validators
        return None

    def _failed(self, report: WatchReport, error: InputError) -> None:
        report.failed[error.reason] += 1
        report.errors.append(error)
        self.progress.error(error)


def read_feed(data: bytes, url: str, content_type: str | None = None
              ) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """The (absolute link, entry fields) of an RSS or Atom document's entries, and how many entries had
    no usable link; raises ``FetchError`` for what is no feed (or one declaring XML entities)."""
    if declares_entities(data):
        raise FetchError("the feed declares XML entities (<!ENTITY …>), which no feed needs and which can "
                         "expand to gigabytes or read local files; not read", url,
                         hint="ask its publisher for a plain RSS or Atom feed")
    try:
        parsed = feedparser.parse(data, response_headers={"content-type": content_type or "application/xml"})
    except Exception as exc:  # feedparser has its own bugs on damaged input (a NUL in the declared encoding)
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise FetchError(f"not an RSS or Atom feed (feedparser failed on it: {why})", url,
                         hint="check the URL; will try again on a later poll") from exc
    if parsed.bozo and not parsed.entries:
        why = " ".join(str(parsed.get("bozo_exception")).split())[:200]
        raise FetchError(f"not an RSS or Atom feed ({why})", url, hint="check the URL; will try again on a later poll")
    links, broken = [], 0
    for entry in parsed.entries:
        link = entry.get("link")
        try:
            target = urljoin(url, link) if isinstance(link, str) and link else None
            scheme = urlsplit(target).scheme if target else None
        except ValueError:  # a link no URL parser reads ("http://[")
            scheme = None
        if scheme not in ("http", "https"):
            broken += 1
            continue
        links.append((target, _entry_fields(entry)))
    return links, broken


_ENTITY_DECLARATIONS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def declares_entities(data: bytes) -> bool:
    """Whether an XML document declares entities: the way to an entity-expansion bomb ("billion laughs",
    which the XML parser stops only after megabytes of expansion, minutes of feedparser's Python callbacks)
    or to an external entity naming a local file. Feeds have no use for them."""
    return any(marker in data for marker in _ENTITY_DECLARATIONS)


def _entry_fields(entry: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if entry.get("title"):
        fields["title"] = str(entry["title"]).strip()
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if when:
        try:
            fields["published"] = datetime(*when[:6], tzinfo=timezone.utc)
        except (TypeError, ValueError):
            pass
    return fields


def _merge(total: WatchReport, r: WatchReport) -> None:
    total.feeds = r.feeds
    for name in ("not_modified", "feeds_failed", "entries", "new_pages", "stored", "copies", "new_stories",
                 "seconds"):
        setattr(total, name, getattr(total, name) + getattr(r, name))
    total.skipped.update(r.skipped)
    total.failed.update(r.failed)
    total.errors.extend(r.errors)
    total.interrupted = total.interrupted or r.interrupted


def _apply(state: FeedState, validators: Validators | None) -> None:
    """The feed was read through: remember its validators for the next conditional GET."""
    state.checked_at = _now()
    if validators is not None:
        state.etag, state.last_modified = validators


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def watch(feeds: Iterable[Feed], store: Store, settings: WatchSettings | None = None, once: bool = False,
          progress: Progress | None = None, log_line: Callable[[str], None] | None = None) -> WatchReport:
    """Poll ``feeds`` into ``store`` (once, or every ``settings.interval_seconds`` until Ctrl-C)."""
    watcher = FeedWatcher(list(feeds), store, settings, progress, log_line)
    try:
        return watcher.run(once=once)
    finally:
        watcher.close()
