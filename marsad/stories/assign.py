"""Incremental story assignment: the seam a better clusterer replaces.

``StoryIndex.assign(article)`` puts one article into the best-matching open story
or starts a new one. An article is a tf-idf vector of light-stemmed, folded terms
(title weighted up, then the lead); document frequencies are those of the
articles published before it. Its match with a story is the cosine with the story's
centroid (optionally blended with its nearest member's), moved down when the
headline's agent (who acts or speaks, ``agents.py``) is one the story's headlines
hardly name and up when most of them do. Candidate stories come from an inverted
index over each story's heaviest terms and the publication-time window, never
from a scan of every story.

Stories are grouped into threads (one happening and what follows from it: the
strike, the reactions, the vote): a new story joins the thread whose centroid it
matches at ``thread_threshold``. After each batch, a changed story that turns out
to be the same event as another (centroid cosine at ``merge_threshold``) absorbs
it; the merge is returned by ``changes()`` with its reason, for the store to record.

Arrival order does not decide the stories. ``assign_batch`` clusters a batch in
publication order; when the batch holds articles older than ones already placed
(a backfill, a feed that lags, a crawl read backwards), the placed articles
published after the oldest new one (up to ``rewind_hours`` after the newest) are
taken back out of their stories and placed again together with the new ones, in
publication order. The stories are then those a stream in publication order would
have made; the articles that changed story come back as ``moves``, and a story left
empty is recorded as merged into the story its first article went to.
"""
from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..article import Article, timestamp
from ..errors import MarsadError
from ..settings import StorySettings
from ..store.base import Store, StoryMerge, StoryState
from .agents import agent_share, headline_agent
from .features import Candidate, Profile, add_ranks, pair_features, profile
from .model import load_model
from .vectors import VECTOR_SETTINGS, article_vector, dot as _dot

Vector = dict[str, float]


@dataclass
class _Member:
    """An article placed in a story, with what it takes to place it again."""

    id: str
    outlet: str | None
    ts: float | None
    title: str | None
    raw: Vector                      # term weights before idf (what centroids sum)
    copies: list[str] = field(default_factory=list)  # outlets of the copies joined to it
    agents: tuple[str, ...] = ()     # countries of who acts or speaks in its headline
    sim: float = 1.0                 # its similarity (or join probability) with the story when it joined
    vec: Vector | None = None        # unit tf-idf when it joined (nearest-member similarity only)
    profile: Profile | None = None   # what the story model reads of it besides its terms


@dataclass
class _Thread:
    id: str
    centroid: Vector = field(default_factory=dict)  # summed term weights of its articles, heaviest kept
    n: int = 0                                       # articles in it
    first_ts: float | None = None
    last_ts: float | None = None
    unit: tuple[int, Vector] | None = None  # cached unit tf-idf of the heaviest terms (n_docs when computed)


class Observer:
    """Watches (and, for training, steers) how articles are placed: see ``marsad.stories.train``."""

    index: StoryIndex | None = None

    def attach(self, index: StoryIndex) -> None:
        """Called by the index it observes, once made."""
        self.index = index

    def place(self, article_id: str, candidates: list[str], scored: list[tuple[float, dict[str, float]]]
              ) -> str | None:
        """Called for each article the model places; return a story id to put it there ("" for a new
        story), or None to let the model decide."""
        return None


