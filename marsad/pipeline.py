"""Runs the stages over a stream of articles: read → clean (in the readers) → dedup → stories → store.

Per-stage counts are kept in a ``RunReport``. Every batch is written in one
transaction together with the progress of its source files, so a run stopped at
any point (even SIGKILL) resumes where it stopped: no duplicates, no holes.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from .article import Article, timestamp
from .dedup.exact import fingerprint
from .errors import BadRecord, FailedBefore, InputError, SkippedInput
from .io.parallel import Item, parallel_items, sequential_items
from .io.sources import Source, find_sources
from .io.outlets import outlet_for
from .settings import DedupSettings, IngestSettings, StorySettings
from .dedup.near import NearDuplicateIndex, signature_values
from .report import Progress, RunReport
from .normalize import words
from .search import index_text
from .store.base import BatchWrite, SourceProgress, Store
from .stories.assign import Observer, StoryIndex
from .stories.vectors import article_vector


def ingest(paths: Iterable[str], store: Store, *, outlet: str | None = None,
           progress: Progress | None = None, story_settings: StorySettings | None = None,
           ingest_settings: IngestSettings | None = None, outlet_names: dict[str, str] | None = None,
           engine: Any = None, analyze: bool = False, analyze_progress: Any = None,
           story_observer: Observer | None = None) -> RunReport:
    """Read every input under ``paths`` into ``store``; ``outlet`` fills articles that name none;
    ``outlet_names`` (domain → name, ``io.outlets``) names every article whose URL is on a domain in it.

    ``engine`` (``marsad.engine``) reads and cleans the input when it is a Dask engine, or a local
    one and the input is big enough; otherwise worker processes of ``ingest_settings.workers`` do.
    With ``analyze``, the stories the run touched are analysed at its end (``marsad.analysis``, on
    the same engine), in one pass rather than batch by batch: a story touched by many batches is
    analysed once. ``story_observer`` watches how articles are placed in stories (training the
    story model, ``marsad.stories.train``)."""
    started = time.monotonic()
    progress = progress or Progress()
    settings = ingest_settings or IngestSettings()
    report = RunReport()
    sources, errors, report.ignored = find_sources(list(paths))
    for err in errors:
        _fail(report, progress, err)
    progress.start(sum(s.size for s in sources), len(sources))
    finished = False
    try:
        with store.writing(on_wait=progress.note):  # one writer at a time (through the analysis): others wait
            try:
                _ingest_sources(sources, store, report, progress, outlet, story_settings, settings,
                                outlet_names or {}, engine, story_observer)
            except KeyboardInterrupt:  # Ctrl-C: what was committed stays; the batch being read is read again
                report.interrupted = True
            report.seconds = time.monotonic() - started
            progress.finish(report)
            finished = True
            if analyze and report.touched and not report.interrupted:
                from .analysis import analyze as analyze_stories

                done = analyze_stories(store, engine, story_ids=sorted(report.touched), progress=analyze_progress)
                report.analysis = done.as_dict()
                report.interrupted = done.interrupted
                report.seconds = time.monotonic() - started
    except KeyboardInterrupt:  # Ctrl-C while waiting for another writer: nothing was read
        report.interrupted = True
        report.seconds = time.monotonic() - started
        if not finished:
            progress.finish(report)
    return report


def _ingest_sources(sources: list[Source], store: Store, report: RunReport, progress: Progress,
                    outlet: str | None, story_settings: StorySettings | None, settings: IngestSettings,
                    outlet_names: dict[str, str], engine: Any, story_observer: Observer | None) -> None:
    """The body of ``ingest`` once this process is the database's one writer."""
    index = StoryIndex(store, story_settings, story_observer)
    batch = _Batch(store, index, report, cluster=settings.cluster, progress=progress)
    keys: dict[str, str] = {}
    failed: Counter[str] = Counter()  # source key → its records that could not be read (earlier runs too)
    read_now: set[str] = set()

    def todo() -> Iterator[tuple[Source, int]]:
        """Sources still to read and where to start; whole files read before are counted and passed
        (one that had unreadable records is reported again, so a rerun does not hide a broken input)."""
        for source in sources:
            report.files += 1
            key = source.key()
            if key in read_now:  # the same bytes twice in one command (a path given twice, a copy)
                report.files_skipped += 1
                progress.advance(source.size, report)
                continue
            read_now.add(key)
            keys[source.shown] = key
            state = store.source_progress(key)
            if state and state.done:
                report.files_skipped += 1
                if state.failed:
                    errors = f"{state.failed} error" + ("s" if state.failed > 1 else "")
                    _fail(report, progress, FailedBefore(
                        f"could not be read in full when it was ingested before ({errors})", source.shown,
                        hint="what could be read is stored; a corrected file is read anew"))
                progress.advance(source.size, report)
                continue
            failed[key] = state.failed if state else 0
            yield source, state.position if state else 0

    workers = settings.workers or os.cpu_count() or 1
    big = sum(s.size for s in sources) >= settings.parallel_min_bytes
    if engine is not None and getattr(engine, "name", "") == "dask":
        stream = parallel_items(todo(), engine.workers, engine, settings.cluster)
    elif workers > 1 and big:
        stream = parallel_items(todo(), workers, engine if getattr(engine, "workers", 1) > 1 else None,
                                settings.cluster)
    else:
        stream = sequential_items(todo())
    _read_all(stream, keys, failed, batch, report, progress, outlet, settings, outlet_names)


