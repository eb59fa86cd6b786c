"""Incremental story assignment: the seam a better clusterer replaces.

``StoryIndex.assign(article)`` puts one article into the best-matching open story
or starts a new one. A story is a centroid of its members' term vectors;
similarity is the cosine of tf-idf vectors with document frequencies counted
over everything stored so far. Candidates come from an inverted index over each
story's heaviest terms and the publication-time window, never from a scan of
every story.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict

from ..article import Article
from ..settings import StorySettings
from ..store.base import Store, StoryState
from ..store.sqlite import timestamp
from .vectors import article_vector


class StoryIndex:
    """Open stories in memory, loaded from the store; ``changes()`` hands back what to write."""

    def __init__(self, store: Store, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self.n_docs, self.df = store.term_df()
        self.stories: dict[str, StoryState] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)
        self._changed: set[str] = set()
        self._df_delta: dict[str, int] = defaultdict(int)
        for story in store.load_stories():
            self.stories[story.id] = story
            self._index(story)

    # -- public ---------------------------------------------------------------------------
    def assign(self, article: Article) -> str:
        """Set ``article.story_id`` (joining or starting a story) and return it."""
        vec = article_vector(article, self.settings)
        for t in vec:
            self.df[t] = self.df.get(t, 0) + 1
            self._df_delta[t] += 1
        self.n_docs += 1
        ts = timestamp(article.published)
        best, best_sim = None, 0.0
        weights = self._tfidf(vec)
        for sid in self._candidates(weights, ts):
            sim = self._cosine(weights, self.stories[sid].centroid)
            if sim > best_sim:
                best, best_sim = sid, sim
        if best is None or best_sim < self.settings.join_threshold:
            best = "s-" + hashlib.sha1(article.id.encode()).hexdigest()[:12]
            self.stories[best] = StoryState(best, article.title, ts, ts)
        self._add(self.stories[best], article, vec, ts)
        article.story_id = best
        return best

    def join(self, article: Article, story_id: str) -> None:
        """Count an article (an exact copy) in a known story without changing its centroid."""
        story = self.stories.get(story_id)
        if story is not None and article.outlet:
            story.outlets[article.outlet] = story.outlets.get(article.outlet, 0) + 1
            self._changed.add(story_id)
        article.story_id = story_id

    def changes(self) -> tuple[list[StoryState], dict[str, int]]:
        """Stories changed and document-frequency increments since the last call."""
        stories = [self.stories[s] for s in sorted(self._changed)]
        delta = dict(self._df_delta)
        self._changed.clear()
        self._df_delta.clear()
        return stories, delta

    # -- internals ------------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        """Smoothed idf, trusted in proportion to the documents it was counted over.

        With a handful of articles stored every shared word looks common; damping
        keeps the first stories of a new database from splitting.
        """
        raw = math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1))
        return 1.0 + raw * min(1.0, self.n_docs / self.settings.idf_full_docs)

    def _tfidf(self, vec: dict[str, float]) -> dict[str, float]:
        return {t: w * self._idf(t) for t, w in vec.items()}

    def _cosine(self, weights: dict[str, float], centroid: dict[str, float]) -> float:
        cw = {t: w * self._idf(t) for t, w in centroid.items()}
        dot = sum(w * cw[t] for t, w in weights.items() if t in cw)
        if not dot:
            return 0.0
        na = math.sqrt(sum(w * w for w in weights.values()))
        nc = math.sqrt(sum(w * w for w in cw.values()))
        return dot / (na * nc)

    def _candidates(self, weights: dict[str, float], ts: float | None) -> set[str]:
        top = sorted(weights, key=weights.get, reverse=True)[: self.settings.candidate_terms]  # type: ignore[arg-type]
        found: set[str] = set()
        for t in top:
            found |= self.postings.get(t, set())
        if ts is None:
            return found
        window = self.settings.window_hours * 3600
        return {s for s in found if self._in_window(self.stories[s], ts, window)}

    @staticmethod
    def _in_window(story: StoryState, ts: float, window: float) -> bool:
        if story.first_ts is None or story.last_ts is None:
            return True
        return story.first_ts - window <= ts <= story.last_ts + window

    def _index(self, story: StoryState) -> None:
        for t in story.centroid:
            self.postings[t].add(story.id)

    def _add(self, story: StoryState, article: Article, vec: dict[str, float], ts: float | None) -> None:
        for t, w in vec.items():
            story.centroid[t] = story.centroid.get(t, 0.0) + w
        if len(story.centroid) > self.settings.centroid_terms:
            keep = sorted(story.centroid.items(), key=lambda kv: kv[1], reverse=True)
            for t, _ in keep[self.settings.centroid_terms:]:
                self.postings[t].discard(story.id)
            story.centroid = dict(keep[: self.settings.centroid_terms])
        story.centroid = {t: round(w, 4) for t, w in story.centroid.items()}
        self._index(story)
        story.n_articles += 1
        if article.outlet:
            story.outlets[article.outlet] = story.outlets.get(article.outlet, 0) + 1
        if ts is not None:
            if story.first_ts is None or ts < story.first_ts:
                story.first_ts = ts
                story.title = article.title or story.title
            story.last_ts = ts if story.last_ts is None else max(story.last_ts, ts)
        story.title = story.title or article.title
        self._changed.add(story.id)
