"""Fields of an HTML news page: main text, title, outlet and publication time.

Main text: trafilatura (balanced settings, comments off, tables on: chosen on the page set of
``benchmarks/pages.py``, see the README) on a tree whose layout tables are turned into blocks
(``unroll_layout_tables``: a 2000s portal keeps its article in a ``<td>`` of nested tables, which
trafilatura would otherwise read as a data table, furniture and all), whose ``<br>`` runs are
paragraphs (``paragraphs_from_breaks``) and whose text ``<div>``s among ``<p>``s are ``<p>``s
(``paragraphs_from_text_divs``), then the furniture filter of ``page.clean_body``. When that leaves less than MIN_RICH_CHARS, trafilatura's default extraction
of the raw page is read too and kept if it holds a paragraph ours lacks (``_richer``).

Every field is read in a documented order of trust, each source in its own small function:

- published: ``article:published_time`` and the like, JSON-LD ``datePublished``, ``itemprop``
  ``datePublished``, ``<time datetime>`` (in the body: before the comments, not in a sidebar
  nor beside another article's link; a value without its hour yields to a visible line of the
  same day that has one); then the visible date line nearest the headline or byline
  (``clean.dates`` reads Hijri dates, every month naming, "نشر في", "آخر تحديث", the hour and
  the zone); then trafilatura's own date (the day only).
- outlet: ``og:site_name``, JSON-LD ``publisher``, the ``<title>`` around the headline, the
  header logo's ``alt``, the copyright line (a ``<title>`` part that is a domain name comes
  after these); the domain is the caller's last resort.
- title: ``og:title``, JSON-LD ``headline``, the ``<title>`` without the outlet's part, ``<h1>``.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Collection, Iterator
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property, lru_cache
from html import unescape
from types import SimpleNamespace
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .. import langdata
from ..normalize import fold_with_offsets, folded_phrase
from .boilerplate import Kind, classify_line, is_prose, related_phrase_length, rights_outlet
from .dates import DateValue, find_dates, is_date_line, parse_date, parse_date_value, parse_time, without_dates
from .page import clean_body, is_headline, split_tags

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

LONG_CELL_WORDS = 25        # a table cell this long holds running text: the table lays out a page
MIN_RICH_CHARS = 100        # a body shorter than this (a page we would reject) is checked against the default
MAX_TITLE_PART_WORDS = 8    # the outlet's part of a <title> is at most this long
DATE_LINE_REACH = 6         # the visible date is looked for this many lines around the headline
MAX_DATE_LINE_WORDS = 24    # a byline or date line is short
MAX_HEAD_LINES = 20         # the headline opens the extracted text within this many lines
FOOTER_LINES = 40           # the page's last lines, where its copyright line stands
MAX_TITLE_WORDS = 25        # a headline (it may end in ? or !, not in a full stop)
MAX_LEAD_TITLE_WORDS = 15   # a line longer than this without a full stop is a paragraph, not a headline
MAX_SHOWN_CHARS = 400       # a headline printed on the page is shorter than this
MAX_CROSS_LINK_WORDS = 24   # "اقرأ أيضا: <a headline>" box: a related phrase and one headline
MIN_LINKED_HEADLINE_WORDS = 5  # a link this long beside a <time> is another article's headline
MAX_TEASER_WORDS = 60       # a teaser block (headline link, time, a line of summary) is shorter than this
MAX_BYLINE_WORDS = 6        # words beside the date in a date line or byline ("بقلم: محمد علي | …")

_BLOCKS = {"address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt",
           "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
           "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "tfoot", "th", "thead",
           "tr", "ul", "marquee", "time", "abbr", "amp-img", "img"}
_INLINE_IN_BLOCKS = {"br", "time", "abbr", "img", "amp-img"}  # in _BLOCKS for page lines, inline for paragraphs
_PIECE_TAG = "div"  # a <p> among sibling <div>s of text makes trafilatura keep only the <p>s
_KEEP_BREAKS = {"pre", "address", "textarea", "script", "style", "head", "html", "title"}
_INVISIBLE = ("script", "style", "noscript", "template", "select", "option", "textarea", "button")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-–—|:«»‹›/\\~•·]|::|>>|<<)\s+")
_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[a-z]{2,})+/?", re.I)  # a <title> part "alwadi-daily.com"
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "backgroundnewsarticle", "liveblogposting"}
# htmldate, as trafilatura calls it: markup and URL only; its free-text search takes a copyright
# year for a date ("© 2018" → 2018-01-01) and is slow
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_META_TIME_NAMES = {"article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                    "date", "dc.date", "dc.date.issued", "sailthru.date", "article.published",
                    "published_time", "publish-date", "parsely-pub-date"}


@dataclass
class WebPage:
    """What ``read_webpage`` finds; ``sources`` says where each field came from (for tests and reports)."""

    body: str = ""
    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- main text
def _is_data_table(table: HtmlElement) -> bool:
    """A table of data (results, prices): two rows of two cells or more, short cells, no table inside."""
    if table.find(".//table") is not None:
        return False
    rows = [r for r in table.iter("tr") if len(r.findall("td") + r.findall("th")) >= 2]
    if len(rows) < 2:
        return False
    return all(len(c.text_content().split()) < LONG_CELL_WORDS for c in table.iter("td", "th"))


def unroll_layout_tables(tree: HtmlElement) -> HtmlElement:
    """Turn tables that lay out a page (nested, one column, or holding running text) into blocks.

    Written here because no extractor does it: trafilatura reads every ``<table>`` as data, so a
    portal built of tables comes out as rows of menu, ticker, article and footer cells (or not at
    all with tables off). As blocks, its own boilerplate rules (link density, position) apply.
    Changes ``tree`` in place and returns it.
    """
    tables = list(tree.iter("table"))
    owner = {el: next(el.iterancestors("table"), None)
             for el in tree.iter("tbody", "thead", "tfoot", "tr", "td", "th", "caption")}
    layout = {t for t in tables if not _is_data_table(t)}  # decided before any tag changes
    for el, table in owner.items():
        if table in layout:
            el.tag = "div"
    for table in layout:
        table.tag = "div"
    return tree


def paragraphs_from_breaks(tree: HtmlElement) -> HtmlElement:
    """Wrap each run of text between ``<br>`` tags in a ``<p>``, in elements holding two or more.

    Old pages write paragraphs as text separated by ``<br><br>`` inside a ``<td>`` or ``<font>``,
    with no ``<p>``; given as such, trafilatura may join them into one line or drop the last one.
    Deepest elements first; an inline element that now holds paragraphs becomes a ``<div>``.
    Changes ``tree`` in place and returns it.
    """
    for el in reversed(list(tree.iter())):
        if not isinstance(el.tag, str) or el.tag in _KEEP_BREAKS or sum(1 for c in el if c.tag == "br") < 2:
            continue
        pieces: list[list[Any]] = [[el.text or ""]]
        for child in list(el):
            el.remove(child)
            if child.tag == "br":
                pieces.append([child.tail or ""])
            elif isinstance(child.tag, str) and child.tag in _BLOCKS and child.tag not in _INLINE_IN_BLOCKS:
                tail, child.tail = child.tail, None
                pieces.append([child])
                pieces.append([tail or ""])
            else:
                pieces[-1].append(child)
        el.text = None
        for piece in pieces:
            if len(piece) == 1 and not isinstance(piece[0], str):
                el.append(piece[0])  # a block of its own
                continue
            p = etree.SubElement(el, _PIECE_TAG)
            p.text = piece[0]
            for child in piece[1:]:
                p.append(child)
            if not (p.text or "").strip() and len(p) == 0:
                el.remove(p)
        if el.tag not in _BLOCKS:
            el.tag = "div"
    return tree


def paragraphs_from_text_divs(tree: HtmlElement) -> HtmlElement:
    """Make a ``<div>`` of text (nothing block-level inside) that has ``<p>`` siblings a ``<p>``.

    Editors mix the two in one article body (a paragraph typed in a ``<div>``, pasted text in
    ``<p>``s); trafilatura then keeps only the ``<p>``s, and on hand-written pages of that kind
    both it and we lost about four paragraphs in ten. Limited to ``<p>`` siblings: turning every
    text ``<div>`` into a paragraph left menus and footers in the body of the page set (1.8% of
    its furniture, against none). Changes ``tree`` in place and returns it.
    """
    for el in list(tree.iter("div")):
        parent = el.getparent()
        if parent is None or parent.find("p") is None or not el.text_content().strip():
            continue
        if not any(isinstance(c.tag, str) and c.tag in _BLOCKS and c.tag not in _INLINE_IN_BLOCKS
                   for c in el.iterdescendants()):
            el.tag = "p"
    return tree


def drop_cross_links(tree: HtmlElement) -> HtmlElement:
    """Remove the "اقرأ أيضا: <a>another headline</a>" boxes sites put between paragraphs.

    A short block that opens with a related-news phrase and whose other words are mostly link text
    goes (with the link, the line is no sentence of the article; a line of the same words without
    a link, as some archives keep them, stays). Changes ``tree`` in place and returns it.
    """
    for el in list(tree.iter("p", "div", "li", "section", "aside", "span", "strong", "b", "h3", "h4")):
        if el.getparent() is None or el.find(".//a") is None:
            continue
        text = " ".join(el.text_content().split())
        n_words = len(text.split())
        if not text or n_words > MAX_CROSS_LINK_WORDS:
            continue
        opened = related_phrase_length(text)
        if not opened or opened >= n_words:
            continue
        linked = sum(len(a.text_content().split()) for a in el.iter("a"))
        if linked * 2 >= n_words - opened:
            el.drop_tree()
    return tree


def _extract(tree: HtmlElement, url: str | None, **settings: Any) -> str:
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True, **settings)
    return (doc.text or "") if doc is not None else ""


@cache
def _metadata_parts() -> SimpleNamespace | None:
    """The functions of ``trafilatura.metadata`` that ``TrafilaturaMeta`` calls, or None when
    this trafilatura release names them otherwise (looked up once, not per page)."""
    try:
        from trafilatura.metadata import examine_meta, extract_catstags, extract_meta_json, extract_title, extract_url
    except ImportError:
        return None
    return SimpleNamespace(examine_meta=examine_meta, extract_catstags=extract_catstags,
                           extract_meta_json=extract_meta_json, extract_title=extract_title, extract_url=extract_url)


class TrafilaturaMeta:
    """The fields of trafilatura's metadata Marsad uses (tags and categories; the address, title
    and date as last resorts), read as ``trafilatura.extract_metadata`` reads them, each when
    first asked for.

    ``extract_metadata`` on every page was a quarter of the extraction's time (its author search
    copies the whole tree; htmldate runs on every page) for an author Marsad does not keep and
    three fields it seldom needs. The same functions, in its order, from the same tree: the same
    values (``tests/test_webpage.py`` and ``tests/test_pageset.py`` hold them to
    ``extract_metadata``'s). They are trafilatura's own parts (``trafilatura.metadata``); should a
    release rename them, the whole ``extract_metadata`` is used instead.
    """

    def __init__(self, tree: HtmlElement, url: str | None) -> None:
        self._tree, self._default_url = tree, url
        self._parts = _metadata_parts()
        if self._parts is None:  # another trafilatura release: all of it, once
            self._whole = trafilatura.extract_metadata(tree, url, _DATE_PARAMS)
            self.tags, self.categories = list(self._whole.tags or []), list(self._whole.categories or [])
            return
        doc = self._parts.examine_meta(tree)
        try:
            doc = self._parts.extract_meta_json(tree, doc)
        except Exception:  # noqa: BLE001 - as extract_metadata: a broken JSON-LD block says nothing
            pass
        self._doc = doc
        self.categories = list(doc.categories or self._parts.extract_catstags("category", tree))
        self.tags = list(doc.tags or self._parts.extract_catstags("tag", tree))

    @staticmethod
    def _trimmed(value: str | None) -> str | None:
        """What ``Document.clean_and_trim`` makes of a text field."""
        if not isinstance(value, str):
            return value
        from trafilatura.utils import line_processing

        return line_processing(unescape(value[:9999] + "…" if len(value) > 10000 else value))

    @cached_property
    def _raw_url(self) -> str | None:
        """The address as extract_metadata hands it to htmldate (before trimming)."""
        return self._doc.url or self._parts.extract_url(self._tree, self._default_url)

    @property
    def url(self) -> str | None:
        return self._whole.url if self._parts is None else self._trimmed(self._raw_url)

    @cached_property
    def title(self) -> str | None:
        if self._parts is None:
            return self._whole.title
        return self._trimmed(self._doc.title or self._parts.extract_title(self._tree))

    def date(self) -> str | None:
        """The day htmldate finds (markup and address only; see ``_DATE_PARAMS``)."""
        if self._parts is None:
            return self._whole.date
        from htmldate import find_date

        return self._trimmed(find_date(self._tree, **_DATE_PARAMS, url=self._raw_url))


_TABLE_MARKS = re.compile(r"\\?\|")  # trafilatura writes table cells as "| a | b |"


def _squashed(text: str) -> str:
    return " ".join(fold_with_offsets(_TABLE_MARKS.sub(" ", text))[0].split())


def _adds_paragraphs(ours: str, other: str) -> bool:
    """True when ``other`` holds a paragraph of running text (not a headline) that ``ours`` lacks."""
    have = _squashed(ours)
    for line in clean_body(other).split("\n"):
        line = _TABLE_MARKS.sub(" ", line).strip()
        if is_prose(line) and not is_headline(line) and _squashed(line) not in have:
            return True
    return False


def _richer(tree: HtmlElement, url: str | None, text: str) -> str:
    """``text``, or trafilatura's default reading of the page when that holds a paragraph ours lacks.

    The default reads tables as tables, furniture and all (its main text: the comments it reads
    apart are left out); our filter runs on it as on ours. Only tried on short bodies
    (MIN_RICH_CHARS): on the page set no longer body of ours lacked a paragraph the default has.
    """
    doc = trafilatura.bare_extraction(tree, url=url, date_extraction_params=_DATE_PARAMS)
    default = (doc.text if doc is not None else "") or ""
    return default if _adds_paragraphs(text, default) else text


# ---------------------------------------------------------------- the page's own lines and metadata
_LINK_MARK = "\u2063"  # INVISIBLE SEPARATOR: marks where a link's text starts while lines are cut


def page_lines(tree: HtmlElement) -> tuple[list[str], list[int]]:
    """The visible text of the page, one line per block, in reading order, and how many links
    each line holds (a menu or share bar: several)."""
    root = copy(tree.find(".//body") if tree.find(".//body") is not None else tree)
    etree.strip_elements(root, *_INVISIBLE, etree.Comment, with_tail=False)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "a":
            el.text = _LINK_MARK + (el.text or "")
        elif el.tag in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag not in ("br", "hr", "img", "amp-img"):
                el.text = "\n" + (el.text or "")
    lines, links = [], []
    for raw in root.text_content().split("\n"):
        line = " ".join(raw.replace(_LINK_MARK, " ").split())
        if line:
            lines.append(line)
            links.append(raw.count(_LINK_MARK))
    return lines, links


def _attr_values(tree: HtmlElement, names: set[str]) -> Iterator[tuple[str, str]]:
    """(name, content) of ``<meta>`` tags whose property, name or itemprop is in ``names``."""
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key in names and (m.get("content") or "").strip():
            yield key, m.get("content").strip()


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """The article-like objects of the page's JSON-LD blocks (in ``@graph`` too)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(node)
            if "@graph" in node:
                walk(node["@graph"])

    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            walk(json.loads(script.text))
        except ValueError:
            continue  # a broken JSON-LD block says nothing
    return found


def _text_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


# ---------------------------------------------------------------- published
def _meta_times(tree: HtmlElement, ld: list[dict[str, Any]], first_paragraph: str | None
                ) -> Iterator[tuple[str, str]]:
    """(source, value) of machine-readable publication times, in order of trust.

    A time in the page's body (``itemprop``, ``abbr.published``, ``<time>``) counts only before a
    comments or related-news header that follows the article's first paragraph, and outside
    elements named as comments, related lists or sidebars: readers' comments carry ``<time
    datetime>`` and ``datePublished`` of their own.
    """
    for _, value in _attr_values(tree, _META_TIME_NAMES):
        yield "meta", value
    for obj in ld:
        if isinstance(obj.get("datePublished"), str):
            yield "json-ld", obj["datePublished"]
    body = [(el, "itemprop", el.get("content") or el.get("datetime") or el.get("title"))
            for el in tree.xpath('//body//*[@itemprop="datePublished"]')]
    body += [(el, "abbr", el.get("title"))
             for el in tree.xpath('//abbr[contains(concat(" ", normalize-space(@class), " "), " published ")]')]
    body += [(el, "time", el.get("datetime")) for el in tree.iter("time")]
    body = [b for b in body if b[2]]
    if not body:
        return
    order = {el: i for i, el in enumerate(tree.iter())}
    start = _element_holding(tree, first_paragraph)
    limit = _comments_start(tree, order, order[start]) if start is not None else len(order)
    for el, source, value in body:
        if order.get(el, limit) < limit and not _in_aside(el) and not _beside_a_headline_link(el):
            yield source, value


def _comments_start(tree: HtmlElement, order: dict[HtmlElement, int], after: int) -> int:
    """The document position of the first comments or related-news header after position
    ``after`` (the article's first paragraph): times from there on date something else."""
    for el in tree.iter():
        if order[el] <= after or not isinstance(el.tag, str):
            continue
        text = (el.text or "").strip()
        if text and len(text) < 60 and classify_line(text) in (Kind.COMMENTS, Kind.RELATED):
            return order[el]
    return len(order)


def _element_holding(tree: HtmlElement, text: str | None) -> HtmlElement | None:
    """The first element whose own text (or the text after it) begins ``text``."""
    if not text:
        return None
    probe = " ".join(text.split()[:6])
    for el in tree.iter():
        for piece in (el.text, el.tail):
            if piece and probe in " ".join(piece.split()):
                return el
    return None


_ASIDE = re.compile(r"comment|reply|respond|related|sidebar|widget|popular|ticker", re.I)


def _in_aside(el: HtmlElement) -> bool:
    """Inside readers' comments, a related list or a sidebar (by its own or an ancestor's tag,
    class or id): a ``<time>`` there dates something else. (Not a footer: an article's own footer,
    "post-footer", "entry-footer", holds its time.)"""
    for node in (el, *el.iterancestors()):
        if node.tag in ("aside", "nav") or _ASIDE.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
    return False


def _beside_a_headline_link(el: HtmlElement) -> bool:
    """In a list item with a link, or in a short block holding a link of a few words (a teaser of
    another article: "most read" lists stand before the article in many pages' source). A link to
    the page itself (its own headline in an ``<h1>``, or its canonical address) is no teaser."""
    own = _own_addresses(el)
    for node in el.iterancestors():
        if node.tag == "li":
            return any(not _links_here(a, own) for a in node.iter("a"))
        if node.tag in _BLOCKS and node.tag not in _INLINE_IN_BLOCKS:
            if len(node.text_content().split()) > MAX_TEASER_WORDS:
                return False
            return any(len(a.text_content().split()) >= MIN_LINKED_HEADLINE_WORDS and not _links_here(a, own)
                       for a in node.iter("a"))
    return False


def _own_addresses(el: HtmlElement) -> set[str]:
    root = el.getroottree()
    found = root.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
    return {str(u).strip().rstrip("/") for u in found if str(u).strip()}


def _links_here(a: HtmlElement, own: set[str]) -> bool:
    href = (a.get("href") or "").strip().rstrip("/")
    return href in own or href.startswith("#") or any(p.tag == "h1" for p in a.iterancestors())


def _has_time(value: str) -> bool:
    return bool(re.search(r"\d{1,2}:\d{2}", value))  # machine-readable times: 2018-04-14T01:12


@cache
def _update_words() -> tuple[str, ...]:
    return tuple(sorted(langdata.word_list("update_words.txt"), key=len, reverse=True))


def _line_date(line: str) -> DateValue | None:
    """The publication time a visible line states: of "نشر: X | آخر تحديث: Y", X; of "الاثنين 19
    مارس 2018 - آخر تحديث: 06:27", the day at the only hour the line gives."""
    folded, offsets = fold_with_offsets(line)
    for word in _update_words():
        at = folded.find(word)
        if at > 0:  # the publication comes first; an update alone (at 0) is the only time given
            first = parse_date_value(line[:offsets[at]])
            if first and first.precision == "day" and parse_date_value(line[offsets[at]:]) is None:
                hour = parse_time(line[offsets[at]:])
                if hour:
                    return DateValue(first.value.replace(hour=hour[0], minute=hour[1]), "minute")
            if first:
                return first
    return parse_date_value(line)


def _mostly_date(line: str) -> bool:
    """A short line that is a date with at most a few other words (a prefix, a byline's name)."""
    words = line.split()
    if len(words) > MAX_DATE_LINE_WORDS:
        return False
    if is_date_line(line):
        return True
    rest = without_dates(line)
    return rest is not None and len(_other_words(rest)) <= MAX_BYLINE_WORDS


_INFO_SEPARATORS = re.compile(r"\s+[|•·◆]\s+")  # "كتب: … | القاهرة | <date> | عدد المشاهدات: 1250"


def _date_part(line: str) -> str | None:
    """The line when it is mostly a date, else its first run of pieces between " | " that is (a
    byline row: writer | city | date | counters; the date's own hour may stand in the next piece,
    "19-03-2018 | الساعة 15:22"); None when neither."""
    if _mostly_date(line):
        return line
    pieces = _INFO_SEPARATORS.split(line) if len(line.split()) <= 2 * MAX_DATE_LINE_WORDS else []
    for i, piece in enumerate(pieces if len(pieces) > 1 else []):
        value = parse_date_value(piece) if _mostly_date(piece) else None
        if value is None:
            continue
        for more in pieces[i + 1:]:
            longer = f"{piece} | {more}"
            found = parse_date_value(longer) if value.precision != "minute" and _mostly_date(longer) else None
            if found is None or found.precision != "minute":
                break
            piece, value = longer, found
        return piece
    return None


def _other_words(rest: str) -> list[str]:
    """The words of what a date line holds besides its date, without date words, weekdays, zones,
    byline words and numbers."""
    ignore = langdata.word_list("date_words.txt") | langdata.word_list("byline_words.txt") | \
        set(langdata.weekdays()) | set(langdata.timezones())
    return [w for w in folded_phrase(rest).split() if w not in ignore and not w.isdigit()]


def _visible_date(lines: list[str], anchor: int | None, below_only: bool = False,
                  reach: int = DATE_LINE_REACH) -> DateValue | None:
    """The date line nearest ``anchor`` (the headline; within ``reach`` lines, below it first at
    equal distance, or only below it); a line that gives the hour beats one that does not."""
    if anchor is None:
        return None
    start = anchor + 1 if below_only else max(0, anchor - reach)
    order = sorted(range(start, min(len(lines), anchor + reach + 1)),
                   key=lambda i: (abs(i - anchor), i < anchor))
    day: DateValue | None = None
    for i in order:
        line = _date_part(lines[i]) if i != anchor else None
        if line is None:
            continue
        value = _line_date(line)
        if value is None:
            continue
        if value.precision == "minute":
            return value
        day = day or value
    return day


def _visible_age(lines: list[str], anchor: int | None, reference: datetime | None) -> datetime | None:
    """A line near the headline that only says how long ago ("منذ 3 ساعات", "قبل 5 دقائق", as live
    pages print it), counted back from ``reference`` (when the page was fetched)."""
    if anchor is None or reference is None:
        return None
    for i in sorted(range(max(0, anchor - DATE_LINE_REACH), min(len(lines), anchor + DATE_LINE_REACH + 1)),
                    key=lambda i: (abs(i - anchor), i < anchor)):
        line = lines[i]
        if i == anchor or len(line.split()) > MAX_DATE_LINE_WORDS:
            continue
        found = [d for d in find_dates(line, reference) if d.date.relative and d.date.precision == "minute"]
        if found and len(_other_words(line[:found[0].start] + " " + line[found[0].end:])) <= MAX_BYLINE_WORDS:
            return found[0].date.value
    return None


def published_time(tree: HtmlElement, ld: list[dict[str, Any]], lines: list[str], anchor: int | None,
                   fallback: str | Callable[[], str | None] | None, first_paragraph: str | None = None,
                   end: int | None = None,
                   reference: datetime | None = None, body_start: int | None = None
                   ) -> tuple[datetime | None, str]:
    """The publication time and where it came from, in the order of trust of the module doc;
    ``anchor`` is the headline's line, ``end`` the article's last (a date line may close it);
    ``reference`` (the fetch time) reads a line that only says how long ago; ``body_start``, the
    text's first line, lets a date line be found anywhere between the headline and the text."""
    day_only: tuple[datetime, str] | None = None
    for source, value in _meta_times(tree, ld, first_paragraph):
        when = parse_date(value)
        if when is None:
            continue
        if _has_time(value):
            return when, source
        day_only = day_only or (when, source)
    visible = _visible_date(lines, anchor) or _visible_date(lines, end, below_only=True)
    if visible is None and anchor is not None and body_start is not None and body_start > anchor + DATE_LINE_REACH:
        # a long head (author box, share list, picture) between the headline and the text
        visible = _visible_date(lines, anchor, below_only=True, reach=body_start - anchor)
    if day_only:
        if visible and visible.value.date() == day_only[0].date():
            return visible.value, "visible"
        return day_only
    if visible and visible.precision == "minute":
        return visible.value, "visible"
    age = _visible_age(lines, anchor, reference)  # to the minute: beats a day alone (a header's "today")
    if age:
        return age, "visible-age"
    if visible:
        return visible.value, "visible"
    if callable(fallback):  # trafilatura's date, only read when nothing above gave one
        fallback = fallback()
    when = parse_date(fallback) if fallback else None
    return when, "trafilatura" if when else "none"


# ---------------------------------------------------------------- title and outlet
def _clean_logo_alt(alt: str) -> str | None:
    """The outlet a logo's ``alt`` names ("شعار صحيفة الوادي" → "صحيفة الوادي")."""
    words = alt.split()
    marks = langdata.word_list("logo_words.txt")
    for phrase in sorted(marks, key=len, reverse=True):
        n = len(phrase.split())
        if len(words) > n and folded_phrase(" ".join(words[:n])) == phrase:
            words = words[n:]
        parts = _TITLE_SEPARATORS.split(" ".join(words))
        if len(parts) > 1 and folded_phrase(parts[-1]) == phrase:
            words = " ".join(parts[:-1]).split()
    name = " ".join(words).strip(" -|")
    if not name or len(name.split()) > MAX_TITLE_PART_WORDS or folded_phrase(name) in marks:
        return None
    return name


_HOME_LINKS = ("/", "./", "index.html", "index.php", "default.asp", "index.asp")


def logo_outlet(tree: HtmlElement) -> str | None:
    """The ``alt`` of the page's logo: an image in a link to the home page, or named logo, near the
    top; else the name a text logo writes (``_text_logo``)."""
    body = tree.find(".//body")
    if body is None:
        return None
    for i, img in enumerate(body.iter("img", "amp-img")):
        if i > 12:
            break
        alt = (img.get("alt") or "").strip()
        if not alt:
            continue
        hints = " ".join(filter(None, [img.get("src"), img.get("class"), img.get("id")])).lower()
        link = next((a for a in img.iterancestors("a")), None)
        home = link is not None and (link.get("href") or "").strip() in _HOME_LINKS
        if "logo" in hints or home:
            name = _clean_logo_alt(alt)
            if name:
                return name
    return _text_logo(body)


_LOGO_HINT = re.compile(r"logo|site-?(?:name|title)|brand|masthead", re.I)


def _text_logo(body: HtmlElement) -> str | None:
    """The outlet's name written as text at the top (no image): the text of a link to the home
    page marked ``rel="home"``, in an ``<h1>`` or in an element whose class or id says logo, site
    name or title, or brand."""
    for i, link in enumerate(body.iter("a")):
        if i > 20:
            break
        if (link.get("href") or "").strip() not in _HOME_LINKS or link.find(".//img") is not None:
            continue
        marked = [link, *list(link.iterancestors())[:2]]
        if "home" in (link.get("rel") or "").split() or any(n.tag == "h1" or _LOGO_HINT.search(f"{n.get('class', '')} {n.get('id', '')}")
                                            for n in marked):
            name = _clean_logo_alt(" ".join(link.text_content().split()))
            if name:
                return name
    return None


def rights_outlet_of(lines: list[str]) -> str | None:
    """The outlet the page's copyright line names (the last such line: footers come last; in the
    footer a rights phrase needs no year: "جميع الحقوق محفوظة لصحيفة الوادي")."""
    for line in reversed(lines[-FOOTER_LINES:]):
        name = rights_outlet(line, need_year=False)
        if name:
            return name
    return None


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and folded_phrase(a) == folded_phrase(b)


def split_title(title: str, known_outlets: list[str], shown: set[str], headline_hint: str | None
                ) -> tuple[str, str | None]:
    """(headline, outlet part) of a ``<title>`` like "headline - outlet", "outlet | headline" or
    "headline | section | outlet"; ``shown`` holds the page's lines, folded (``folded_phrase``).

    The title is cut at its separators (" - ", " | ", " :: " …). A part naming the page's kind
    ("نسخة للطباعة") goes; an end part naming an outlet found elsewhere on the page is the outlet.
    Of the rest, the headline is: all of it when the page prints it on a line of its own (or it
    is ``headline_hint``); else the longest span of parts the page prints as a line (a section's
    name beside it goes too); else, the outlet known, all of the rest; else, with a short end
    part left that no other clue named, the other parts (the short one is the outlet).
    """
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    kinds = langdata.word_list("title_words.txt")
    while len(parts) > 1 and folded_phrase(parts[-1]) in kinds:
        parts = parts[:-1]
    while len(parts) > 1 and folded_phrase(parts[0]) in kinds:
        parts = parts[1:]
    hint = folded_phrase(headline_hint) if headline_hint else None

    def printed(span: list[str]) -> bool:
        text = folded_phrase(_join_parts(title, span))
        return text in shown or text == hint

    if len(parts) < 2 or printed(parts):
        return _join_parts(title, parts), None
    outlet, parts = next(((end, rest) for known in known_outlets
                          for end, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])) if _names(end, known)),
                         (None, parts))
    if outlet is not None and printed(parts):
        return _join_parts(title, parts), outlet
    spans = [parts[i:j] for i in range(len(parts)) for j in range(i + 1, len(parts) + 1) if j - i < len(parts)]
    seen = [span for span in spans if printed(span)]
    if seen:
        best = max(seen, key=lambda span: len(_join_parts(title, span)))
        if outlet is not None:
            return _join_parts(title, best), outlet
        rest = [p for p in parts if p not in best]
        end = rest[-1] if parts[-1] not in best else rest[0] if rest and parts[0] not in best else None
        return _join_parts(title, best), end if end and len(end.split()) <= MAX_TITLE_PART_WORDS else None
    if outlet is not None:
        return _join_parts(title, parts), outlet
    for end, rest in sorted(((parts[-1], parts[:-1]), (parts[0], parts[1:])), key=lambda s: len(s[0])):
        if len(end.split()) <= MAX_TITLE_PART_WORDS and len(end) < len(_join_parts(title, rest)):
            return _join_parts(title, rest), end
    return _join_parts(title, parts), None


