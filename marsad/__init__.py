"""Marsad (مرصد): an observatory of Arabic news.

Public API: :class:`Article`, :func:`run` (ingest paths into a store),
:func:`open_store`.
"""
from .article import Article

__version__ = "0.1.0"


def open_store(url: str | None = None):
    """Open the store at ``url`` (a SQLite file path); see :mod:`marsad.store`."""
    from .store import open_store as _open

    return _open(url)


def run(paths, store, **kwargs):
    """Ingest ``paths`` into ``store``; returns the run's :class:`~marsad.pipeline.RunReport`."""
    from .pipeline import ingest

    return ingest(paths, store, **kwargs)


__all__ = ["Article", "open_store", "run", "__version__"]
