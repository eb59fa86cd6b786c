"""Compare the coverage of one story across outlets.

``compare_story(story)`` takes a story as ``queries.show_story`` returns it (its
articles with bodies) and returns a plain dict:

- ``copied_passages``: groups of near-verbatim shared text; each group has
  ``spans`` (``article``, ``start``, ``end``, ``text``, ``words``; offsets into the
  stored body) and ``source`` (``statement``/``agency``/``citing`` with the
  attributing phrases, or ``first_published`` with the first article);
- ``same_claims``: groups of sentences stating the same thing in other words
  (``spans``, ``score``);
- ``only_here``: sentences of one article with no counterpart in any other outlet;
- ``labels``: the framing table (actors and each article's words for them);
- ``summary`` (≤ 5 cited sentences) and ``headline``;
- ``timeline``: first report, followers, outlets that never reported it.
"""
from __future__ import annotations

import time
from typing import Any

from ..settings import CompareSettings
from .align import StoryAligner
from .claims import Encoder
from .labels import story_labels
from .summary import headline, summarize
from .timeline import build_timeline

__all__ = ["compare_story", "StoryAligner", "CompareSettings"]


def compare_story(story: dict[str, Any], outlets_in_db: dict[str, list[str | None]] | None = None,
                  settings: CompareSettings | None = None, encoder: Encoder | None = None) -> dict[str, Any]:
    """The coverage comparison of one story (see module doc for the keys)."""
    st = settings or CompareSettings()
    clock = time.perf_counter
    t0 = clock()
    articles = story["articles"]
    aligned = StoryAligner(st, encoder).align(articles)
    by_id = {a["id"]: a for a in articles}
    ordered = [by_id[i] for i in aligned["articles"]]
    t1 = clock()
    labels = story_labels(ordered)
    t2 = clock()
    summary = summarize(ordered, st.summary_sentences, st.summary_max_redundancy,
                        [g["spans"] for g in aligned["same_claims"] + aligned["copied_passages"]])
    title = headline(ordered)
    timeline = build_timeline(ordered, outlets_in_db)
    t3 = clock()
    return {
        "story": story["id"],
        "headline": title,
        "articles": [{"id": a["id"], "outlet": a.get("outlet"), "published": a.get("published"),
                      "title": a.get("title"), "url": a.get("url"), "words": len(aligned["tokens"][a["id"]])}
                     for a in ordered],
        "outlets": story.get("outlets", []),
        "compared_pairs": aligned["compared_pairs"],
        "encoder": aligned["encoder"],
        "same_claim_threshold": aligned["same_claim_threshold"],
        "copied_passages": aligned["copied_passages"],
        "same_claims": aligned["same_claims"],
        "only_here": aligned["only_here"],
        "labels": labels,
        "summary": summary,
        "timeline": timeline,
        "seconds": round(t3 - t0, 3),
        "timings": {"align": round(t1 - t0, 3), "labels": round(t2 - t1, 3), "summary_timeline": round(t3 - t2, 3)},
    }
