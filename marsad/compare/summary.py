"""An extractive story summary (a few sentences from all outlets, cited) and a one-line headline."""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

import numpy as np

from ..langdata import stopwords
from ..normalize import light_stem, words
from .text import full_sentences, tokens

LEAD_BONUS = 0.15          # the first two sentences of an article carry the event
MIN_SUMMARY_WORDS = 8      # shorter sentences are datelines and fragments
MAX_SUMMARY_WORDS = 60     # longer ones are run-on paragraphs


def _stems(ws: list[str]) -> str:
    stops = stopwords()
    return " ".join(light_stem(w) for w in ws if w not in stops and len(w) > 1)


def _vectors(folded: list[list[str]]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [_stems(ws) for ws in folded]
    if not any(docs):
        return None
    return TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(docs)


def summarize(articles: list[dict[str, Any]], max_sentences: int = 5, max_redundancy: float = 0.35,
              groups: list[list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """Up to ``max_sentences`` sentences that most outlets' sentences resemble, no two alike.

    Centrality: a sentence's mean cosine (tf-idf of light stems) to the sentences of
    the other articles, plus a lead bonus; chosen greedily, skipping any sentence
    more similar than ``max_redundancy`` to one already chosen. Returned in
    publication order with the article each comes from and its offsets.
    """
    cands = []
    for rank, a in enumerate(articles):
        body = a.get("body") or ""
        toks = tokens(body)
        starts = [t.start for t in toks]
        for pos, (s, e) in enumerate(full_sentences(body, toks)):
            ws = [t.key for t in toks[bisect_left(starts, s):bisect_left(starts, e)]]
            if MIN_SUMMARY_WORDS <= len(ws) <= MAX_SUMMARY_WORDS:
                cands.append((rank, pos, a["id"], s, e, body[s:e], ws))
    if not cands:
        return []
    vec = _vectors([c[6] for c in cands])
    if vec is None:
        return []
    sim = (vec @ vec.T).toarray()
    art = np.array([c[0] for c in cands])
    other = art[:, None] != art[None, :]
    n_other = other.sum(axis=1)
    central = np.where(n_other > 0, (sim * other).sum(axis=1) / np.maximum(n_other, 1), 0.0)
    score = central + np.array([LEAD_BONUS if c[1] < 2 else 0.0 for c in cands])
    member: list[set[int]] = [set() for _ in cands]
    for g, spans in enumerate(groups or []):
        for sp in spans:
            for n, c in enumerate(cands):
                if c[2] == sp["article"] and sp["start"] < c[4] and c[3] < sp["end"]:
                    member[n].add(g)
    chosen: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if len(chosen) >= max_sentences:
            break
        if any(sim[i, j] > max_redundancy or member[i] & member[j] for j in chosen):
            continue
        chosen.append(int(i))
    chosen.sort(key=lambda i: (cands[i][0], cands[i][1]))
    return [{"text": cands[i][5], "article": cands[i][2], "start": cands[i][3], "end": cands[i][4]}
            for i in chosen]


def headline(articles: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The title closest to all the story's titles and leads (earliest wins a tie)."""
    titled = [a for a in articles if (a.get("title") or "").strip()]
    if not titled:
        return None
    if len(titled) == 1:
        return {"text": titled[0]["title"], "article": titled[0]["id"]}
    leads = [words(a.get("body") or "")[:60] for a in titled]
    vec = _vectors([words(a["title"]) for a in titled] + leads)
    if vec is None:
        return {"text": titled[0]["title"], "article": titled[0]["id"]}
    n = len(titled)
    sim = (vec[:n] @ vec.T).toarray()
    np.fill_diagonal(sim[:, :n], 0.0)
    score = sim.sum(axis=1) - sim[np.arange(n), n + np.arange(n)]  # not its own lead
    best = int(np.argmax(score))
    return {"text": titled[best]["title"], "article": titled[best]["id"]}