def _read_all(stream: Iterator[tuple[Source, Item | None]], keys: dict[str, str], failed: Counter[str],
              batch: _Batch, report: RunReport, progress: Progress, outlet: str | None,
              settings: IngestSettings, outlet_names: dict[str, str]) -> None:
    """Feed every item of ``stream`` to ``batch``, recording each source's progress (and failures) with it."""
    for source, entry in stream:
        key = keys[source.shown]
        if entry is None:  # the source is read to its end
            last = batch.progress.get(key)
            batch.progress[key] = SourceProgress(key, source.shown, last.position if last else 0, True, failed[key])
            progress.advance(source.size, report)
            continue
        pos, item = entry
        if isinstance(item, InputError):
            if not isinstance(item, SkippedInput):
                failed[key] += 1
            _fail(report, progress, item)
        else:
            item.outlet = outlet_for(item.url, outlet_names) or item.outlet
            if outlet and not item.outlet:
                item.outlet = outlet
            if item.published is None and item.extra.get("unparsed_date"):
                report.dates_unread += 1
            report.read += 1
            batch.add(item)
        batch.progress[key] = SourceProgress(key, source.shown, pos, False, failed[key])
        if len(batch.articles) >= settings.batch_size:
            batch.flush()
            progress.advance(0, report)
    batch.flush()


class ArticleSink:
    """Stores articles read elsewhere (a live feed's pages) through the same dedup and story stages
    as ``ingest``, keeping the story and copy indexes loaded between calls: a watcher that stores
    twenty pages at a time does not reload every story and signature for each batch."""

    def __init__(self, store: Store, story_settings: StorySettings | None = None,
                 ingest_settings: IngestSettings | None = None) -> None:
        self.store = store
        self.settings = ingest_settings or IngestSettings()
        self.index = StoryIndex(store, story_settings)
        self.near = NearDuplicateIndex(store)

    def ingest(self, articles: Iterable[Article], progress: Progress | None = None) -> RunReport:
        """Store ``articles``; those whose id is stored already are counted and left alone."""
        started = time.monotonic()
        report = RunReport()
        batch = _Batch(self.store, self.index, report, near=self.near, cluster=self.settings.cluster,
                       progress=progress)
        for article in articles:
            report.read += 1
            batch.add(article)
            if len(batch.articles) >= self.settings.batch_size:
                batch.flush()
                if progress:
                    progress.advance(0, report)
        batch.flush()
        report.seconds = time.monotonic() - started
        return report


def prepare(article: Article, vector: bool = True) -> Article:
    """Fill ``article.derived`` with what dedup, search and the story index need (fingerprint, MinHash,
    search keys, and with ``vector`` the term vector): pure work on the text, which the worker processes
    (or a Dask cluster) do beside the reading (the writer then only looks things up). A run that groups
    no stories makes no vector: it was a quarter of such a run's time."""
    if "fingerprint" not in article.derived:
        folded = words(article.body)  # folded once for both
        article.derived["fingerprint"] = fingerprint(article.body, folded)
        article.derived["minhash"] = signature_values(article.body, DedupSettings(), folded)
        article.derived["search"] = (index_text(article.title), index_text(article.body))
    if vector and "vector" not in article.derived:
        article.derived["vector"] = article_vector(article, StorySettings())   # the story index's, with defaults
    return article


def _publication_order(article: Article) -> tuple[bool, float, str]:
    """Oldest first, undated last; ties (one text filed under two sections at the same instant) by id,
    so the original of a copy does not depend on the order the files were read in."""
    ts = timestamp(article.published)
    return (ts is None, ts or 0.0, article.id)


MAX_LISTED_ERRORS = 10_000  # errors kept in the report (all are counted and printed as they happen)


def _fail(report: RunReport, progress: Progress, error: InputError) -> None:
    if isinstance(error, SkippedInput):  # e.g. a crawled home page: counted, not an error
        report.skipped[error.reason] += 1
        return
    report.failed[error.reason] += 1
    if len(report.errors) < MAX_LISTED_ERRORS:  # a file of a million bad lines must not fill memory
        report.errors.append(error)
    progress.error(error)