@dataclass
class IndexChanges:
    """What the index changed since the last call, for one ``Store.write_batch``."""

    stories: list[StoryState]
    df_delta: dict[str, int]
    merges: list[StoryMerge]
    moves: dict[str, str]  # stored article id → its new story (its copies follow it)


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
        old, new = set(old_terms), set(terms)
        before, after = set(old_days), set(days)
        kept = before & after
        # only the (term, day) filings that change: a story that grows by a day keeps the others
        for t in old:
            for d in before - after:
                self._discard(t, d, key)
        for t in old - new:
            for d in kept:
                self._discard(t, d, key)
        post = self.post
        for t in new:
            for d in after - before:
                post[t][d].add(key)
        for t in new - old:
            for d in kept:
                post[t][d].add(key)
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

    def __init__(self, store: Store, settings: StorySettings | None = None, observer: Observer | None = None) -> None:
        self.settings = settings or StorySettings()
        if self.settings.scorer not in ("model", "cosine"):
            raise MarsadError(f"unknown story scorer {self.settings.scorer!r}", hint='"model" (the default) or "cosine"')
        self.store = store
        self.model = load_model(self.settings.model_path) if self.settings.scorer == "model" else None
        self.observer = observer
        if observer is not None:
            observer.attach(self)
        self.n_docs, self.df = store.term_df()
        self.stories: dict[str, StoryState] = {}
        self.postings = _TermIndex()
        self._units: dict[str, tuple[int, Vector]] = {}  # story id → (n_docs when computed, unit tf-idf)
        # story id → (unit centroid, span, latest members: held, so checked by identity) and the Candidate made of them
        self._candidates_made: dict[str, tuple[tuple[Any, ...], Candidate]] = {}
        self.threads: dict[str, _Thread] = {}
        self.thread_postings = _TermIndex()
        # members of the stories placed or read back by this index, in the order they joined; a story
        # loaded from the store has none until they are needed (its centroid is the stored one)
        self._members: dict[str, list[_Member]] = {}
        self._home: dict[str, str] = {}  # member id → story id
        s = self.settings
        self._uses_members = bool(self.model or s.nearest_weight or s.same_outlet_day_penalty or s.time_bonus)
        # the term vector a worker computed beside the reading (pipeline.prepare) is made with the defaults
        self._prepared_vectors = all(getattr(s, f) == getattr(StorySettings(), f) for f in VECTOR_SETTINGS)
        self._changed: set[str] = set()
        self._emptied: dict[str, str] = {}  # story left empty by re-placing → id of its first article
        self._successors: set[str] = set()  # of those, the earlier copies that took an original's place
        self._merges: list[StoryMerge] = []
        self._moves: dict[str, str] = {}
        self._outside: dict[str, StoryState] = {}  # stored stories out of memory a copy was counted in
        self._df_delta: dict[str, int] = defaultdict(int)
        self.newest_ts: float | None = None  # the latest publication time seen
        self.created = 0  # stories started by this index, less those it emptied again
        self._since_eviction = 0
        for story in store.load_stories():
            self.stories[story.id] = story
            self._index(story)
            if story.thread_id:
                thread = self.threads.setdefault(story.thread_id, _Thread(story.thread_id))
                self._thread_add(thread, story.centroid, story.last_ts, story.n_articles)
            if story.last_ts is not None:
                self.newest_ts = max(self.newest_ts or story.last_ts, story.last_ts)
        self._evict()

    # -- public ---------------------------------------------------------------------------
    def assign(self, article: Article) -> str:
        """Set ``article.story_id`` (joining or starting a story) and return it."""
        self.assign_batch([article])
        return article.story_id  # type: ignore[return-value]

    def assign_batch(self, articles: list[Article], demoted: dict[str, str] | None = None) -> None:
        """Place new articles (not copies) in stories, setting each ``story_id``.

        Articles already placed that were published after the oldest of them (and up to
        ``rewind_hours`` after the newest) are taken back and placed again with them, all in
        publication order, so a late arrival is clustered as if it had come on time.
        ``demoted`` maps placed articles that became copies (see ``holds``) to the new article,
        published earlier, that replaces each: they leave their stories, and they and their
        copies count among the new article's copies.
        """
        replaced = {old: self._take_out(old, new) for old, new in (demoted or {}).items()}
        fresh: list[tuple[Article, _Member]] = []
        for article in articles:
            raw = article.derived.get("vector") if self._prepared_vectors else None
            raw = raw if raw is not None else article_vector(article, self.settings)
            ts = timestamp(article.published)
            if ts is not None:
                self.newest_ts = ts if self.newest_ts is None else max(self.newest_ts, ts)
            fresh.append((article, _Member(article.id, article.outlet, ts, article.title, raw,
                                           agents=self._agents_of(article), profile=self._profile_of(article))))
            self._since_eviction += 1
        if self._since_eviction >= self.settings.evict_every:
            self._evict()
        dated = [m.ts for _, m in fresh if m.ts is not None]
        taken = self._take_back(min(dated), max(dated)) if dated else []
        queue = [(m, None) for _, m in fresh] + taken
        queue.sort(key=lambda item: (item[0].ts is None, item[0].ts or 0.0, item[0].id))
        for member, old in queue:
            # document frequencies grow in publication order: an article's idf is that of the news before it
            self._count(member.raw, 1)
            sid = self._place(member)
            if old is not None and sid != old:
                self._moves[member.id] = sid
        for article, member in fresh:
            article.story_id = self._home[member.id]
        for old, new in (demoted or {}).items():
            gone = replaced[old]
            self._count_copies(self._home[new], new, ([gone.outlet] if gone.outlet else []) + gone.copies)

    def holds(self, article_id: str) -> bool:
        """Whether a stored article is an original placed in a story this index has in memory
        (only such a one can give its place to an earlier copy of it)."""
        return self._placed(article_id) is not None

    def _placed(self, article_id: str) -> tuple[str, _Member] | None:
        """(story, member) of an original placed in a story in memory, its members read back if need be."""
        sid = self._home.get(article_id) or self.store.story_of(article_id)
        if sid is None or sid not in self.stories:
            return None
        member = next((m for m in self._story_members(sid) if m.id == article_id), None)
        return None if member is None else (sid, member)

    def _take_out(self, article_id: str, successor: str) -> _Member:
        """Take a placed original out of its story for good (it became a copy of ``successor``)."""
        placed = self._placed(article_id)
        assert placed is not None, f"{article_id} is not placed in a story in memory (see holds)"
        sid, gone = placed
        if len(self._members[sid]) == 1:  # left empty: its id will lead to where the successor goes
            self._emptied[sid] = successor
            self._successors.add(successor)
        self._remove(sid, [gone])
        return gone

    def _remove(self, sid: str, out: list[_Member]) -> None:
        """Take members out of a story: uncounted from the document frequencies and their thread,
        the story rebuilt (or dropped when none is left)."""
        leaving = {id(m) for m in out}
        self._members[sid] = [m for m in self._members[sid] if id(m) not in leaving]
        for m in out:
            self._count(m.raw, -1)
            self._home.pop(m.id, None)
            self._thread_remove(self.stories[sid].thread_id, m)
        self._rebuild(sid)

    def _count(self, raw: Vector, n: int) -> None:
        """Count (n = 1) or uncount (n = −1) an article in the document frequencies."""
        for t in raw:
            self.df[t] = self.df.get(t, 0) + n
            self._df_delta[t] += n
        self.n_docs += n

    def story_of(self, article_id: str) -> str | None:
        """The story of an article this index holds (None when it is not in memory)."""
        return self._home.get(article_id)

    def members_of(self, story_id: str) -> list[str]:
        """Ids of a story's articles (not copies), in the order they joined."""
        return [m.id for m in self._story_members(story_id)]

    def join(self, article: Article, story_id: str) -> None:
        """Count a copy in its original's story without changing the centroid (a story that has left memory,
        a copy of an original weeks older, is read back from the store and written with the new count)."""
        sid = self._home.get(article.duplicate_of or "", story_id)
        if article.outlet:
            if sid in self.stories:
                self._count_copies(sid, article.duplicate_of, [article.outlet])
            else:
                self._count_outside(sid, article.outlet)
        article.story_id = sid

    def _count_outside(self, sid: str, outlet: str) -> None:
        """Count a copy's outlet in a stored story that is not in memory (it stays out of memory)."""
        story = self._outside.get(sid) or self.store.load_story(sid)
        if story is None:
            return
        story.outlets[outlet] = story.outlets.get(outlet, 0) + 1
        self._outside[sid] = story

    def _count_copies(self, sid: str, original: str | None, outlets: list[str]) -> None:
        """Count copies from ``outlets`` in a story, and under their original when it is in memory."""
        story = self.stories.get(sid)
        if story is None or not outlets:
            return
        for o in outlets:
            story.outlets[o] = story.outlets.get(o, 0) + 1
        self._changed.add(sid)
        member = next((m for m in self._members.get(sid, ()) if m.id == original), None)
        if member is not None:
            member.copies.extend(outlets)

    def changes(self) -> IndexChanges:
        """Stories changed, document-frequency increments, merges and moves since the last call."""
        self._merge_changed()
        for sid, first in sorted(self._emptied.items()):
            if sid in self.stories:  # started again by the same first article
                continue
            into = self._home.get(first)
            self._changed.add(sid)
            self.stories[sid] = StoryState(sid, None, None, None)
            if into:
                sim = next((m.sim for m in self._members[into] if m.id == first), 1.0)
                reason = ("its one article became a copy of an earlier-published one, which is here"
                          if first in self._successors else
                          "placed again in publication order after earlier articles arrived; its first article is here")
                self._merges.append(StoryMerge(into, sid, round(sim, 4), reason))
        stories = [self.stories[s] for s in sorted(self._changed) if s in self.stories]
        stories += [st for sid, st in sorted(self._outside.items()) if sid not in self.stories]
        self._outside.clear()
        for sid in self._emptied:
            if self.stories.get(sid) is not None and self.stories[sid].n_articles == 0:
                del self.stories[sid]
        out = IndexChanges(stories, {t: n for t, n in self._df_delta.items() if n}, list(self._merges),
                           dict(self._moves))
        self._changed.clear()
        self._df_delta.clear()
        self._merges.clear()
        self._moves.clear()
        self._emptied.clear()
        self._successors.clear()
        return out

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
            self._candidates_made.pop(sid, None)
            for m in self._members.pop(sid, ()):
                self._home.pop(m.id, None)
            del self.stories[sid]
        for tid in [t for t, th in self.threads.items() if th.last_ts is not None and th.last_ts < cutoff]:
            self.thread_postings.remove(tid)
            del self.threads[tid]

    # -- placing and taking back ----------------------------------------------------------
    def _place(self, member: _Member) -> str:
        """Put one member into its best-matching story, or start a story; returns the story id."""
        vec = _unit(self._tfidf(member.raw))
        best, best_sim = None, 0.0
        candidates = self._candidates(vec, member.ts)
        if self.model is not None:
            scored = self._scored(vec, member, candidates)
            for sid, (p, _) in zip(candidates, scored):
                if p > best_sim:
                    best, best_sim = sid, p
            threshold = self.model.threshold
            if self.observer is not None:
                forced = self.observer.place(member.id, candidates, scored)
                if forced is not None:  # training: the gold story (or "" for a new one) is followed
                    best, best_sim = (forced or None), 1.0
        else:
            for sid in candidates:
                sim = self._similarity(vec, member, sid)
                if sim > best_sim:
                    best, best_sim = sid, sim
            threshold = self.settings.join_threshold
        if best is None or best_sim < threshold:
            best, best_sim = "s-" + hashlib.sha1(member.id.encode()).hexdigest()[:12], 1.0
            story = StoryState(best, member.title, member.ts, member.ts)
            self.stories[best] = story
            self._members[best] = []
            self.created += 1
            self._emptied.pop(best, None)
            story.thread_id = self._thread_for(vec, member.ts, best)
        member.sim = best_sim
        if self._uses_members:
            member.vec = vec
        self._add(self.stories[best], member)
        return best

    def _take_back(self, oldest: float, newest: float) -> list[tuple[_Member, str]]:
        """Take out of their stories the placed articles published after ``oldest`` (up to
        ``rewind_hours`` after ``newest``): with (member, story it was in), oldest first."""
        until = newest + self.settings.rewind_hours * 3600
        taken: list[tuple[_Member, str]] = []
        for sid in sorted(s for s, st in self.stories.items()
                          if st.n_articles and st.last_ts is not None and st.last_ts > oldest
                          and (st.first_ts is None or st.first_ts <= until)):
            members = self._story_members(sid)
            out = [m for m in members if m.ts is not None and oldest < m.ts <= until]
            if not out:
                continue
            if len(out) == len(members):  # left empty: remember where its first article goes
                self._emptied[sid] = min(members, key=lambda m: (m.ts, m.id)).id
            self._remove(sid, out)  # counted again when placed again, in order
            taken.extend((m, sid) for m in out)
        return taken

    def _rebuild(self, sid: str) -> None:
        """Recompute a story's centroid, counts and span from its members; drop it when none is left."""
        story, members = self.stories[sid], self._members[sid]
        self._changed.add(sid)
        self._units.pop(sid, None)
        self._candidates_made.pop(sid, None)
        if not members:
            self.postings.remove(sid)
            del self._members[sid]
            del self.stories[sid]
            self.created -= 1
            return
        centroid: Vector = {}
        outlets: dict[str, int] = {}
        for m in members:  # in the order they joined, trimmed as they were added (see _add)
            centroid = _trimmed(_summed(centroid, m.raw), self.settings.centroid_terms)
            for o in ([m.outlet] if m.outlet else []) + m.copies:
                outlets[o] = outlets.get(o, 0) + 1
        story.centroid = centroid
        story.n_articles = len(members)
        story.outlets = outlets
        dated = [m for m in members if m.ts is not None]
        first = min(dated, key=lambda m: (m.ts, m.id)) if dated else members[0]
        story.title = first.title or next((m.title for m in members if m.title), None)
        story.first_ts = min((m.ts for m in dated), default=None)
        story.last_ts = max((m.ts for m in dated), default=None)
        self._index(story)

    # -- similarity -----------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        """Smoothed idf, trusted in proportion to the documents it was counted over.

        With a handful of articles stored every shared word looks common; damping
        keeps the first stories of a new database from splitting.
        """
        raw = math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1))
        return 1.0 + raw * min(1.0, self.n_docs / self.settings.idf_full_docs)

    def _tfidf(self, vec: Vector) -> Vector:
        # _idf written out (the same operations in the same order: the same floats), its calls
        # being a third of this hot loop's time
        n, df, log = self.n_docs, self.df, math.log
        damping = min(1.0, n / self.settings.idf_full_docs)
        return {t: w * (1.0 + log((n + 1) / (df.get(t, 0) + 1)) * damping) for t, w in vec.items()}

    def _similarity(self, vec: Vector, member: _Member, sid: str) -> float:
        s = self.settings
        central = _dot(vec, self._unit_centroid(sid))
        share = self._agent_share(member.agents, sid)
        if share is not None:  # who acts: another actor's headline is another story
            if share <= s.agent_min_share:
                central -= s.agent_penalty
            elif share >= s.agent_bonus_share:
                central += s.agent_bonus
        if not self._uses_members:
            return central
        outlet, ts = member.outlet, member.ts
        members = self._story_members(sid)[-s.members_compared:]
        nearest = max((_dot(vec, self._member_vec(m)) for m in members), default=central)
        sim = (1 - s.nearest_weight) * central + s.nearest_weight * nearest
        if ts is not None and s.time_bonus:
            gaps = [abs(ts - m.ts) for m in members if m.ts is not None]
            if gaps:  # stories decay: the same words weigh more within hours than days apart
                sim += s.time_bonus * math.exp(-min(gaps) / 3600 / s.time_scale_hours)
        if outlet and ts is not None and nearest < s.copy_similarity and any(
                m.outlet == outlet and m.ts is not None and abs(m.ts - ts) < 86400 for m in members):
            sim -= s.same_outlet_day_penalty
        return sim

    def _agents_of(self, article: Article) -> tuple[str, ...]:
        s = self.settings
        return headline_agent(article.title, article.body) if self.model or s.agent_penalty or s.agent_bonus else ()

    def _profile_of(self, article: Article) -> Profile | None:
        return profile(article.title, article.body) if self.model else None

    def _candidate(self, sid: str) -> Candidate:
        """A candidate story as the model's features see it: centroid, span and latest members.

        Kept until one of those changes (a story is a candidate of most articles of its days and
        changes only when one joins or leaves): the same objects give the same Candidate. The
        key holds the members themselves, so no id is reused while it is kept.
        """
        story = self.stories[sid]
        members = self._story_members(sid)[-self.settings.members_compared:]
        key = (self._unit_centroid(sid), story.first_ts, story.last_ts, *members)
        made = self._candidates_made.get(sid)
        if made is not None and len(made[0]) == len(key) and all(a is b for a, b in zip(made[0], key)):
            return made[1]
        profiles = [m.profile for m in members if m.profile is not None]
        candidate = Candidate(key[0], story.first_ts, story.last_ts,
                              [self._member_vec(m) for m in members], profiles, [m.agents for m in members],
                              frozenset().union(*(p.title_terms for p in profiles)))
        self._candidates_made[sid] = (key, candidate)
        return candidate

    def _scored(self, vec: Vector, member: _Member, candidates: list[str]) -> list[tuple[float, dict[str, float]]]:
        """(join probability, features) of each candidate story for one article."""
        assert self.model is not None and member.profile is not None
        rows = [pair_features(vec, member.ts, member.profile, member.agents, self._candidate(sid))
                for sid in candidates]
        add_ranks(rows)
        return [(self.model.probability(r), r) for r in rows]

    def _agent_share(self, agents: tuple[str, ...], sid: str) -> float | None:
        """The share of a story's headlines naming an agent that name one of ``agents``; None when
        the article names none or the story has fewer than ``agent_evidence`` such headlines."""
        if not agents:
            return None
        named = [m.agents for m in self._story_members(sid) if m.agents]
        if len(named) < self.settings.agent_evidence:
            return None
        return agent_share(agents, named)

    def _member_vec(self, m: _Member) -> Vector:
        if m.vec is None:
            m.vec = _unit(self._tfidf(m.raw))
        return m.vec

    def _candidates(self, vec: Vector, ts: float | None) -> list[str]:
        """Stories sharing the article's heaviest terms, active within the window: the
        ``max_candidates`` that share most."""
        top = self._top_terms(vec)
        window = self.settings.window_hours * 3600
        hits = self.postings.find(top, ts, window)
        span = self.settings.max_span_hours * 3600
        found = [sid for _, sid in sorted([(-n, sid) for sid, n in hits.items()])
                 if ts is None or (_in_window(self.stories[sid].first_ts, self.stories[sid].last_ts, ts, window)
                                   and _in_window(self.stories[sid].last_ts, self.stories[sid].first_ts, ts, span))]
        return found[: self.settings.max_candidates]

    def _top_terms(self, vec: Vector) -> list[str]:
        """The ``candidate_terms`` heaviest terms of a vector: what candidates are looked up by."""
        # heapq.nlargest is documented as sorted(..., reverse=True)[:n], ties included, without the whole sort
        return heapq.nlargest(self.settings.candidate_terms, vec, key=vec.__getitem__)

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
            originals: list[_Member] = []
            copies: list[dict] = []
            for row in self.store.story_texts(sid):
                if row.get("duplicate_of"):
                    copies.append(row)
                    continue
                a = _article(row)
                originals.append(_Member(a.id, a.outlet, timestamp(a.published), a.title,
                                         article_vector(a, self.settings), agents=self._agents_of(a),
                                         profile=self._profile_of(a)))
            by_id = {m.id: m for m in originals}
            for row in copies:
                if row["duplicate_of"] in by_id and row.get("outlet"):
                    by_id[row["duplicate_of"]].copies.append(row["outlet"])
            self._members[sid] = originals
            for m in originals:
                self._home[m.id] = sid
        return self._members[sid]

    # -- threads --------------------------------------------------------------------------
    def _thread_for(self, vec: Vector, ts: float | None, story_id: str) -> str:
        top = self._top_terms(vec)
        window = self.settings.thread_window_hours * 3600
        hits = self.thread_postings.find(top, ts, window)
        found = [tid for _, tid in sorted([(-n, tid) for tid, n in hits.items()])
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

    def _thread_add(self, thread: _Thread, raw: Vector, ts: float | None, n: int = 1) -> None:
        thread.unit = None
        thread.centroid = _trimmed(_summed(thread.centroid, raw), self.settings.centroid_terms)
        thread.n += n
        if ts is not None:
            thread.first_ts = ts if thread.first_ts is None else min(thread.first_ts, ts)
            thread.last_ts = ts if thread.last_ts is None else max(thread.last_ts, ts)
        self.thread_postings.put(thread.id, list(thread.centroid), thread.first_ts, thread.last_ts)

    def _thread_remove(self, tid: str | None, member: _Member) -> None:
        """Take one article's terms out of its thread; a thread left with none is forgotten."""
        thread = self.threads.get(tid or "")
        if thread is None:
            return
        thread.unit = None
        thread.n -= 1
        for t, w in member.raw.items():
            left = thread.centroid.get(t, 0.0) - w
            if left > 1e-9:
                thread.centroid[t] = left
            else:
                thread.centroid.pop(t, None)
        if thread.n <= 0 or not thread.centroid:
            self.thread_postings.remove(thread.id)
            del self.threads[thread.id]
        else:
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
        moved = self._story_members(absorbed_id)
        self._story_members(into_id).extend(moved)
        for m in moved:
            self._home[m.id] = into_id
        gone = self.stories[absorbed_id]
        self._rebuild(into_id)
        self._members[absorbed_id] = []
        self.postings.remove(absorbed_id)
        self._units.pop(absorbed_id, None)
        self._candidates_made.pop(absorbed_id, None)
        gone.n_articles = 0
        gone.centroid = {}
        self._changed.update({into_id, absorbed_id})
        self._merges.append(StoryMerge(into_id, absorbed_id, round(sim, 4),
                                       f"centroid cosine {sim:.3f} ≥ merge_threshold "
                                       f"{self.settings.merge_threshold}"))

    # -- bookkeeping ----------------------------------------------------------------------
    def _index(self, story: StoryState) -> None:
        self._units.pop(story.id, None)
        self._candidates_made.pop(story.id, None)
        self.postings.put(story.id, list(story.centroid), story.first_ts, story.last_ts)

    def _add(self, story: StoryState, member: _Member) -> None:
        self._story_members(story.id)
        # the centroid keeps its heaviest terms as it grows: a term that falls out loses what it had
        # gathered, so the latest articles weigh a little more (exact sums: dev B³ 0.850 / pairwise 0.473,
        # against 0.856 / 0.530)
        story.centroid = _trimmed(_summed(story.centroid, member.raw), self.settings.centroid_terms)
        self._members[story.id].append(member)
        self._home[member.id] = story.id
        if story.thread_id and story.thread_id in self.threads:
            self._thread_add(self.threads[story.thread_id], member.raw, member.ts)
        story.n_articles += 1
        for o in ([member.outlet] if member.outlet else []) + member.copies:
            story.outlets[o] = story.outlets.get(o, 0) + 1
        ts = member.ts
        if ts is not None:
            if story.first_ts is None or ts < story.first_ts:
                story.first_ts = ts
                story.title = member.title or story.title
            story.last_ts = ts if story.last_ts is None else max(story.last_ts, ts)
        story.title = story.title or member.title
        self._index(story)
        self._changed.add(story.id)


def _trimmed(sums: Vector, n: int) -> Vector:
    """The ``n`` heaviest terms, rounded (what a story keeps as its centroid)."""
    if len(sums) <= n:
        return {t: round(w, 4) for t, w in sums.items()}
    return {t: round(-w, 4) for w, t in sorted([(-w, t) for t, w in sums.items()])[:n]}


def _in_window(first: float | None, last: float | None, ts: float, window: float) -> bool:
    if first is None or last is None:
        return True
    return first - window <= ts <= last + window


def _unit(vec: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else vec


def _article(row: dict) -> Article:
    from ..clean.dates import parse_date

    return Article(id=row["id"], path=row.get("path") or "", title=row.get("title"), body=row.get("body") or "",
                   outlet=row.get("outlet"), published=parse_date(row["published"]) if row.get("published") else None)


def _summed(a: Vector, b: Vector) -> Vector:
    out = dict(a)
    for t, w in b.items():
        out[t] = out.get(t, 0.0) + w
    return out

