"""`marsad watch` as a service: SIGTERM stops it like Ctrl-C, with its summary and nothing lost."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from processes import signal_after_first_poll
from reliability import assert_check_clean


def test_sigterm_stops_watch_cleanly(tmp_path):
    feed = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b"<id>x</id><updated>2018-04-14T10:00:00Z</updated></feed>")
    polls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            polls.append(self.path)
            body = feed if self.path == "/atom.xml" else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"http://127.0.0.1:{server.server_address[1]}/atom.xml\n", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "marsad", "watch", str(feeds), "--db", str(tmp_path / "m.db"),
                                 "--interval", "60", "--host-delay", "0", "--allow-private"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        stderr = signal_after_first_poll(proc, signal.SIGTERM)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, stderr
    assert "/atom.xml" in polls
    assert "stopped: 1 feeds (0 unchanged, 0 failed), 0 new pages" in stderr
    assert "Traceback" not in stderr
    assert_check_clean(str(tmp_path / "m.db"))
