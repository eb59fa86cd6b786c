"""Where bulk work runs: in this process, in local worker processes, or on a Dask cluster.

An engine takes pure functions of picklable inputs (reading and cleaning a chunk of input, analysing a
batch of stories) and hands back their results; whatever holds state (the story index, the store's
one writer) stays in the calling process. Three engines, one interface:

- ``InlineEngine``: in this process (one worker; what tests and small inputs use);
- ``LocalEngine``: a ``ProcessPoolExecutor`` of N processes on this machine;
- ``DaskEngine``: a ``distributed.Client`` on a Dask scheduler (``--scheduler tcp://host:8786`` or
  ``$MARSAD_DASK_SCHEDULER``), or on a ``distributed.LocalCluster`` of N worker processes started here
  when no scheduler is named. When a worker dies, the scheduler runs its tasks again on another
  (``distributed.scheduler.allowed-failures``, 3 by default): the caller sees each result once.

``submit(fn, *args)`` returns a future with ``result()``; ``unordered(fn, inputs)`` yields results as
tasks finish, keeping at most ``window`` tasks in flight so memory does not grow with the input.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from .errors import MarsadError
from .workers import start_worker

SCHEDULER_ENV = "MARSAD_DASK_SCHEDULER"
TASKS_IN_FLIGHT_PER_WORKER = 4


class EngineError(MarsadError):
    """The engine could not be started (no Dask, a scheduler that cannot be reached)."""


class InlineEngine:
    """Runs every task in this process, when it is asked for its result."""

    name = "local"
    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 — handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future

    def unordered(self, fn: Callable[[Any], Any], inputs: Iterable[Any]) -> Iterator[Any]:
        for item in inputs:
            yield fn(item)

    def close(self) -> None:
        pass

    def __enter__(self) -> "InlineEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalEngine(InlineEngine):
    """A pool of ``workers`` processes on this machine."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # its processes leave Ctrl-C to this one and end with it, however it ends (marsad.workers)
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return self.pool.submit(fn, *args)

    def unordered(self, fn: Callable[[Any], Any], inputs: Iterable[Any]) -> Iterator[Any]:
        pending: set[Future[Any]] = set()
        window = TASKS_IN_FLIGHT_PER_WORKER * self.workers
        for item in inputs:
            pending.add(self.pool.submit(fn, item))
            while len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()

    def close(self) -> None:  # a stopped run does not wait for the tasks still queued
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine(InlineEngine):
    """A Dask client: on the scheduler at ``scheduler``, else on a LocalCluster of ``workers`` processes."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError(f"the Dask engine needs the distributed package ({exc})",
                              hint="pip install dask distributed") from exc
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                # one thread per process: the tasks are pure Python and hold the GIL
                self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, processes=True,
                                            threads_per_worker=1, dashboard_address=None)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {exc}",
                              hint=f"start one with `dask scheduler`, or leave out --scheduler and "
                                   f"${SCHEDULER_ENV} to run a local cluster") from exc
        self.scheduler = scheduler or self.cluster.scheduler_address  # type: ignore[union-attr]
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        # pure=False: no hashing of the (large) inputs; every task is its own
        return self.client.submit(fn, *args, pure=False)

    def unordered(self, fn: Callable[[Any], Any], inputs: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        window = TASKS_IN_FLIGHT_PER_WORKER * self.workers
        queue = iter(inputs)
        running = as_completed()
        for item in queue:
            running.add(self.submit(fn, item))
            if running.count() >= window:
                break
        for future in running:
            result = future.result()
            future.release()
            nxt = next(queue, None)
            if nxt is not None:
                running.add(self.submit(fn, nxt))
            yield result

    def worker_pids(self) -> dict[str, int]:
        """Worker address → process id (tests kill one)."""
        return self.client.run(os.getpid)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def open_engine(name: str = "local", workers: int = 0, scheduler: str | None = None) -> InlineEngine:
    """The engine ``--engine`` names: ``local`` (``workers`` processes; 1 runs in this process) or
    ``dask`` (``scheduler``, else ``$MARSAD_DASK_SCHEDULER``, else a LocalCluster of ``workers``)."""
    workers = workers or os.cpu_count() or 1
    if name == "dask":
        return DaskEngine(scheduler or os.environ.get(SCHEDULER_ENV) or None, workers)
    if name != "local":
        raise EngineError(f"no engine named {name!r}", hint="use local or dask")
    return InlineEngine() if workers == 1 else LocalEngine(workers)


__all__ = ["DaskEngine", "EngineError", "InlineEngine", "LocalEngine", "open_engine", "SCHEDULER_ENV"]
