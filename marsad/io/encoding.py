"""Bytes → text for the encodings Arabic sites use: UTF-8 (± BOM), Windows-1256, ISO-8859-6.

Written by hand rather than with a general detector (charset-normalizer, chardet):
we only ever need to choose among these three, and on a short Arabic page the
general detectors confuse Windows-1256 with ISO-8859-6 or with Cyrillic code
pages. Here UTF-8 is tried strictly first (it almost never decodes other
encodings by accident); then both single-byte Arabic code pages are decoded and
the one that yields the more Arabic text wins.
"""
from __future__ import annotations

import re

from ..errors import BinaryInput, DecodingError, EmptyInput
from ..normalize import arabic_ratio

_BOMS = [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"windows-1256": "cp1256", "cp1256": "cp1256", "iso-8859-6": "iso8859_6",
            "iso8859-6": "iso8859_6", "arabic": "iso8859_6", "utf-8": "utf-8", "utf8": "utf-8",
            "x-cp1256": "cp1256", "asmo-708": "iso8859_6"}
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
# markup is Latin whatever the page's language: letters are counted outside it
_MARKUP = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>|&#?\w+;", re.S | re.I)


def declared_charset(data: bytes, http_charset: str | None = None) -> str | None:
    """The Python codec a page declares (HTTP header first, then ``<meta charset>``)."""
    for name in (http_charset, *(m.group(1).decode("ascii", "ignore") for m in
                                 _META_CHARSET.finditer(data[:4096]))):
        if name and name.lower() in _ALIASES:
            return _ALIASES[name.lower()]
    return None


def looks_binary(data: bytes) -> bool:
    """True for data no text page starts with: NUL bytes or many control bytes."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # deleted in C: the count
    return controls > max(2, len(head) // 100)


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode ``data`` read from ``path``; raises an ``InputError`` naming the file.

    Strict UTF-8 comes first (Arabic in a single-byte code page is never valid UTF-8, and
    crawlers and browsers re-save pages as UTF-8 keeping a ``<meta>`` that names the old code
    page); then ``declared``, a codec the container states (HTTP or ``<meta charset>``), when it
    decodes cleanly; then the Arabic code page that yields the more Arabic text.
    """
    if not data.strip():
        raise EmptyInput("empty file", path, hint="nothing to read; file skipped")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodingError(f"starts with a {codec} byte-order mark but is not {codec} "
                                    f"(byte {exc.start})", path) from exc
    if looks_binary(data):
        raise BinaryInput("binary data, not a text article", path,
                          hint="give Marsad .txt, .html, .jsonl(.gz) or WARC files")
    try:  # first even when a code page is declared: a page re-saved as UTF-8 keeps its old <meta>
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall back to detection
    candidates = []
    for codec in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((arabic_ratio(_MARKUP.sub(" ", text)), codec == "cp1256", text))
    if candidates:
        score, _, text = max(candidates)
        if score >= 0.5:
            return text
    raise DecodingError("not UTF-8, Windows-1256 or ISO-8859-6 text", path,
                        hint="convert it to UTF-8 first (for example: iconv -f CP1256 -t UTF-8); file skipped")
