"""Copied passages: text shared verbatim or nearly so by articles of different outlets.

Each body is a list of folded words (``text.tokens``). Runs of shared word
trigrams between two articles are chained when the gaps between them are small
on both sides (an edit such as "إضافة إلى مناقشة" / "إضافةً لمناقشة" leaves a gap of
one or two words), and a chain with at least ``min_words`` shared words is a
copied passage. Passages that overlap in one article are joined across pairs, so
a wire text copied by three outlets is one group with three spans.

Written by hand rather than with ``difflib``: SequenceMatcher finds one
alignment per pair and is quadratic on repetitive text; shingle seeds on
diagonals find every shared passage in near-linear time per pair.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .text import Token

SHINGLE_WORDS = 3
MAX_SHINGLE_REPEATS = 4  # a trigram repeated more often in one article is formulaic, not a seed


@dataclass
class Passage:
    """One shared passage between two articles, in word indices (end exclusive)."""

    a: str
    a_start: int
    a_end: int
    b: str
    b_start: int
    b_end: int
    matched: int  # words matched exactly inside the spans


def _shingles(toks: Sequence[Token], k: int = SHINGLE_WORDS) -> dict[tuple[str, ...], list[int]]:
    out: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(toks) - k + 1):
        out[tuple(t.key for t in toks[i:i + k])].append(i)
    return {s: p for s, p in out.items() if len(p) <= MAX_SHINGLE_REPEATS}


def _runs(sa: dict[tuple[str, ...], list[int]], sb: dict[tuple[str, ...], list[int]],
          k: int = SHINGLE_WORDS) -> list[list[int]]:
    """Maximal runs of shared shingles on one diagonal: [a_start, a_end, b_start, b_end]."""
    seeds = sorted((i - j, i, j) for s, pa in sa.items() if s in sb for i in pa for j in sb[s])
    runs: list[list[int]] = []
    for d, i, j in seeds:
        if runs and runs[-1][0] - runs[-1][2] == d and runs[-1][1] >= i + k - 1 and runs[-1][1] <= i + k:
            runs[-1][1] = i + k
            runs[-1][3] = j + k
        else:
            runs.append([i, i + k, j, j + k])
    return runs


def _chain(runs: list[list[int]], max_gap_words: int) -> list[tuple[list[int], int]]:
    """Join runs that follow each other in both articles with small gaps: (span, matched words)."""
    runs = sorted(runs, key=lambda r: (r[0], r[2]))
    chains: list[tuple[list[int], int]] = []
    for r in runs:
        if chains:
            c, m = chains[-1]
            ga, gb = r[0] - c[1], r[2] - c[3]
            if -SHINGLE_WORDS < ga <= max_gap_words and -SHINGLE_WORDS < gb <= max_gap_words:
                new = max(0, r[1] - max(r[0], c[1]))
                chains[-1] = ([c[0], max(c[1], r[1]), c[2], max(c[3], r[3])], m + new)
                continue
            if r[0] < c[1]:  # overlaps the chain in A on another diagonal: a repeat, keep the longer
                if r[1] - r[0] > c[1] - c[0]:
                    chains[-1] = (list(r), r[1] - r[0])
                continue
        chains.append((list(r), r[1] - r[0]))
    return chains


def find_passages(toks: dict[str, Sequence[Token]], pairs: list[tuple[str, str]], min_words: int = 8,
                  max_gap_words: int = 3) -> list[Passage]:
    """Copied passages between each pair of articles (ids into ``toks``)."""
    shingles = {a: _shingles(t) for a, t in toks.items()}
    out: list[Passage] = []
    for a, b in pairs:
        for (a0, a1, b0, b1), matched in _chain(_runs(shingles[a], shingles[b]), max_gap_words):
            if matched >= min_words:
                out.append(Passage(a, a0, a1, b, b0, b1, matched))
    return out


def group_passages(passages: list[Passage]) -> list[dict[str, list[tuple[int, int]]]]:
    """Join passages that cover the same text in some article (overlapping by at least half of the
    shorter one: a wire text copied by three outlets is one group, but two passages that only touch
    inside a third article's long span are not chained into one): article → word spans."""
    nodes: list[tuple[str, int, int]] = []
    parent: list[int] = []

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        parent[find(x)] = find(y)

    for p in passages:
        nodes += [(p.a, p.a_start, p.a_end), (p.b, p.b_start, p.b_end)]
        parent += [len(parent), len(parent) + 1]
        union(len(parent) - 2, len(parent) - 1)
    by_article: dict[str, list[int]] = defaultdict(list)
    for n, (art, _, _) in enumerate(nodes):
        by_article[art].append(n)
    for ids in by_article.values():
        ids.sort(key=lambda n: nodes[n][1])
        for k, n in enumerate(ids):
            _, s1, e1 = nodes[n]
            for m in ids[k + 1:]:
                _, s2, e2 = nodes[m]
                if s2 >= e1:
                    break
                if 2 * (min(e1, e2) - s2) >= min(e1 - s1, e2 - s2):
                    union(n, m)
    groups: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for n, (art, s, e) in enumerate(nodes):
        groups[find(n)][art].append((s, e))
    out = []
    for g in groups.values():
        merged: dict[str, list[tuple[int, int]]] = {}
        for art, spans in g.items():
            spans.sort()
            m: list[list[int]] = []
            for s, e in spans:
                if m and s <= m[-1][1]:
                    m[-1][1] = max(m[-1][1], e)
                else:
                    m.append([s, e])
            merged[art] = [(s, e) for s, e in m]
        out.append(merged)
    return out