def _names(part: str, outlet: str) -> bool:
    """The title part names the outlet: the same, or the outlet's name with a few words more."""
    return _same(part, outlet) or (folded_phrase(outlet) in folded_phrase(part)
                                    and len(part.split()) <= MAX_TITLE_PART_WORDS)


def _join_parts(title: str, parts: list[str]) -> str:
    """The span of ``title`` from the first to the last of ``parts`` (its own separators kept)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " ".join(parts)


def _first_text(tree: HtmlElement, tag: str, not_named: Collection[str] = ()) -> str | None:
    """The text of the first ``tag`` element that has text and names none of ``not_named``
    (an old portal's ``<h1>`` holds the site's name, its headline an ``<h2>`` further down)."""
    for el in tree.iter(tag):
        text = " ".join(el.text_content().split())
        if text and not any(_same(text, name) for name in not_named):
            return text
    return None


# ---------------------------------------------------------------- the body's head
@lru_cache(maxsize=4096)
def _folded_line(line: str) -> str:
    """``folded_phrase`` of a page line, kept: a page's lines are looked through several times."""
    return folded_phrase(line)


def _find_line(lines: list[str], text: str | None, stop: int | None = None) -> int | None:
    if not text:
        return None
    want = folded_phrase(text)
    for i, line in enumerate(lines[:stop]):
        if _folded_line(line) == want:
            return i
    return None


