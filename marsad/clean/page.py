"""Fields of a scraped Arabic news page: title, outlet, date, tags and the clean body.

``read_text_page`` works on the plain text of a page (what a scraper saved, or
what an HTML extractor returned) using the line kinds of ``boilerplate.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..normalize import fold_for_match, strip_definite, folded_phrase
from .boilerplate import Kind, classify_line, dateline_outlet, rights_outlet, source_value
from .dates import parse_date

MAX_TITLE_WORDS = 25
MAX_TAG_LINE_WORDS = 6  # a tag block written one tag per line has lines this short
MAX_HEADLINE_WORDS = 16    # a related-headline line is at most this long
MIN_HEADLINE_RUN = 3       # this many headline-like lines in a row are a related-news list

_TAG_SEPARATORS = re.compile(r"\s*(?:[،,|;؛/#\t•·]|\s{2,}|\s-\s)\s*")


@dataclass
class PageFields:
    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    tags: list[str] = field(default_factory=list)
    body: str = ""
    dropped: dict[str, int] = field(default_factory=dict)  # line kind → lines removed


def split_tags(line: str, context: str = "") -> list[str]:
    """Tags from one keyword line.

    Separators (، , | tabs, double spaces) are used when present. A line of tags
    separated by single spaces is segmented: the longest run of two or more words
    that occurs in ``context`` (the page's own text) is one tag; otherwise a tag is
    a run of bare words followed by a run of definite (ال) words, the shape of an
    Arabic noun phrase or name ("العلاقات المصرية الليبية", "عبدالفتاح السيسي").
    """
    parts = [p.strip() for p in _TAG_SEPARATORS.split(line.strip()) if p.strip()]
    if len(parts) > 1:
        return parts
    tokens = line.split()
    if len(tokens) <= 2:
        return [line.strip()] if line.strip() else []
    ctx = " " + folded_phrase(context) + " "
    folded = [folded_phrase(t) for t in tokens]
    tags: list[str] = []
    i = 0
    while i < len(tokens):
        best = 0
        for j in range(len(tokens), i + 1, -1):
            if f" {' '.join(folded[i:j])} " in ctx:
                best = j
                break
        if not best:
            j = i
            while j < len(tokens) and not _definite(folded[j]):
                j += 1
            while j < len(tokens) and _definite(folded[j]):
                j += 1
            best = max(j, i + 1)
        tags.append(" ".join(tokens[i:best]))
        i = best
    return tags


def _definite(folded_word: str) -> bool:
    return strip_definite(folded_word) != folded_word


def read_text_page(text: str) -> PageFields:
    """Title, outlet, date, tags and body of the plain text of one page."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kinds = _mark_headline_runs(lines, [classify_line(ln) for ln in lines])
    out = PageFields()
    drop = [False] * len(lines)

    def dropped(i: int, why: str) -> None:
        drop[i] = True
        out.dropped[why] = out.dropped.get(why, 0) + 1

    i = 0
    tag_lines: list[str] = []
    rights = None
    while i < len(lines):
        kind = kinds[i]
        if kind is Kind.COMMENTS and any(k is Kind.PROSE for k in kinds[:i]):
            for j in range(i, len(lines)):  # readers' comments: the article has ended
                dropped(j, "comments")
            break
        if kind in (Kind.JUNK, Kind.DROP, Kind.COMMENTS):
            dropped(i, kind.value)
        elif kind is Kind.RIGHTS:
            rights = rights or rights_outlet(lines[i])
            dropped(i, "rights")
        elif kind is Kind.SOURCE:
            out.outlet = out.outlet or source_value(lines[i])
            dropped(i, "source")
        elif kind is Kind.DATELINE:
            out.outlet = out.outlet or dateline_outlet(lines[i])
            dropped(i, "dateline")
        elif kind is Kind.DATE and not any(k is Kind.PROSE for k in kinds[:i]) or (
                kind is Kind.DATE and out.published is None):
            out.published = out.published or parse_date(lines[i])
            dropped(i, "date")
        elif kind is Kind.RELATED:
            dropped(i, "related")
            j = i + 1
            while j < len(lines) and not _ends_paragraph(lines[j], kinds[j]):
                dropped(j, "related")
                j += 1
            i = j
            continue
        elif kind is Kind.KEYWORDS:
            dropped(i, "keywords")
            j = i + 1
            while j < len(lines) and kinds[j] is Kind.BLANK:
                j += 1
            while j < len(lines) and kinds[j] not in (Kind.BLANK, Kind.PROSE, Kind.RELATED):
                tag_lines.append(lines[j])
                dropped(j, "keywords")
                j += 1
            i = j
            continue
        i += 1

    for i, kind in enumerate(kinds):
        # the title: the first remaining line, when it is shaped like a headline
        if drop[i] or kind not in (Kind.SHORT, Kind.PROSE):
            continue
        if len(lines[i].split()) <= MAX_TITLE_WORDS and lines[i].rstrip()[-1:] not in ".:،,":
            out.title = lines[i]
            drop[i] = True
        break
    prose = [i for i, k in enumerate(kinds) if k is Kind.PROSE and not drop[i]]
    if prose:
        kept = [lines[i] for i in range(prose[0], prose[-1] + 1) if not drop[i] and lines[i]]
        out.body = "\n\n".join(kept)
    out.outlet = out.outlet or rights
    context = " ".join([out.title or "", out.body])
    for line in tag_lines:
        if len(tag_lines) > 1 and len(line.split()) <= MAX_TAG_LINE_WORDS and not _TAG_SEPARATORS.search(line):
            out.tags.append(line)
        else:
            out.tags.extend(split_tags(line, context))
    return out


def clean_body(text: str) -> str:
    """Remove furniture from an already extracted body (JSONL exports, HTML extractor output).

    Only what is furniture wherever it stands goes: junk tokens, share prompts,
    copyright lines, keyword blocks, related-news sections with their headline runs
    (a header straight over running text stays), and readers' comments (a comments
    header after the text ends it). Line structure is kept.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    kinds = [classify_line(ln.strip()) for ln in lines]
    kept: list[str] = []
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind is Kind.COMMENTS and any(k is Kind.PROSE for k in kinds[:i]):
            break
        if kind in (Kind.RELATED, Kind.KEYWORDS):
            j = i + 1
            while j < len(lines) and kinds[j] not in (Kind.PROSE, Kind.COMMENTS):
                j += 1
            if j < len(lines) and kinds[j] is Kind.PROSE and all(k is Kind.BLANK for k in kinds[i + 1:j]):
                kept.append(lines[i])  # a header over running text heads no list: a line of the text
            i = j
            continue
        if kind not in (Kind.JUNK, Kind.DROP, Kind.SOURCE, Kind.RIGHTS, Kind.COMMENTS):
            kept.append(lines[i])
        i += 1
    return "\n".join(kept).strip("\n")


HEADLINE_END = ".!؟?:…"  # a headline may end in a quote or bracket, not in a full stop


def is_headline(line: str) -> bool:
    """A line shaped like a linked headline: a few words, no full stop at the end."""
    n = len(line.split())
    return 2 <= n <= MAX_HEADLINE_WORDS and line.rstrip()[-1:] not in HEADLINE_END


def _ends_paragraph(line: str, kind: Kind) -> bool:
    """A line of running text (the list of related headlines after a header ends there)."""
    return kind is Kind.PROSE and not is_headline(line)


def _mark_headline_runs(lines: list[str], kinds: list[Kind]) -> list[Kind]:
    """Mark runs of headline-like lines (blank lines between allowed) as a related-news list."""
    kinds = list(kinds)
    run: list[int] = []

    def close() -> None:
        if len(run) >= MIN_HEADLINE_RUN:
            for k in run:
                kinds[k] = Kind.RELATED
        run.clear()

    tags = ""  # after a keyword header: "await" blank lines, then the "block" of tag lines
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind is Kind.KEYWORDS:
            close()
            tags = "await"
            continue
        if kind is Kind.BLANK:
            tags = "" if tags == "block" else tags
            continue
        if tags:
            tags = "block"
            continue
        if kind in (Kind.SHORT, Kind.PROSE) and is_headline(line):
            run.append(i)
        else:
            close()
    close()
    return kinds


__all__ = ["PageFields", "read_text_page", "clean_body", "split_tags", "fold_for_match"]