class _Batch:
    """Articles waiting to be written with the source progress they complete."""

    def __init__(self, store: Store, index: StoryIndex, report: RunReport,
                 near: NearDuplicateIndex | None = None, cluster: bool = True,
                 progress: Progress | None = None) -> None:
        self.store, self.index, self.report = store, index, report
        self.cluster = cluster
        self._created_before = index.created  # the index may outlive this batch (ArticleSink)
        self.fail = lambda error: _fail(report, progress or Progress(), error)
        self.near = near or NearDuplicateIndex(store)
        self.articles: list[Article] = []
        self.progress: dict[str, SourceProgress] = {}

    def add(self, article: Article) -> None:
        self.articles.append(article)

    def _published_after(self, original: str, ts: float | None, article_id: str, batch: dict[str, str]) -> bool:
        """Whether ``original``, a stored original (not one of this batch), comes after the article
        (``ts``, ``article_id``) in publication order (time, then id: the order a batch is read in)
        and can still give its place: its time is known and its story is in memory."""
        if ts is None or original in batch:
            return False
        seen = self.near.published_at(original)
        return (seen is not None and (ts, article_id) < (seen, original)
                and (not self.cluster or self.index.holds(original)))

    def flush(self) -> None:
        if not self.articles and not self.progress:
            return
        known = self.store.existing_ids([a.id for a in self.articles])  # id → body fingerprint
        fresh: list[Article] = []
        for a in self.articles:
            prepare(a, self.cluster)  # done already when a worker read it
            if a.id not in known:
                known[a.id] = a.derived["fingerprint"]
                fresh.append(a)
            elif known[a.id] in (None, a.derived["fingerprint"]):
                self.report.already_stored += 1
            else:  # the same id for another text: say so rather than lose either
                self.fail(BadRecord(f"id {a.id!r} is already used by another article with other text",
                                    a.path, a.record, hint="record skipped; give every record its own id"))
        prints = {a.id: a.derived["fingerprint"] for a in fresh}
        first = self.store.find_fingerprints(list(prints.values()))
        similarity: dict[str, float] = {}
        originals: list[Article] = []
        copies: list[tuple[Article, str | None]] = []  # with the story its original had when stored
        demoted: dict[str, tuple[str, float]] = {}  # stored original → (earlier copy taking its place, similarity)
        # a batch is read in publication order (undated last): the order a live stream would bring
        for a in sorted(fresh, key=_publication_order):
            fp = prints[a.id]
            ts = timestamp(a.published)
            sig = None
            if fp in first:
                found: tuple[str, float] | None = (first[fp][0], 1.0)
            else:
                sig = self.near.signature(a.body, a.derived["minhash"])
                found = self.near.find(sig, ts)
            if found is not None and found[0] in demoted:  # a copy of an original replaced in this batch
                found = (demoted[found[0]][0], found[1])
            if found is not None and self._published_after(found[0], ts, a.id, prints):
                # the stored "original" is a later copy of this one (a backfill, a feed read newest
                # first): this one takes its place, as if the two had arrived in publication order
                demoted[found[0]] = (a.id, round(found[1], 4))
                self.near.reroot(found[0], a.id)
                found = None
            if found is None:
                if sig is None:
                    sig = self.near.signature(a.body, a.derived["minhash"])
                self.near.add(a.id, sig, ts=ts)
                first[fp] = (a.id, None)
                originals.append(a)
            elif fp in first:
                a.duplicate_of, story = found[0], first[fp][1] if first[fp][0] == found[0] else None
                similarity[a.id] = 1.0
                copies.append((a, story))
            else:
                a.duplicate_of, similarity[a.id] = found[0], round(found[1], 4)
                self.near.add(a.id, sig, root=found[0], ts=ts)
                copies.append((a, None))
        if self.cluster:
            self.index.assign_batch(originals, {old: new for old, (new, _) in demoted.items()})
        for a, story in copies:
            self.report.copies += 1
            story = self.index.story_of(a.duplicate_of) or story or self.store.story_of(a.duplicate_of)
            if story:
                self.index.join(a, story)
        changes = self.index.changes()
        story_of = {a.id: a.story_id for a in originals}
        write = BatchWrite(fresh, changes.stories, changes.df_delta, list(self.progress.values()), prints,
                           changes.merges, self.near.take_pending(), similarity, changes.moves,
                           {old: (new, sim, story_of[new]) for old, (new, sim) in demoted.items()})
        added = self.store.write_batch(write)
        self.report.touched |= write.touched
        self.report.moved += len(changes.moves)
        self.report.replaced += len(demoted)
        self.report.stored += added
        self.report.new_stories = self.index.created - self._created_before
        self.articles = []
        self.progress = {}