def _drop_head(lines: list[str], title: str | None) -> list[str]:
    """The extracted lines without the headline and what stands above it when no running text
    does (section labels, menus, a ticker, the date line, a byline), nor the date lines or
    byline right after it."""
    at = _find_line(lines, title, MAX_HEAD_LINES)
    if at is not None and all(not is_prose(line) or is_headline(line) or _is_date_or_byline(line)
                              for line in lines[:at]):
        lines = lines[at + 1:]
    while lines and _is_date_or_byline(lines[0]):
        lines = lines[1:]
    return lines


def _is_date_or_byline(line: str) -> bool:
    """A short line that states a date ("نشر في …", "بقلم … | 20 مايو 2018", a row "writer | city |
    date | counters") or only names a writer."""
    if _date_part(line) is not None:
        return True
    words = folded_phrase(line).split()
    return bool(words) and words[0] in langdata.word_list("byline_words.txt") and len(words) <= MAX_BYLINE_WORDS


def _headline_above(lines: list[str], links: list[int], text: str, known: list[str],
                    headings: Collection[str] = ()) -> str | None:
    """The headline-shaped line (3 words or more, no date, no outlet's name, no furniture) nearest
    above the first paragraph of ``text`` among the page's ``lines``, not a row of links (``links``
    per line: a share bar or menu has several), one of the page's ``headings`` (folded texts of
    ``<h2>``…``<h4>``) first: for a page with no usable ``<title>`` nor ``<h1>``. (A body may open
    with a short question of its own above its first long paragraph; the headline's tag tells.)"""
    first = next((ln.strip() for ln in text.split("\n")  # a paragraph: ends with a full stop, or is long
                  if is_prose(ln.strip()) and (ln.strip()[-1:] == "." or len(ln.split()) > MAX_LEAD_TITLE_WORDS)),
                 None)
    at = _find_line(lines, first)
    if at is None:
        return None
    shaped = [lines[i] for i in range(at - 1, max(-1, at - DATE_LINE_REACH - 1), -1)
              if 3 <= len(lines[i].split()) <= MAX_TITLE_WORDS and lines[i][-1:] not in ".:،," and links[i] < 2
              and not _is_date_or_byline(lines[i]) and classify_line(lines[i]) in (Kind.SHORT, Kind.PROSE)
              and not any(_same(lines[i], k) for k in known)]
    return next((line for line in shaped if folded_phrase(line) in headings), shaped[0] if shaped else None)


