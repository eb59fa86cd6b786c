"""Incremental story assignment: the seam a better clusterer replaces.

``StoryIndex.assign(article)`` puts one article into the best-matching open story
or starts a new one. An article is a tf-idf vector of light-stemmed, folded terms
(title weighted up, then the lead); document frequencies are counted over
everything stored so far. Its match with a story blends two cosines: with the
story's centroid (what the story is about overall) and with its nearest member
(the article it follows most closely). Candidate stories come from an inverted
index over each story's heaviest terms and the publication-time window, never
from a scan of every story.

Stories are grouped into threads (one happening and what follows from it: the
strike, the reactions, the vote): a new story joins the thread whose centroid it
matches at ``thread_threshold``. After each batch, a changed story that turns out
to be the same event as another (centroid cosine at ``merge_threshold``) absorbs
it; the merge is returned by ``changes()`` with its reason, for the store to record.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..article import Article, timestamp
from ..settings import StorySettings
from ..store.base import Store, StoryMerge, StoryState
from .vectors import article_vector

Vector = dict[str, float]


@dataclass
class _Member:
    id: str
    outlet: str | None
    ts: float | None
    vec: Vector  # unit-length tf-idf at the time it joined


@dataclass
class _Thread:
    id: str
    centroid: Vector = field(default_factory=dict)
    first_ts: float | None = None
    last_ts: float | None = None
    unit: tuple[int, Vector] | None = None  # cached unit tf-idf centroid (n_docs when computed)


class _TermIndex:
    """Inverted index term → day → ids, so a lookup sees only what was active near a time.

    Each id is filed under the days its span covers (undated ones under ``None``,
    which every lookup sees); a lookup for a dated article reads only the days of
    its window, so its cost does not grow with the years stored.
    """

    def __init__(self) -> None:
        self.post: dict[str, dict[int | None, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.filed: dict[str, tuple[list[str], list[int | None]]] = {}

    def put(self, key: str, terms: list[str], first_ts: float | None, last_ts: float | None) -> None:
        """File ``key`` under ``terms`` for the days of its span (only the difference is written)."""
        if first_ts is None or last_ts is None:
            days: list[int | None] = [None]
        else:
            days = list(range(_day(first_ts), _day(last_ts) + 1))
        old_terms, old_days = self.filed.get(key, ((), ()))
        if list(old_days) != days:
            self.remove(key)
            old_terms = ()
        new = set(terms)
        for t in set(old_terms) - new:
            for d in days:
                self._discard(t, d, key)
        for t in new - set(old_terms):
            for d in days:
                self.post[t][d].add(key)
        self.filed[key] = (list(new), days)

    def remove(self, key: str) -> None:
        terms, days = self.filed.pop(key, ((), ()))
        for t in terms:
            for d in days:
                self._discard(t, d, key)

    def _discard(self, term: str, day: int | None, key: str) -> None:
        """Drop one filing, and the day's set and the term's entry once empty (else memory leaks)."""
        by_day = self.post.get(term)
        if by_day is None:
            return
        ids = by_day.get(day)
        if ids is not None:
            ids.discard(key)
            if not ids:
                del by_day[day]
        if not by_day:
            del self.post[term]

    def find(self, terms: list[str], ts: float | None, window_s: float) -> Counter[str]:
        """ids sharing any of ``terms`` and active within ``window_s`` of ``ts``, with shared-term counts."""
        hits: Counter[str] = Counter()
        for t in terms:
            by_day = self.post.get(t)
            if not by_day:
                continue
            if ts is None:
                found = set().union(*by_day.values())
            else:
                found = set(by_day.get(None, ()))
                for d in range(_day(ts - window_s), _day(ts + window_s) + 1):
                    found |= by_day.get(d, set())
            hits.update(found)
        return hits


def _day(ts: float) -> int:
    return int(ts // 86400)


class StoryIndex:
    """Open stories in memory, loaded from the store; ``changes()`` hands back what to write."""

    def __init__(self, store: Store, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self.store = store
        self.n_docs, self.df = store.term_df()
        self.stories: dict[str, StoryState] = {}
        self.postings = _TermIndex()
        self._units: dict[str, tuple[int, Vector]] = {}  # story id → (n_docs when computed, unit tf-idf)
        self.threads: dict[str, _Thread] = {}
        self.thread_postings = _TermIndex()
        self._members: dict[str, list[_Member]] = {}
        # member vectors are kept only when a setting compares with members (memory grows with them)
        s = self.settings
        self._uses_members = bool(s.nearest_weight or s.same_outlet_day_penalty or s.time_bonus)
        self._changed: set[str] = set()
        self._merges: list[StoryMerge] = []
        self._df_delta: dict[str, int] = defaultdict(int)
        self.newest_ts: float | None = None  # the latest publication time seen
        self.created = 0  # stories started by this index
        self._since_eviction = 0
        for story in store.load_stories():
            self.stories[story.id] = story
            self._index(story)
            if story.thread_id:
                thread = self.threads.setdefault(story.thread_id, _Thread(story.thread_id))
                self._thread_add(thread, story.centroid, story.last_ts)
            if story.last_ts is not None:
                self.newest_ts = max(self.newest_ts or story.last_ts, story.last_ts)
        self._evict()

    # -- public ---------------------------------------------------------------------------
    def assign(self, article: Article) -> str:
        """Set ``article.story_id`` (joining or starting a story) and return it."""
        raw = article_vector(article, self.settings)
        for t in raw:
            self.df[t] = self.df.get(t, 0) + 1
            self._df_delta[t] += 1
        self.n_docs += 1
        ts = timestamp(article.published)
        if ts is not None:
            self.newest_ts = ts if self.newest_ts is None else max(self.newest_ts, ts)
        self._since_eviction += 1
        if self._since_eviction >= self.settings.evict_every:
            self._evict()
        vec = _unit(self._tfidf(raw))
        best, best_sim = None, 0.0
        for sid in self._candidates(vec, ts):
            sim = self._similarity(vec, article.outlet, ts, sid)
            if sim > best_sim:
                best, best_sim = sid, sim
        if best is None or best_sim < self.settings.join_threshold:
            best = "s-" + hashlib.sha1(article.id.encode()).hexdigest()[:12]
            story = StoryState(best, article.title, ts, ts)
            self.stories[best] = story
            self.created += 1
            if self._uses_members:
                self._members[best] = []
            story.thread_id = self._thread_for(vec, ts, best)
        self._add(self.stories[best], article, raw, vec, ts)
        article.story_id = best
        return best

    def join(self, article: Article, story_id: str) -> None:
        """Count an exact copy in its original's story without changing the centroid."""
        story = self.stories.get(story_id)
        if story is not None and article.outlet:
            story.outlets[article.outlet] = story.outlets.get(article.outlet, 0) + 1
            self._changed.add(story_id)
        article.story_id = story_id

    def changes(self) -> tuple[list[StoryState], dict[str, int], list[StoryMerge]]:
        """Stories changed, document-frequency increments and merges since the last call."""
        self._merge_changed()
        stories = [self.stories[s] for s in sorted(self._changed) if s in self.stories]
        delta = dict(self._df_delta)
        merges = list(self._merges)
        self._changed.clear()
        self._df_delta.clear()
        self._merges.clear()
        return stories, delta, merges

    def _evict(self) -> None:
        """Forget stories and threads that ended ``retain_days`` before the newest article.

        They stay in the store; only the in-memory index lets them go, so memory stays flat
        as years of news go in. An article that arrives much later than its story (a
        backfill of old news) starts a story of its own.
        """
        self._since_eviction = 0
        if self.newest_ts is None:
            return
        cutoff = self.newest_ts - self.settings.retain_days * 86400
        for sid in [s for s, st in self.stories.items()
                    if st.last_ts is not None and st.last_ts < cutoff and s not in self._changed]:
            self.postings.remove(sid)
            self._units.pop(sid, None)
            self._members.pop(sid, None)
            del self.stories[sid]
        for tid in [t for t, th in self.threads.items() if th.last_ts is not None and th.last_ts < cutoff]:
            self.thread_postings.remove(tid)
            del self.threads[tid]

    # -- similarity -----------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        """Smoothed idf, trusted in proportion to the documents it was counted over.

        With a handful of articles stored every shared word looks common; damping
        keeps the first stories of a new database from splitting.
        """
        raw = math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1))
        return 1.0 + raw * min(1.0, self.n_docs / self.settings.idf_full_docs)

    def _tfidf(self, vec: Vector) -> Vector:
        return {t: w * self._idf(t) for t, w in vec.items()}

    def _similarity(self, vec: Vector, outlet: str | None, ts: float | None, sid: str) -> float:
        s = self.settings
        central = _dot(vec, self._unit_centroid(sid))
        if not self._uses_members:
            return central
        members = self._story_members(sid)[-s.members_compared:]
        nearest = max((_dot(vec, m.vec) for m in members), default=central)
        sim = (1 - s.nearest_weight) * central + s.nearest_weight * nearest
        if ts is not None and s.time_bonus:
            gaps = [abs(ts - m.ts) for m in members if m.ts is not None]
            if gaps:  # stories decay: the same words weigh more within hours than days apart
                sim += s.time_bonus * math.exp(-min(gaps) / 3600 / s.time_scale_hours)
        if outlet and ts is not None and nearest < s.copy_similarity and any(
                m.outlet == outlet and m.ts is not None and abs(m.ts - ts) < 86400 for m in members):
            sim -= s.same_outlet_day_penalty
        return sim

    def _candidates(self, vec: Vector, ts: float | None) -> list[str]:
        """Stories sharing the article's heaviest terms, active within the window: the
        ``max_candidates`` that share most."""
        top = sorted(vec, key=vec.__getitem__, reverse=True)[: self.settings.candidate_terms]
        window = self.settings.window_hours * 3600
        hits = self.postings.find(top, ts, window)
        found = [sid for sid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
                 if ts is None or _in_window(self.stories[sid].first_ts, self.stories[sid].last_ts, ts, window)]
        return found[: self.settings.max_candidates]

    def _unit_centroid(self, sid: str) -> Vector:
        """A story's unit tf-idf centroid, cached until it changes or the idf moves (10% more documents)."""
        cached = self._units.get(sid)
        if cached is None or self.n_docs > cached[0] * 1.1 + 10:
            cached = (self.n_docs, _unit(self._tfidf(self.stories[sid].centroid)))
            self._units[sid] = cached
        return cached[1]

    def _story_members(self, sid: str) -> list[_Member]:
        """Members of a story; those stored by an earlier run are read back once, on first need."""
        if sid not in self._members:
            articles = [_article(r) for r in self.store.story_texts(sid)]
            self._members[sid] = [
                _Member(a.id, a.outlet, timestamp(a.published),
                        _unit(self._tfidf(article_vector(a, self.settings))))
                for a in articles]
        return self._members[sid]

    # -- threads --------------------------------------------------------------------------
    def _thread_for(self, vec: Vector, ts: float | None, story_id: str) -> str:
        top = sorted(vec, key=vec.__getitem__, reverse=True)[: self.settings.candidate_terms]
        window = self.settings.thread_window_hours * 3600
        hits = self.thread_postings.find(top, ts, window)
        found = [tid for tid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
                 [: self.settings.max_thread_candidates]]
        best, best_sim = None, 0.0
        for tid in found:
            thread = self.threads[tid]
            if ts is not None and thread.last_ts is not None and abs(ts - thread.last_ts) > window:
                continue
            sim = _dot(vec, self._unit_thread(thread))
            if sim > best_sim:
                best, best_sim = tid, sim
        if best is not None and best_sim >= self.settings.thread_threshold:
            return best
        tid = "t" + story_id[1:]
        self.threads[tid] = _Thread(tid)
        return tid

    def _unit_thread(self, thread: _Thread) -> Vector:
        if thread.unit is None or self.n_docs > thread.unit[0] * 1.1 + 10:
            thread.unit = (self.n_docs, _unit(self._tfidf(thread.centroid)))
        return thread.unit[1]

    def _thread_add(self, thread: _Thread, raw: Vector, ts: float | None) -> None:
        thread.unit = None
        for t, w in raw.items():
            thread.centroid[t] = thread.centroid.get(t, 0.0) + w
        if len(thread.centroid) > self.settings.centroid_terms:
            keep = sorted(thread.centroid.items(), key=lambda kv: kv[1], reverse=True)
            thread.centroid = dict(keep[: self.settings.centroid_terms])
        if ts is not None:
            thread.first_ts = ts if thread.first_ts is None else min(thread.first_ts, ts)
            thread.last_ts = ts if thread.last_ts is None else max(thread.last_ts, ts)
        self.thread_postings.put(thread.id, list(thread.centroid), thread.first_ts, thread.last_ts)

    # -- merging --------------------------------------------------------------------------
    def _merge_changed(self) -> None:
        """Let each changed story absorb an older story that is the same event."""
        threshold = self.settings.merge_threshold
        if threshold >= 1.0:
            return
        for sid in sorted(self._changed):
            story = self.stories.get(sid)
            if story is None or story.n_articles == 0:
                continue
            vec = self._unit_centroid(sid)
            best, best_sim = None, 0.0
            window = self.settings.window_hours * 3600
            for other in self._candidates(vec, story.last_ts):
                o = self.stories.get(other)
                if other == sid or o is None or o.n_articles == 0:
                    continue
                if story.last_ts is not None and not _in_window(o.first_ts, o.last_ts, story.last_ts, window):
                    continue
                sim = _dot(vec, self._unit_centroid(other))
                if sim > best_sim:
                    best, best_sim = other, sim
            if best is not None and best_sim >= threshold:
                into, absorbed = sorted((sid, best), key=lambda s: (-self.stories[s].n_articles, s))
                self._absorb(into, absorbed, best_sim)

    def _absorb(self, into_id: str, absorbed_id: str, sim: float) -> None:
        into, gone = self.stories[into_id], self.stories[absorbed_id]
        for t, w in gone.centroid.items():
            into.centroid[t] = into.centroid.get(t, 0.0) + w
        self._trim(into)
        into.n_articles += gone.n_articles
        for o, n in gone.outlets.items():
            into.outlets[o] = into.outlets.get(o, 0) + n
        if gone.first_ts is not None and (into.first_ts is None or gone.first_ts < into.first_ts):
            into.first_ts, into.title = gone.first_ts, gone.title or into.title
        if gone.last_ts is not None:
            into.last_ts = gone.last_ts if into.last_ts is None else max(into.last_ts, gone.last_ts)
        if self._uses_members:
            self._members[into_id] = self._story_members(into_id) + self._story_members(absorbed_id)
        self._members.pop(absorbed_id, None)
        self.postings.remove(absorbed_id)
        self._units.pop(absorbed_id, None)
        gone.n_articles = 0
        gone.centroid = {}
        self._index(into)
        self._changed.update({into_id, absorbed_id})
        self._merges.append(StoryMerge(into_id, absorbed_id, round(sim, 4),
                                       f"centroid cosine {sim:.3f} ≥ merge_threshold "
                                       f"{self.settings.merge_threshold}"))

    # -- bookkeeping ----------------------------------------------------------------------
    def _index(self, story: StoryState) -> None:
        self._units.pop(story.id, None)
        self.postings.put(story.id, list(story.centroid), story.first_ts, story.last_ts)

    def _trim(self, story: StoryState) -> None:
        if len(story.centroid) > self.settings.centroid_terms:
            keep = sorted(story.centroid.items(), key=lambda kv: kv[1], reverse=True)
            story.centroid = dict(keep[: self.settings.centroid_terms])
        story.centroid = {t: round(w, 4) for t, w in story.centroid.items()}

    def _add(self, story: StoryState, article: Article, raw: Vector, vec: Vector, ts: float | None) -> None:
        for t, w in raw.items():
            story.centroid[t] = story.centroid.get(t, 0.0) + w
        self._trim(story)
        if self._uses_members:
            self._story_members(story.id).append(_Member(article.id, article.outlet, ts, vec))
        if story.thread_id and story.thread_id in self.threads:
            self._thread_add(self.threads[story.thread_id], raw, ts)
        story.n_articles += 1
        if article.outlet:
            story.outlets[article.outlet] = story.outlets.get(article.outlet, 0) + 1
        if ts is not None:
            if story.first_ts is None or ts < story.first_ts:
                story.first_ts = ts
                story.title = article.title or story.title
            story.last_ts = ts if story.last_ts is None else max(story.last_ts, ts)
        story.title = story.title or article.title
        self._index(story)
        self._changed.add(story.id)


def _in_window(first: float | None, last: float | None, ts: float, window: float) -> bool:
    if first is None or last is None:
        return True
    return first - window <= ts <= last + window


def _unit(vec: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else vec


def _dot(a: Vector, b: Vector) -> float:
    # the key intersection runs in C; only the few shared terms are multiplied in Python.
    # fsum is exact, so the result does not depend on set order (string hashing differs per process)
    return math.fsum(a[t] * b[t] for t in a.keys() & b.keys())


def _article(row: dict) -> Article:
    from ..clean.dates import parse_date

    return Article(id=row["id"], path=row.get("path") or "", title=row.get("title"), body=row.get("body") or "",
                   outlet=row.get("outlet"), published=parse_date(row["published"]) if row.get("published") else None)
