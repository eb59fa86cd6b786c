"""`marsad watch`: feeds and pages from a local HTTP server on 127.0.0.1, every failure case."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.feeds import Feed, WatchSettings, article_id, read_feeds_file, watch
from marsad.errors import InputError
from marsad.normalize import fold_for_match
from pgserver import count_rows, fetch_rows
from processes import signal_after_first_poll
from reliability import assert_check_clean

FAST = WatchSettings(timeout_seconds=0.3, host_delay_seconds=0.0, concurrency=2, retries=2, allow_private=True,
                     backoff_seconds=0.01, max_attempts=3)


def ant_articles(shared: Path, n: int) -> list[dict]:
    with open(shared / "data" / "ant-stories" / "dev" / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh)]


def page(a: dict, charset: str = "utf-8") -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in a["text"].split("\n") if p.strip())
    return (f"<html><head><title>{a['title']}</title></head><body><article><h1>{a['title']}</h1>"
            f"{paras}</article></body></html>").encode(charset)


def rss(base: str, links: list[str | None]) -> bytes:
    items = []
    for n, link in enumerate(links):
        link_xml = f"<link>{base}{link}</link>" if link else ""
        items.append(f"<item><title>entry {n}</title>{link_xml}"
                     f"<pubDate>Sat, 14 Apr 2018 0{n % 10}:00:00 GMT</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f'<link>{base}/</link>{"".join(items)}</channel></rss>').encode()


def atom(base: str, links: list[str]) -> bytes:
    entries = "".join(f'<entry><title>a{n}</title><id>{base}{link}</id><link href="{base}{link}"/>'
                      f"<updated>2018-04-14T10:00:00Z</updated></entry>" for n, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>t</title><id>{base}/atom</id><updated>2018-04-14T10:00:00Z</updated>{entries}</feed>").encode()


class Site:
    """Routes → (status, headers, body) or a callable; every request logged with its headers."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.spans: list[tuple[str, float, float]] = []   # (path, start, end) of each answered request
        self.lock = threading.Lock()

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.log if p == path)


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            started = time.monotonic()
            with state.lock:
                state.log.append((self.path, dict(self.headers)))
            route = state.routes.get(self.path)
            if callable(route):
                route = route(self)
            if route is None:
                route = (404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>")
            status, headers, body = route
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            with state.lock:
                state.spans.append((self.path, started, time.monotonic()))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture()
def newsroom(site, shared):
    """A feed with good pages and every kind of trouble, an Atom feed, a failing feed, robots.txt."""
    arts = ant_articles(shared, 3)
    base = site.base

    def slow(handler):
        time.sleep(1.0)
        return 200, HTML_UTF8, page(arts[0])

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, rss(
            base, ["/news/1", "/news/2", "/slow", "/error500", "/loop", "/private/secret", None])

    site.routes.update({
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/feed.xml": feed,
        "/atom.xml": (200, {"Content-Type": "application/atom+xml"}, atom(base, ["/news/3"])),
        "/broken.xml": (500, {}, b"oops"),
        "/news/1": (200, HTML_UTF8, page(arts[0])),
        "/news/2": (200, {"Content-Type": "text/html; charset=windows-1256"}, page(arts[1], "cp1256")),
        "/news/3": (200, HTML_UTF8, page(arts[2])),
        "/slow": slow,
        "/error500": (500, {"Content-Type": "text/html"}, b"<html><body>server error</body></html>"),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/private/secret": (200, HTML_UTF8, page(arts[0])),
    })
    feeds = [Feed(f"{base}/feed.xml", "Alyaum"), Feed(f"{base}/atom.xml"), Feed(f"{base}/broken.xml")]
    return feeds, arts


def stored_articles(store) -> dict[str, dict]:
    return {r["url"]: r for r in store.iter_articles()}


def test_watch_stores_new_pages_and_reports_each_failure_with_url_and_reason(site, newsroom, store):
    feeds, arts = newsroom
    report = watch(feeds, store, FAST, once=True)
    base = site.base
    got = stored_articles(store)
    assert set(got) == {f"{base}/news/1", f"{base}/news/2", f"{base}/news/3"}
    assert report.stored == 3 and report.new_pages == 3
    errors = sorted(str(e) for e in report.errors)
    assert errors == sorted([
        f"{base}/broken.xml: HTTP 500 (2 tries); will try again on a later poll",
        f"{base}/error500: HTTP 500 (2 tries); will try again on a later poll",
        f"{base}/loop: redirect loop (more than 5 redirects); will try again on a later poll",
        f"{base}/slow: timed out after 0.3 s (2 tries); will try again on a later poll",
    ])
    assert report.feeds_failed == 1
    assert report.skipped == {"robots.txt": 1, "entry without a link": 1}


def test_watch_decodes_windows_1256_pages_and_keeps_feed_outlet(site, newsroom, store):
    feeds, arts = newsroom
    watch(feeds, store, FAST, once=True)
    a = store.get_article(article_id(f"{site.base}/news/2"))
    assert a["title"] == arts[1]["title"]
    assert fold_for_match(a["body"]).startswith(fold_for_match(" ".join(arts[1]["text"].split()[:6])))
    assert a["outlet"] == "Alyaum"
    # the Atom feed and the page name no outlet: the host stands in
    assert store.get_article(article_id(f"{site.base}/news/3"))["outlet"].startswith("127.0.0.1")


def test_watch_honours_robots_txt_and_sends_its_user_agent(site, newsroom, store):
    feeds, _ = newsroom
    watch(feeds, store, FAST, once=True)
    assert site.hits("/private/secret") == 0
    agents = {h.get("User-Agent") for _, h in site.log}
    assert len(agents) == 1 and agents.pop().startswith("Marsad/")


def test_second_poll_is_a_conditional_get_and_refetches_nothing_stored(site, newsroom, store):
    feeds, _ = newsroom
    watch(feeds, store, FAST, once=True)
    first = {p: site.hits(p) for p in ("/news/1", "/news/2", "/error500", "/feed.xml")}
    report = watch(feeds, store, FAST, once=True)
    feed_requests = [h for p, h in site.log if p == "/feed.xml"]
    assert feed_requests[-1].get("If-None-Match") == '"v1"'
    assert report.not_modified == 2 - 1  # the RSS feed answered 304; the Atom feed has no validator
    assert site.hits("/news/1") == first["/news/1"] and site.hits("/news/2") == first["/news/2"]
    assert report.stored == 0
    # the failed page is tried again although the feed did not change
    assert site.hits("/error500") == first["/error500"] + 2


def test_failed_page_is_stored_once_it_recovers(site, newsroom, store):
    feeds, arts = newsroom
    watch(feeds, store, FAST, once=True)
    site.routes["/error500"] = (200, HTML_UTF8, page(arts[2]).replace(b"<h1>", b"<h1>recovered "))
    report = watch(feeds, store, FAST, once=True)
    assert report.stored == 1
    assert f"{site.base}/error500" in stored_articles(store)
    assert store.feed_state(f"{site.base}/feed.xml").failed.keys() == {f"{site.base}/slow", f"{site.base}/loop"}


def test_failed_page_is_given_up_after_max_attempts(site, newsroom, store):
    feeds, _ = newsroom
    for _ in range(FAST.max_attempts + 1):
        watch(feeds, store, FAST, once=True)
    assert site.hits("/error500") == FAST.max_attempts * FAST.retries


def test_ctrl_c_during_a_poll_keeps_what_was_stored(site, newsroom, store):
    feeds, _ = newsroom
    from marsad.pipeline import Progress

    class Interrupt(Progress):
        def advance(self, nbytes, report) -> None:
            if report.stored:
                raise KeyboardInterrupt

    report = watch(feeds, store, FAST, once=False, progress=Interrupt())
    assert report.interrupted
    kept = set(stored_articles(store))
    assert kept
    again = watch(feeds, store, FAST, once=True)
    assert set(stored_articles(store)) == kept | {f"{site.base}/news/{n}" for n in (1, 2, 3)}
    assert again.stored == 3 - len(kept)


def test_ctrl_c_while_a_page_is_stored_keeps_the_poll_counts_in_the_summary(site, newsroom, store, monkeypatch):
    # the Ctrl-C of test_watch_subprocess_stops_cleanly_on_sigint can land while the first page is being
    # stored (loading the story index takes a while on a busy machine); the summary said "0 feeds" then
    from marsad.pipeline import ArticleSink

    def interrupted(self, articles, progress=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(ArticleSink, "ingest", interrupted)
    feeds, _ = newsroom
    report = watch(feeds[1:2], store, FAST, once=False)
    assert report.interrupted
    assert (report.feeds, report.new_pages, report.stored) == (1, 1, 0)
    assert store.counts()["articles"] == 0


def test_watch_cli_once_prints_a_summary(site, newsroom, tmp_path):
    feeds_txt = tmp_path / "feeds.txt"
    feeds_txt.write_text(f"# the test newsroom\n{site.base}/atom.xml  جريدة الاختبار\n\n", encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = CliRunner().invoke(main, ["watch", str(feeds_txt), "--db", db, "--once", "--host-delay", "0", "--allow-private",
                                       "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stored"] == 1 and report["failed"] == {}
    shown = CliRunner().invoke(main, ["stories", "--json", "--db", db]).stdout
    assert json.loads(shown)[0]["articles"][0]["outlet"] == "جريدة الاختبار"


def test_watch_subprocess_stops_cleanly_on_sigint(site, newsroom, tmp_path):
    feeds_txt = tmp_path / "feeds.txt"
    feeds_txt.write_text(f"{site.base}/atom.xml\n", encoding="utf-8")
    db = tmp_path / "m.db"
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "watch", str(feeds_txt), "--db", str(db),
                             "--interval", "60", "--host-delay", "0", "--allow-private"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    stderr = signal_after_first_poll(proc, signal.SIGINT)
    assert site.hits("/news/3") == 1
    assert "poll done: 1 new pages; 1 stored" in stderr  # the page was stored before the stop
    assert proc.returncode == 0, stderr
    assert "stopped: 1 feeds" in stderr
    assert "Traceback" not in stderr
    assert_check_clean(str(db))


def test_feeds_file_rejects_a_line_that_is_not_a_url(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("https://a.example/rss\nftp://b.example/feed\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_feeds_file(path)
    assert str(info.value) == (f"{path}:line 2: not an http(s) URL: 'ftp://b.example/feed'; "
                               "one feed per line: URL [outlet name]")


def test_unreachable_robots_txt_fetches_nothing_from_the_host_and_retries_later(site, shared, store):
    arts = ant_articles(shared, 1)
    site.routes.update({
        "/robots.txt": (503, {}, b"busy"),
        "/atom.xml": (200, {"Content-Type": "application/atom+xml"}, atom(site.base, ["/news/1"])),
        "/news/1": (200, HTML_UTF8, page(arts[0])),
    })
    report = watch([Feed(f"{site.base}/atom.xml")], store, FAST, once=True)
    assert [str(e) for e in report.errors] == [
        f"{site.base}/atom.xml: robots.txt unreachable (HTTP 503 (2 tries)); will try again on a later poll"]
    assert site.hits("/atom.xml") == 0 and site.hits("/news/1") == 0
    site.routes["/robots.txt"] = (404, {}, b"")
    again = watch([Feed(f"{site.base}/atom.xml")], store, FAST, once=True)
    assert again.stored == 1 and again.failed == {}


def test_killed_watch_resumes_without_duplicates_or_holes(site, shared, tmp_path, store_url):
    import sqlite3

    import psycopg

    arts = list({(a["title"], a["text"]): a for a in ant_articles(shared, 12)}.values())[:10]
    links = [f"/news/{n}" for n in range(len(arts))]
    site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml", "ETag": '"a1"'},
                                atom(site.base, links))
    for link, a in zip(links, arts):
        site.routes[link] = (200, HTML_UTF8, page(a))
    feeds_txt = tmp_path / "feeds.txt"
    feeds_txt.write_text(f"{site.base}/atom.xml\n", encoding="utf-8")
    # a page every 0.3 s, two per transaction: the kill below lands well before the tenth page is stored
    cmd = [sys.executable, "-m", "marsad", "watch", str(feeds_txt), "--db", store_url, "--host-delay", "0.3",
           "--allow-private", "--batch-size", "2"]
    proc = subprocess.Popen(cmd + ["--interval", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stored() -> set[str]:
        try:
            return {r[0] for r in fetch_rows(store_url, "SELECT url FROM articles")}
        except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):  # no tables yet
            return set()

    deadline = time.monotonic() + 120  # a generous wait for the start on a loaded machine
    while len(stored()) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = stored()
    assert 4 <= len(before) < len(links), f"{len(before)} pages stored when watch was killed"
    hits = {link: site.hits(link) for link in links}
    subprocess.run(cmd + ["--once"], check=True, capture_output=True, timeout=30)
    urls = [u for u in stored()]
    assert sorted(urls) == sorted(f"{site.base}{link}" for link in links)
    assert count_rows(store_url, "SELECT COUNT(*) FROM articles") == len(links)
    # the feed's ETag was not saved before all its pages were: the restart read the feed in full
    assert [h.get("If-None-Match") for p, h in site.log if p == "/atom.xml"] == [None, None]
    # pages stored before the kill were not fetched again
    assert all(site.hits(link) == hits[link] for link in links if f"{site.base}{link}" in before)
    assert_check_clean(store_url)


def test_last_modified_is_sent_back_as_if_modified_since(site, shared, store):
    arts = ant_articles(shared, 1)
    stamp = "Sat, 14 Apr 2018 10:00:00 GMT"

    def feed(handler):
        if handler.headers.get("If-Modified-Since") == stamp:
            return 304, {}, b""
        return 200, {"Content-Type": "application/atom+xml", "Last-Modified": stamp}, atom(site.base, ["/news/1"])

    site.routes.update({"/atom.xml": feed, "/news/1": (200, HTML_UTF8, page(arts[0]))})
    watch([Feed(f"{site.base}/atom.xml")], store, FAST, once=True)
    again = watch([Feed(f"{site.base}/atom.xml")], store, FAST, once=True)
    assert again.not_modified == 1 and site.hits("/news/1") == 1
    assert store.feed_state(f"{site.base}/atom.xml").last_modified == stamp


def test_a_page_that_breaks_the_reader_is_reported_and_the_others_go_on(site, shared, store, monkeypatch):
    import marsad.feeds as feeds_module

    arts = ant_articles(shared, 2)
    site.routes.update({"/atom.xml": (200, {"Content-Type": "application/atom+xml"},
                                      atom(site.base, ["/news/1", "/news/2"])),
                        "/news/1": (200, HTML_UTF8, page(arts[0])), "/news/2": (200, HTML_UTF8, page(arts[1]))})
    real = feeds_module.article_from_response

    def flaky(data, *args, **kwargs):
        if arts[0]["title"].encode() in data:
            raise RuntimeError("parser bug")
        return real(data, *args, **kwargs)

    monkeypatch.setattr(feeds_module, "article_from_response", flaky)
    report = watch([Feed(f"{site.base}/atom.xml")], store, FAST, once=True)
    assert report.stored == 1
    assert [str(e) for e in report.errors] == [
        f"{site.base}/news/1: unexpected RuntimeError: parser bug; will try again on a later poll"]


def test_one_request_at_a_time_per_host_with_a_pause_between(site, shared, store):
    arts = ant_articles(shared, 4)
    links = [f"/news/{n}" for n in range(4)]
    site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom(site.base, links))
    for link, a in zip(links, arts):
        site.routes[link] = (200, HTML_UTF8, page(a))
    polite = WatchSettings(timeout_seconds=2, host_delay_seconds=0.2, concurrency=4, retries=1, allow_private=True)
    report = watch([Feed(f"{site.base}/atom.xml")], store, polite, once=True)
    assert report.stored == 4
    spans = sorted((start, end) for _, start, end in site.spans)
    assert len(spans) == 6  # robots.txt, the feed, four pages
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end + 0.15  # the next request starts after the pause (less the server's own latency)
