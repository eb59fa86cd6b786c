"""Near-duplicate copies: MinHash LSH (datasketch) over word shingles of the folded body.

A syndicated wire text arrives many times with small edits (a changed first line,
a dropped sentence, the outlet's own words for an actor). Such a copy is stored
once more only as a link to the earliest-published article, with its estimated Jaccard
similarity, and is left out of story clustering.

Threshold measured on 2026-11-26 (word 5-shingles, exact Jaccard): the invented
sample's two edited copies score 0.64 and 0.73; on the ant-stories dev window the
wire copies shared by two outlets score 0.53–0.92, while the most similar pair of
different articles scores 0.34. Hence ``near_threshold`` 0.5.
"""
from __future__ import annotations

from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ..normalize import words
from ..settings import DedupSettings
from ..store.base import Store


def shingles(body: str, size: int, folded_words: list[str] | None = None) -> set[bytes]:
    """Word ``size``-grams of the folded body (the whole text when shorter)."""
    w = words(body) if folded_words is None else folded_words
    if len(w) <= size:
        return {" ".join(w).encode()} if w else set()
    return {" ".join(w[i:i + size]).encode() for i in range(len(w) - size + 1)}


@cache
def _template(num_perm: int, seed: int) -> MinHash:
    """A MinHash whose permutations every signature reuses (making them costs a millisecond)."""
    return MinHash(num_perm=num_perm, seed=seed)


def signature_values(body: str, settings: DedupSettings, folded_words: list[str] | None = None) -> bytes | None:
    """The MinHash of ``body``'s shingles as bytes, or None for a body too short to compare.

    A pure function of the text, so it can run in a worker process.
    """
    grams = shingles(body, settings.shingle_words, folded_words)
    if len(grams) < settings.min_shingles:
        return None
    template = _template(settings.num_perm, settings.seed)
    m = MinHash(num_perm=settings.num_perm, seed=settings.seed, permutations=template.permutations,
                scheme=template.scheme)
    m.update_batch(list(grams))
    return m.hashvalues.astype(np.uint64).tobytes()


class NearDuplicateIndex:
    """Signatures of every article stored; ``find`` names the original a new body copies.

    Copies are indexed too, pointing at their original: a copy of a copy (edited twice
    on its way) still leads to the original.
    """

    def __init__(self, store: Store, settings: DedupSettings | None = None) -> None:
        self.settings = settings or DedupSettings()
        # candidates come from LSH tuned a little below the threshold; the estimate then decides,
        # so a copy whose estimate lands near the threshold is not lost to LSH banding
        self.lsh = MinHashLSH(threshold=max(0.1, self.settings.near_threshold - self.settings.candidate_margin),
                              num_perm=self.settings.num_perm)
        self.signatures: dict[str, LeanMinHash] = {}
        self.root: dict[str, str] = {}  # indexed id → the original it is (or copies)
        self.pending: dict[str, tuple[bytes, str]] = {}
        # stored signatures are read back with the hashing scheme of this datasketch version
        self._scheme = _template(self.settings.num_perm, self.settings.seed).scheme
        self.published: dict[str, float] = {}  # indexed id → publication time, for forgetting
        self.newest_ts: float | None = None
        self._since_eviction = 0
        for article_id, blob, root, ts in store.minhash_signatures():
            self._insert(article_id, self._from_bytes(blob), root, ts)
        self._evict()

    def signature(self, body: str, values: bytes | None = None) -> LeanMinHash | None:
        """The signature of ``body`` (``values``: its ``signature_values``, when already computed)."""
        values = values if values is not None else signature_values(body, self.settings)
        return None if values is None else self._from_bytes(values)

    def find(self, sig: LeanMinHash | None, ts: float | None = None) -> tuple[str, float] | None:
        """(id of the original, estimated Jaccard) for a copy, else None; with ``ts``,
        only articles published within ``retain_days`` of it count."""
        if sig is None:
            return None
        best: tuple[str, float] | None = None
        window = self.settings.retain_days * 86400
        for candidate in self.lsh.query(sig):
            seen = self.published.get(candidate)
            if ts is not None and seen is not None and abs(ts - seen) > window:
                continue
            sim = sig.jaccard(self.signatures[candidate])
            if sim >= self.settings.near_threshold and (best is None or sim > best[1]):
                best = (self.root[candidate], sim)
        return best

    def add(self, article_id: str, sig: LeanMinHash | None, root: str | None = None,
            ts: float | None = None) -> None:
        """Index an article (``root``: the original it copies; ``ts``: its publication time); the
        signature waits in ``pending`` until the store writes it."""
        if sig is None or article_id in self.signatures:
            return
        self._insert(article_id, sig, root or article_id, ts)
        self._since_eviction += 1
        if self._since_eviction >= 1000:
            self._evict()
        self.pending[article_id] = (sig.hashvalues.astype(np.uint64).tobytes(), root or article_id)

    def published_at(self, article_id: str) -> float | None:
        """Publication time of an indexed article (None when unknown or forgotten)."""
        return self.published.get(article_id)

    def reroot(self, old: str, new: str) -> None:
        """``old`` and its copies now copy ``new`` (an earlier-published copy took its place).
        Rare (a backfill), so a scan of the ids in memory; the store updates its rows itself."""
        for article_id, root in self.root.items():
            if root == old:
                self.root[article_id] = new
        for article_id, (blob, root) in self.pending.items():
            if root == old:
                self.pending[article_id] = (blob, new)

    def take_pending(self) -> dict[str, tuple[bytes, str]]:
        out, self.pending = self.pending, {}
        return out

    def _insert(self, article_id: str, sig: LeanMinHash, root: str, ts: float | None) -> None:
        self.signatures[article_id] = sig
        self.root[article_id] = root
        self.lsh.insert(article_id, sig, check_duplication=False)
        if ts is not None:
            self.published[article_id] = ts
            self.newest_ts = ts if self.newest_ts is None else max(self.newest_ts, ts)

    def _evict(self) -> None:
        """Forget articles published ``retain_days`` before the newest one (a copy arrives within
        days of its original); they stay in the store. Keeps memory flat over long runs."""
        self._since_eviction = 0
        if self.newest_ts is None:
            return
        cutoff = self.newest_ts - self.settings.retain_days * 86400
        for article_id in [i for i, ts in self.published.items() if ts < cutoff]:
            self.lsh.remove(article_id)
            del self.signatures[article_id], self.root[article_id], self.published[article_id]

    def _from_bytes(self, blob: bytes) -> LeanMinHash:
        return LeanMinHash(seed=self.settings.seed, hashvalues=np.frombuffer(blob, dtype=np.uint64),
                           scheme=self._scheme)