def _lead_above(lines: list[str], links: list[int], body: str, title: str | None) -> list[str]:
    """Running text the page prints between the headline and the body's first paragraph and the
    body lacks: a lead set apart in bold above the body's container, which the extractor leaves
    out. Not a date line or byline, not a row of links, not headline-shaped."""
    first = next((ln for ln in body.split("\n") if ln.strip()), None)
    start = _find_line(lines, first)
    top = _find_line(lines, title, start)
    if top is None or start is None or start <= top + 1:
        return []
    have = _squashed(body)
    return [line for line, n_links in zip(lines[top + 1:start], links[top + 1:start])
            if n_links < 2 and classify_line(line) is Kind.PROSE and not is_headline(line)
            and _date_part(line) is None and _squashed(line) not in have]


def _body(text: str, title: str | None) -> str:
    """The article's text: the extracted lines without the head, furniture filtered out."""
    lines = _drop_head([ln.strip() for ln in text.split("\n") if ln.strip()], title)
    return clean_body("\n\n".join(lines))


# ---------------------------------------------------------------- the whole page
FOCUS = "balanced"  # trafilatura's setting for the main text; see benchmarks/pages.py --focus
_FOCUS_SETTINGS = {"balanced": {}, "precision": {"favor_precision": True}, "recall": {"favor_recall": True}}


