"""Reading and cleaning in worker processes, results handed back in input order.

Parsing, decoding and cleaning are pure functions of the input, so they run in a
``ProcessPoolExecutor``; deduplication, clustering and writing stay in the one
main process (they hold state), which consumes the results in the same order a
sequential run would see them, so positions for resuming stay exact. JSONL files
are cut into chunks of lines (one big export still uses every core); other inputs
go one file per task. At most ``4 × workers`` tasks are in flight, so memory does
not grow with the size of the input.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..article import Article
from ..errors import InputError
from ..workers import start_worker
from .readers.jsonl import jsonl_lines, parse_line, read_jsonl
from .sources import Source

Item = tuple[int, "Article | InputError"]
JSONL_CHUNK_LINES = 256
JSONL_CHUNK_BYTES = 8_000_000  # and fewer lines when they are long: the tasks in flight stay within memory


def numbered(source: Source, position: int) -> Iterator[Item]:
    """Items of a source with their record number (line, WARC record; 1 for one-article files; the
    number before for an error about the whole rest of a file, which has none)."""
    last = position
    for item in source.reader(source.path, source.shown, position):
        number = record_number(item)
        pos = number if number is not None else 1 if isinstance(item, Article) else last
        last = max(last, pos)
        yield pos, item


def record_number(item: Article | InputError) -> int | None:
    """N of a record "line N" or "WARC record N"; None when the item names no record."""
    tail = item.record.split()[-1] if item.record and item.record.split() else ""
    return int(tail) if tail.isdigit() else None


def _prepared(item: Item, vector: bool) -> Item:
    from ..pipeline import prepare  # the pipeline imports this module

    if isinstance(item[1], Article):
        prepare(item[1], vector)
    return item


def _whole_source(source: Source, position: int, vector: bool = True) -> list[Item]:
    return [_prepared(item, vector) for item in numbered(source, position)]


def _jsonl_chunk(shown: str, lines: list[tuple[int, bytes]], vector: bool = True) -> list[Item]:
    return [_prepared((n, parse_line(n, raw, shown)), vector) for n, raw in lines]


def _tasks(source: Source, position: int, pool: Executor, vector: bool) -> Iterator[Future[list[Item]]]:
    """Futures of the source's items, in order."""
    if source.reader is not read_jsonl:
        yield pool.submit(_whole_source, source, position, vector)
        return
    chunk: list[tuple[int, bytes]] = []
    chunk_bytes = 0
    last = position
    for line in jsonl_lines(source.path, source.shown, position):
        if isinstance(line, InputError):
            if chunk:
                yield pool.submit(_jsonl_chunk, source.shown, chunk, vector)
                chunk, chunk_bytes = [], 0
            last = record_number(line) or last
            done: Future[list[Item]] = Future()
            done.set_result([(last, line)])
            yield done
            continue
        last = line[0]
        chunk.append(line)
        chunk_bytes += len(line[1])
        if len(chunk) >= JSONL_CHUNK_LINES or chunk_bytes >= JSONL_CHUNK_BYTES:
            yield pool.submit(_jsonl_chunk, source.shown, chunk, vector)
            chunk, chunk_bytes = [], 0
    if chunk:
        yield pool.submit(_jsonl_chunk, source.shown, chunk, vector)


def parallel_items(work: Iterable[tuple[Source, int]], workers: int, engine: Any = None, vector: bool = True
                   ) -> Iterator[tuple[Source, Item | None]]:
    """For each (source, position): its items in order, then ``(source, None)`` when it is read.
    The tasks run on ``engine`` (``marsad.engine``: local processes or a Dask cluster, left open)
    when given, else on a pool of ``workers`` processes made for this run; ``vector``: whether they
    also make the story index's term vector (not when the run groups no stories)."""
    pool: Any = engine or ProcessPoolExecutor(max_workers=workers, initializer=start_worker,
                                              initargs=(os.getpid(),))
    window: deque[tuple[Source, Future[list[Item]] | None]] = deque()
    try:
        limit = 4 * workers
        for source, position in work:
            for future in _tasks(source, position, pool, vector):
                window.append((source, future))
                while len(window) > limit:
                    yield from _drain(window.popleft())
            window.append((source, None))
        while window:
            yield from _drain(window.popleft())
    finally:  # a stopped run does not wait for the tasks still queued
        if engine is None:
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            for _, future in window:
                if future is not None:
                    future.cancel()


def _drain(entry: tuple[Source, Future[list[Item]] | None]) -> Iterator[tuple[Source, Item | None]]:
    source, future = entry
    if future is None:
        yield source, None
        return
    for item in future.result():
        yield source, item


def sequential_items(work: Iterable[tuple[Source, int]]) -> Iterator[tuple[Source, Item | None]]:
    """The same stream as ``parallel_items``, read in this process."""
    for source, position in work:
        for item in numbered(source, position):
            yield source, item
        yield source, None


__all__ = ["parallel_items", "sequential_items", "numbered", "Path"]
