"""The user's own outlet names: a file mapping web domains to names (``marsad ingest --outlets FILE``).

One domain per line, then the name (a tab or spaces between), ``#`` starts a comment::

    # domain            outlet
    alwadi-daily.com    صحيفة الوادي
    news.example.org    بوابة المثال

A page whose URL is on such a domain (or on a subdomain of it: ``www.``, ``m.``, ``news.``)
takes that name, whatever the page itself says: the user knows their sources best.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ..errors import MarsadError


def read_outlet_names(path: str | Path) -> dict[str, str]:
    """Domain (lower case, without ``www.``) → outlet name; raises ``MarsadError`` naming the line."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MarsadError(f"cannot read the outlet names ({exc.__class__.__name__}: {exc})", shown,
                          hint="give a UTF-8 text file of 'domain name' lines") from exc
    names: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) < 2 or "." not in parts[0]:
            raise MarsadError("not a 'domain name' line", shown, f"line {n}",
                              hint="write the domain, then the outlet's name: 'alwadi-daily.com صحيفة الوادي'")
        names[_host(parts[0])] = " ".join(parts[1].split())
    return names


def _host(domain_or_url: str) -> str:
    host = (urlsplit(domain_or_url).hostname if "//" in domain_or_url else domain_or_url).lower().strip(".")
    return host[4:] if host.startswith("www.") else host


def outlet_for(url: str | None, names: dict[str, str]) -> str | None:
    """The user's name for the site of ``url``: its host, else the closest parent domain named."""
    if not url or not names:
        return None
    host = _host(url) if "//" in url else None
    while host:
        if host in names:
            return names[host]
        host = host.split(".", 1)[1] if host.count(".") > 1 else None
    return None
