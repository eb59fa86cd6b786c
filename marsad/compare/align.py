"""Sentence alignment across the articles of a story: copied passages, same claims, only-here sentences.

Reads article dicts as ``queries.show_story`` gives them (``id``, ``outlet``,
``published``, ``body``); every span it reports carries offsets into that
article's stored body (``body[start:end] == text``). Articles of the same
outlet are not compared with each other: "only here" means "in no other outlet".
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from ..langdata import attribution_phrases
from ..normalize import strip_definite
from ..settings import CompareSettings
from .claims import Encoder, content_keys, encoder_for, overlap_bonus, similarity
from .passages import find_passages, group_passages
from .text import Sentence, Token, full_sentences, split_sentences, tokens
from .timeline import published_order


def _outlet_key(a: dict[str, Any]) -> str:
    return a.get("outlet") or f"?{a['id']}"


def _order_key(a: dict[str, Any]) -> tuple[bool, float]:
    return published_order(a.get("published"))


def _bare(word: str) -> str:
    """A folded word without a leading و/ف and the article: "وحسب" → "حسب", "البيان" → "بيان"."""
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    return strip_definite(word)


@cache
def _attribution_index() -> dict[str, list[tuple[str, list[str]]]]:
    """Attribution phrases by their first (bare) word."""
    index: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for kind, phrase in attribution_phrases():
        words = [_bare(w) for w in phrase]
        index[words[0]].append((kind, words))
    return index


def find_attribution(toks: Sequence[Token], start: int, end: int, anchor: int) -> tuple[str, int, int] | None:
    """The attribution phrase in [start, end) nearest before ``anchor`` (else the first after it).

    Returns (kind, start, end) in characters, or None.
    """
    starts = [t.start for t in toks]
    window = [t for t in toks[bisect_left(starts, start):bisect_left(starts, end)] if t.end <= end]
    bare = [_bare(t.key) for t in window]
    index = _attribution_index()
    found: list[tuple[str, int, int]] = []
    for i, w in enumerate(bare):
        for kind, p in index.get(w, ()):
            if bare[i:i + len(p)] == p:
                found.append((kind, window[i].start, window[i + len(p) - 1].end))
    if not found:
        return None
    before = [f for f in found if f[1] < anchor]
    if before:
        return max(before, key=lambda f: (f[1], f[2] - f[1]))
    return min(found, key=lambda f: (f[1], -(f[2] - f[1])))


REPEAT_SHARE = 0.6  # share of word trigrams an only-here sentence shares with its outlet's earlier one
MIN_PAIRS_FOR_STORY_THRESHOLD = 300  # fewer cross-outlet sentence pairs give no stable mean and spread


class StoryAligner:
    """Aligns the sentences of a story's articles; one public method, ``align``."""

    def __init__(self, settings: CompareSettings | None = None, encoder: Encoder | None = None) -> None:
        self.settings = settings or CompareSettings()
        self.encoder = encoder

    def align(self, articles: list[dict[str, Any]]) -> dict[str, Any]:
        """Copied passages, same claims and only-here sentences of ``articles`` (dicts with bodies)."""
        st = self.settings
        arts = sorted((a for a in articles if (a.get("body") or "").strip()), key=_order_key)
        by_id = {a["id"]: a for a in arts}
        toks = {a["id"]: tokens(a["body"]) for a in arts}
        units = {a["id"]: split_sentences(a["body"], a["id"], st.min_clause_words, toks[a["id"]]) for a in arts}
        pairs = [(x["id"], y["id"]) for n, x in enumerate(arts) for y in arts[n + 1:]
                 if _outlet_key(x) != _outlet_key(y)]

        copied = self._copied(by_id, toks, pairs)
        covered = self._coverage(toks, units, copied)
        all_units = [u for a in arts for u in units[a["id"]] if u.n_words >= st.min_claim_words]
        n_words = sum(len(t) for t in toks.values())
        encoder = self.encoder or encoder_for(n_words, st.encoder, st.use_max_words)
        threshold = st.same_claim_min_score_use if encoder.name.startswith("use") else st.same_claim_min_score_tfidf
        unit_words = {}
        for aid, us in units.items():
            starts = [t.start for t in toks[aid]]
            for u in us:
                unit_words[(aid, u.index)] = [t.key for t in toks[aid][bisect_left(starts, u.start):
                                                                       bisect_left(starts, u.end)]]
        claims, best, threshold = (self._claims(by_id, all_units, covered, encoder, threshold, unit_words)
                                   if pairs else ([], {}, threshold))
        linked = {(s["article"], s["start"]) for g in claims for s in g["spans"]}
        only_here = []
        if pairs:
            for a in arts:
                for u in units[a["id"]]:
                    if (u.n_words >= st.min_only_here_words and covered.get((u.article, u.index), 0.0)
                            < st.copied_unit_share and (u.article, u.start) not in linked
                            and best.get((u.article, u.index), 0.0) < threshold - st.only_here_margin):
                        only_here.append(_span(u))
            self._mark_repeats(arts, only_here, unit_words, units)
        return {"articles": [a["id"] for a in arts], "compared_pairs": len(pairs), "encoder": encoder.name,
                "same_claim_threshold": round(threshold, 3),
                "copied_passages": copied, "same_claims": claims, "only_here": only_here,
                "units": units, "tokens": toks}

    def _mark_repeats(self, arts: list[dict[str, Any]], only_here: list[dict[str, Any]],
                      unit_words: dict[tuple[str, int], list[str]], units: dict[str, list[Sentence]]) -> None:
        """Give an only-here sentence ``also_in``: earlier articles of the same outlet that repeat it.

        An outlet's update of its own story repeats its sentences; the report shows them once.
        """
        def trigrams(ws: list[str]) -> set[tuple[str, ...]]:
            return {tuple(ws[i:i + 3]) for i in range(len(ws) - 2)} or {tuple(ws)}

        earlier: dict[str, list[tuple[str, set[tuple[str, ...]]]]] = defaultdict(list)
        index = {(u.article, u.start): u.index for us in units.values() for u in us}
        for a in arts:
            key = _outlet_key(a)
            mine = [s for s in only_here if s["article"] == a["id"]]
            for s in mine:
                grams = trigrams(unit_words[(a["id"], index[(a["id"], s["start"])])])
                also = sorted({aid for aid, g in earlier[key]
                               if len(grams & g) >= REPEAT_SHARE * min(len(grams), len(g))})
                if also:
                    s["also_in"] = also
            for u in units[a["id"]]:
                earlier[key].append((a["id"], trigrams(unit_words[(a["id"], u.index)])))

    # -- copied passages ---------------------------------------------------------------
    def _copied(self, by_id: dict[str, dict[str, Any]], toks: dict[str, Sequence[Token]],
                pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
        st = self.settings
        passages = find_passages(toks, pairs, st.copied_min_words, st.copied_max_gap_words)
        order = {aid: n for n, aid in enumerate(by_id)}
        sentences = {aid: full_sentences(a["body"], toks[aid]) for aid, a in by_id.items()}
        groups = []
        for g in group_passages(passages):
            spans = []
            for art in sorted(g, key=order.__getitem__):
                body, tk = by_id[art]["body"], toks[art]
                for s, e in g[art]:
                    start, end = tk[s].start, tk[e - 1].end
                    spans.append({"article": art, "start": start, "end": end, "text": body[start:end],
                                  "words": e - s})
            groups.append({"spans": spans, "source": self._source(by_id, toks, sentences, spans)})
        groups.sort(key=lambda g: (-max(s["words"] for s in g["spans"]), order[g["spans"][0]["article"]],
                                   g["spans"][0]["start"]))
        return groups

    def _source(self, by_id: dict[str, dict[str, Any]], toks: dict[str, Sequence[Token]],
                sentences: dict[str, list[tuple[int, int]]], spans: list[dict[str, Any]]) -> dict[str, Any]:
        """What a copied passage is attributed to in the text, else the article that published it first."""
        attributions = []
        for s in spans:
            body = by_id[s["article"]]["body"]
            sents = sentences[s["article"]]
            first = next((n for n, (a, b) in enumerate(sents) if b > s["start"]), 0)
            last = next((n for n, (a, b) in enumerate(sents) if b >= s["end"]), len(sents) - 1)
            lo = sents[first][0] if sents else 0
            hi = sents[last][1] if sents else len(body)
            found = find_attribution(toks[s["article"]], lo, hi, s["start"])
            if not found and first > 0:  # "وقال البيان:" often stands in the sentence before the quote
                found = find_attribution(toks[s["article"]], sents[first - 1][0], sents[first - 1][1], s["start"])
            if found:
                kind, a, b = found
                clause_end = min([i for i in (body.find(c, b) for c in "،,.\n:؛") if i >= 0] + [hi, b + 60])
                attributions.append({"article": s["article"], "kind": kind, "start": a, "end": clause_end,
                                     "text": body[a:clause_end]})
        first_article = spans[0]["article"]  # spans come in publication order
        if attributions:
            kinds = [x["kind"] for x in attributions]
            return {"type": max(set(kinds), key=kinds.count), "attributions": attributions,
                    "first_article": first_article}
        return {"type": "first_published", "article": first_article,
                "published": by_id[first_article].get("published")}

    def _coverage(self, toks: dict[str, Sequence[Token]], units: dict[str, list[Sentence]],
                  copied: list[dict[str, Any]]) -> dict[tuple[str, int], float]:
        """Share of each unit's words inside a copied passage."""
        spans = defaultdict(list)
        for g in copied:
            for s in g["spans"]:
                spans[s["article"]].append((s["start"], s["end"]))
        out: dict[tuple[str, int], float] = {}
        for art, us in units.items():
            if not spans[art]:
                continue
            starts = [t.start for t in toks[art]]
            inside = [any(s <= t.start and t.end <= e for s, e in spans[art]) for t in toks[art]]
            for u in us:
                lo, hi = bisect_left(starts, u.start), bisect_left(starts, u.end)
                if hi > lo:
                    out[(art, u.index)] = sum(inside[lo:hi]) / (hi - lo)
        return out

    # -- same claims -------------------------------------------------------------------
    def _claims(self, by_id: dict[str, dict[str, Any]], all_units: list[Sentence],
                covered: dict[tuple[str, int], float], encoder: Encoder, threshold: float,
                unit_words: dict[tuple[str, int], list[str]]) -> tuple[list[dict[str, Any]], dict[tuple[str, int], float], float]:
        """Same-claim groups, each unit's best cross-outlet score, and the threshold used.

        The threshold is the larger of the encoder's fixed one and mean + ``same_claim_z``
        standard deviations of the story's cross-outlet similarities: in a story where every
        sentence names the same two clubs, sentence vectors are close by default.
        """
        st = self.settings
        if not all_units:
            return [], {}, threshold
        folded = [unit_words[(u.article, u.index)] for u in all_units]
        sim = similarity(encoder.encode([u.text for u in all_units], folded))
        keys = [content_keys(w) for w in folded]
        outlet = np.array([hash(_outlet_key(by_id[u.article])) for u in all_units])
        art_of = [u.article for u in all_units]
        cross = outlet[:, None] != outlet[None, :]
        if cross.sum() >= MIN_PAIRS_FOR_STORY_THRESHOLD:
            values = sim[cross]
            threshold = max(threshold, float(values.mean() + st.same_claim_z * values.std()))
        # the bonus only matters near the threshold: compute it where the vectors are close enough
        close = np.array(sim, dtype=np.float64)
        ii, jj = np.nonzero(close >= threshold - 0.2)
        for i, j in zip(ii.tolist(), jj.tolist()):
            if i < j:
                b = overlap_bonus(keys[i], keys[j])
                close[i, j] += b
                close[j, i] += b
        score = np.where(cross, close, -1.0)
        best = {(u.article, u.index): float(score[n].max()) for n, u in enumerate(all_units)}
        # a pair both of whose sentences are copied is linked by its copied passage already: it is not
        # a same claim, and it must not hide the sentence that says the same in other words (a wire
        # sentence copied by an outlet that also restates it elsewhere in its own words)
        copied = np.array([covered.get((u.article, u.index), 0.0) >= st.copied_unit_share for u in all_units])
        link = np.where(copied[:, None] & copied[None, :], -1.0, score)
        index_of_article = defaultdict(list)
        for n, a in enumerate(art_of):
            index_of_article[a].append(n)
        links = []
        for i in range(len(all_units)):
            for other, idx in index_of_article.items():
                if other == art_of[i] or not cross[i, idx[0]]:
                    continue
                j = idx[int(link[i, idx].argmax())]
                if link[i, j] < threshold - st.same_claim_clear_below or j < i:
                    continue
                back = index_of_article[art_of[i]]
                if back[int(link[j, back].argmax())] != i:
                    continue  # not mutual best: i is not j's counterpart in i's article
                if link[i, j] < threshold and link[i, j] - max(_second(link[i, idx]), _second(link[j, back])) \
                        < st.same_claim_clear_gap:
                    continue  # a little below the threshold only when no other sentence comes close
                links.append((float(link[i, j]), i, j))
        # strongest links first; two groups join only if no article would then hold two of its sentences
        group_of = list(range(len(all_units)))
        members: dict[int, list[int]] = {n: [n] for n in range(len(all_units))}
        best_score: dict[int, float] = {}
        for sc, i, j in sorted(links, reverse=True):
            gi, gj = group_of[i], group_of[j]
            if gi == gj:
                continue
            if {art_of[n] for n in members[gi]} & {art_of[n] for n in members[gj]}:
                continue
            if close[np.ix_(members[gi], members[gj])].min() < threshold - st.same_claim_group_slack:
                continue  # every pair of a group must be close, not just a chain of neighbours (two
                # articles of one outlet are not linked, but their sentences in one group must be close too)
            for n in members[gj]:
                group_of[n] = gi
            members[gi] += members.pop(gj)
            best_score[gi] = max(sc, best_score.pop(gj, sc), best_score.get(gi, sc))
        groups = {g: m for g, m in members.items() if len(m) > 1}
        order = {aid: n for n, aid in enumerate(by_id)}
        out = []
        for root, ms in groups.items():
            ms.sort(key=lambda n: (order[art_of[n]], all_units[n].start))
            out.append({"spans": [_span(all_units[n]) for n in ms], "score": round(min(best_score[root], 1.0), 3)})
        out.sort(key=lambda g: -g["score"])
        return out, best, threshold


def _second(row: np.ndarray) -> float:
    """The second highest value of ``row`` (0 when it has one)."""
    return float(np.partition(row, -2)[-2]) if len(row) > 1 else 0.0


def _span(u: Sentence) -> dict[str, Any]:
    return {"article": u.article, "start": u.start, "end": u.end, "text": u.text}
