"""`marsad watch` against hostile servers and feeds: private addresses, redirects, drips, floods, XML bombs."""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

import marsad
import marsad.feeds
from marsad.cli import main
from marsad.feeds import Feed, WatchSettings, watch
from reliability import assert_check_clean

SETTINGS = WatchSettings(timeout_seconds=2, host_delay_seconds=0, retries=1, backoff_seconds=0.01,
                         max_response_seconds=1.5, max_bytes=1_000_000)
ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        '<id>x</id><updated>2018-04-14T10:00:00Z</updated>{entries}</feed>')


def atom(links: list[str]) -> bytes:
    return ATOM.format(entries="".join(f'<entry><title>a{n}</title><id>{link}</id><link href="{link}"/>'
                                       f"<updated>2018-04-14T10:00:00Z</updated></entry>"
                                       for n, link in enumerate(links))).encode()


class Server:
    """An HTTP server on ``host`` whose routes are (status, headers, body); every path asked is logged."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.asked: list[str] = []
        me = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                me.asked.append(self.path)
                status, headers, body = me.routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def store(tmp_path):
    """A SQLite store (what is tested here is the fetching, the same for both backends), checked at the end."""
    s = marsad.open_store(str(tmp_path / "m.db"))
    yield s
    s.close()
    assert_check_clean(str(tmp_path / "m.db"))


@pytest.fixture()
def server():
    s = Server()
    yield s
    s.close()


def errors_of(report) -> list[str]:
    return [str(e) for e in report.errors]


def test_a_feed_on_a_loopback_address_is_refused_without_a_request(server, tmp_path):
    server.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom([]))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server.base}/atom.xml\nhttp://localhost:{server.base.rsplit(':', 1)[1]}/atom.xml\n",
                     encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = CliRunner().invoke(main, ["watch", str(feeds), "--db", db, "--once", "--host-delay", "0"])
    assert result.exit_code == 1
    port = server.base.rsplit(":", 1)[1]
    assert f"error: {server.base}/atom.xml: refused: 127.0.0.1 is a loopback address; fetched only with " \
           "--allow-private; skipped" in result.stderr
    assert f"error: http://localhost:{port}/atom.xml: refused: localhost is at " in result.stderr
    assert server.asked == []   # not even robots.txt
    allowed = CliRunner().invoke(main, ["watch", str(feeds), "--db", db, "--once", "--host-delay", "0",
                                        "--allow-private"])
    assert allowed.exit_code == 0, allowed.stderr
    assert "/atom.xml" in server.asked
    assert_check_clean(db)


def test_a_redirect_to_a_private_address_or_a_file_is_refused(server, store, monkeypatch):
    inner = Server("127.0.0.2")  # the "internal" service a redirect points at
    try:
        # 127.0.0.1 plays a public address in this test; every other address keeps its kind
        real = marsad.addresses.address_kind
        monkeypatch.setattr(marsad.addresses, "address_kind",
                            lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
        inner.routes["/secret"] = (200, {"Content-Type": "text/html"}, b"<html><body>secret</body></html>")
        server.routes.update({
            "/atom.xml": (200, {"Content-Type": "application/atom+xml"},
                          atom([f"{server.base}/news/1", f"{server.base}/news/2"])),
            "/news/1": (302, {"Location": f"{inner.base}/secret"}, b""),
            "/news/2": (301, {"Location": "file:///etc/passwd"}, b""),
        })
        report = watch([Feed(f"{server.base}/atom.xml")], store, SETTINGS, once=True)
    finally:
        inner.close()
    assert inner.asked == []
    assert report.skipped == {"refused address": 2} and report.stored == 0
    assert store.feed_state(f"{server.base}/atom.xml").skipped == [f"{server.base}/news/1", f"{server.base}/news/2"]


def test_a_name_that_resolves_elsewhere_when_connecting_is_caught_at_the_connection(server, store, monkeypatch):
    # DNS rebinding: the name looked public when checked, the connection lands on loopback
    monkeypatch.setattr(marsad.feeds, "url_refusal", lambda url: None)
    server.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom([]))
    report = watch([Feed(f"{server.base}/atom.xml")], store, SETTINGS, once=True)
    assert errors_of(report) == [f"{server.base}/atom.xml: refused: the connection went to 127.0.0.1, a loopback "
                                 "address; fetched only with --allow-private; skipped"]
    assert server.asked == []


class DripServer:
    """A raw TCP server that sends ``head`` then ``drip`` forever, one piece every ``every`` seconds."""

    def __init__(self, head: bytes, drip: bytes, every: float) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.head, self.drip, self.every = head, drip, every
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(self.head)
            while not self.stop.is_set():
                conn.sendall(self.drip)
                time.sleep(self.every)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


ALLOWED = WatchSettings(**{**SETTINGS.__dict__, "allow_private": True})


@pytest.mark.parametrize("head, drip", [
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nContent-Length: 100000\r\n\r\n", b"<"),
    (b"HTTP/1.1 200 OK\r\n", b"X"),     # the headers themselves never end
], ids=["body", "headers"])
def test_a_server_that_drips_forever_is_given_up_at_the_deadline(store, head, drip):
    server = DripServer(head, drip, every=0.05)
    try:
        started = time.monotonic()
        report = watch([Feed(f"http://127.0.0.1:{server.port}/atom.xml")], store,
                       WatchSettings(**{**ALLOWED.__dict__, "timeout_seconds": 1}), once=True)
        took = time.monotonic() - started
    finally:
        server.close()
    # robots.txt is asked first, and given up at the deadline like any request
    assert errors_of(report) == [f"http://127.0.0.1:{server.port}/atom.xml: robots.txt unreachable (no complete "
                                 "answer within 1.5 s (the server sends too slowly)); will try again on a later poll"]
    assert took < 10


def test_a_page_that_sends_gigabytes_is_cut_off_at_max_bytes(store):
    flood = DripServer(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000000000\r\n\r\n",
                       b"<p>" + b"x" * 65536, every=0)
    try:
        client = marsad.feeds.PoliteClient(ALLOWED, threading.Event())
        with pytest.raises(marsad.feeds.NotAnArticle) as info:
            client.get(f"http://127.0.0.1:{flood.port}/page")
        client.close()
    finally:
        flood.close()
    assert str(info.value) == f"http://127.0.0.1:{flood.port}/page: larger than 1,000,000 bytes; skipped"


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "a">'
                  + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
                  + ']><feed xmlns="http://www.w3.org/2005/Atom"><title>&j;</title></feed>').encode()
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b'<rss version="2.0"><channel><title>&x;</title></channel></rss>')


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL, BILLION_LAUGHS.decode().encode("utf-16")],
                         ids=["entity-expansion", "external-entity", "utf-16"])
def test_a_feed_declaring_xml_entities_is_not_parsed(server, store, body):
    server.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, body)
    started = time.monotonic()
    report = watch([Feed(f"{server.base}/atom.xml")], store, ALLOWED, once=True)
    assert time.monotonic() - started < 5
    assert errors_of(report) == [
        f"{server.base}/atom.xml: the feed declares XML entities (<!ENTITY …>), which no feed needs and which can "
        "expand to gigabytes or read local files; not read; ask its publisher for a plain RSS or Atom feed"]
    assert store.counts()["articles"] == 0