def read_webpage(html: str, url: str | None = None, focus: str = FOCUS,
                 reference: datetime | None = None) -> WebPage | None:
    """Main text and fields of one HTML page (see the module doc); None when it has no text at all.

    ``focus`` is trafilatura's setting for the main text: balanced (chosen on the page set),
    precision or recall. ``reference`` is when the page was fetched (a crawl's date): a page
    that only says "منذ 3 ساعات" is dated from it.
    """
    tree = load_html(html)
    if tree is None:
        return None
    ld = _json_ld(tree)
    lines, links = page_lines(tree)
    work = drop_cross_links(paragraphs_from_text_divs(paragraphs_from_breaks(unroll_layout_tables(copy(tree)))))
    text = _extract(work, url, **_FOCUS_SETTINGS[focus])
    meta = TrafilaturaMeta(work, url)
    page = WebPage(url=url or meta.url)
    # outlet clues, in order of trust
    og_site = next((v for _, v in _attr_values(tree, {"og:site_name"})), None)
    publisher = next((_text_of(o.get("publisher")) for o in ld if _text_of(o.get("publisher"))), None)
    logo = logo_outlet(tree)
    rights = rights_outlet_of(lines)
    known = [o for o in (og_site, publisher, logo, rights) if o]
    shown = {_folded_line(line) for line in lines if len(line) < MAX_SHOWN_CHARS}  # lines a headline could be
    # title
    og_title = next((v for _, v in _attr_values(tree, {"og:title", "twitter:title"})), None)
    ld_title = next((_text_of(o.get("headline")) for o in ld if _text_of(o.get("headline"))), None)
    title_tag = _first_text(tree, "title")
    h1 = _first_text(tree.find(".//body") if tree.find(".//body") is not None else tree, "h1", known)
    title, source = None, "none"
    for name, value in (("og:title", og_title), ("json-ld", ld_title), ("title", title_tag)):
        if not value:
            continue
        head, _ = split_title(value, known, shown, h1)  # "headline - outlet" in og:title too
        if head and not any(_same(head, k) for k in known):  # a <title> naming only the site
            title, source = head, name
            break
    if title is None and h1:
        title, source = h1, "h1"
    if title is None:
        headings = {folded_phrase(" ".join(h.text_content().split())) for h in tree.iter("h2", "h3", "h4")}
        title, source = _headline_above(lines, links, text, known, headings), "page"
    if title is None and meta.title:
        title, source = meta.title, "trafilatura"
    title_outlet = split_title(title_tag, known, shown, title)[1] if title_tag else None
    if title and title_outlet and _same(title, title_outlet):
        title_outlet = None
    page.title = " ".join(title.split()) if title else None
    page.sources["title"] = source
    title_domain = title_outlet if title_outlet and _DOMAIN.fullmatch(title_outlet) else None
    title_name = None if title_domain else title_outlet
    for name, value in (("og:site_name", og_site), ("json-ld", publisher), ("title", title_name),
                        ("logo", logo), ("rights", rights), ("title", title_domain)):
        if value:
            page.outlet, page.sources["outlet"] = value, name
            break
    # body
    page.body = _body(text, page.title)
    if len(page.body) < MIN_RICH_CHARS:
        richer = _richer(tree, url, text)
        if richer is not text:
            page.body = _body(richer, page.title)
    lead = _lead_above(lines, links, page.body, page.title)
    if lead:
        page.body = "\n\n".join([*lead, page.body])
    # published
    first = next((ln for ln in page.body.split("\n") if ln.strip()), None)
    anchor = _find_line(lines, page.title)
    if anchor is None:
        anchor = _find_line(lines, first)
    last = next((ln for ln in reversed(page.body.split("\n")) if ln.strip()), None)
    end = _find_line(lines, last)
    page.published, page.sources["published"] = published_time(tree, ld, lines, anchor, meta.date, first,
                                                                end, reference, _find_line(lines, first))
    for t in meta.tags + meta.categories:
        page.tags.extend(split_tags(t, page.body))
    page.tags = list(dict.fromkeys(page.tags))
    return page


__all__ = ["WebPage", "read_webpage", "unroll_layout_tables", "page_lines", "split_title", "published_time"]
