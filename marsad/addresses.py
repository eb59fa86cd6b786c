"""Which network addresses ``marsad watch`` fetches from, and a deadline for a whole response.

A feed is untrusted input: its links (and the redirects of the pages they name) could point
Marsad at the machine it runs on or at the network behind it (``127.0.0.1``, ``10.0.0.5``, a
cloud's metadata service at ``169.254.169.254``), or at a server that answers a byte at a time
forever. Unless the user allows private addresses, a URL is refused when its host is or resolves
to a non-public address, and again when the connection actually made lands on one (a name that
resolved to a public address once and to a private one the next time).

Written here rather than taken from a library: the few SSRF-guard packages on PyPI wrap
``requests``, not httpx; the standard ``ipaddress`` module says what each address is.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_kind(ip: Address) -> str | None:
    """Why ``ip`` is no public internet address ("loopback", "private", "link-local", …); None if it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, hit in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                      ("unspecified", ip.is_unspecified), ("multicast", ip.is_multicast),
                      ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if hit:
            return kind
    return None if ip.is_global else "non-public"


def url_refusal(url: str) -> str | None:
    """Why ``url`` may not be fetched (not http(s), or its host is or resolves to a non-public address);
    None when it may. A name that does not resolve is left to the request to fail with its own error."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) URL ({parts.scheme or 'no scheme'})"
    host = parts.hostname
    if not host:
        return "no host in the URL"
    try:
        addresses: list[Address] = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return None  # a bad port: httpx says so
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in addresses:
        kind = address_kind(ip)
        if kind:
            return f"{ip} is a {kind} address" if str(ip) == host else f"{host} is at {ip}, a {kind} address"
    return None


def peer_refusal(peer: Any) -> str | None:
    """Why a connection to ``peer`` (a socket's ``getpeername()``) is refused; None when it is public."""
    try:
        ip = ipaddress.ip_address(str(peer[0]).split("%")[0])
    except (ValueError, TypeError, IndexError):
        return None
    kind = address_kind(ip)
    return f"the connection went to {ip}, a {kind} address" if kind else None


class Deadline:
    """Closes the sockets of one request once ``seconds`` have passed, so that a server sending a byte
    at a time (headers included, which no read timeout catches) cannot hold a fetch forever."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once; httpx then closes it
        except OSError:
            pass
