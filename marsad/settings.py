"""Every tunable of Marsad, declared once: name, default (with unit in the name) and why.

Values measured on the labelled dev window of ant-stories (see ``benchmarks/``);
the effect of each is written beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class StorySettings:
    # cosine (tf-idf, title-weighted) above which an article joins a story's centroid
    join_threshold: float = 0.30
    # an article joins only stories active within this many hours of its publication
    window_hours: float = 72.0
    # title words count this many times in an article's vector
    title_weight: float = 3.0
    # only the first this-many words of the body enter the vector (the lead carries the event)
    lead_words: int = 150
    # a story's centroid keeps its this-many heaviest terms
    centroid_terms: int = 120
    # candidate stories come from the postings of an article's this-many highest-idf terms
    candidate_terms: int = 12
    # idf is damped until this many articles are stored (few documents give noisy idf)
    idf_full_docs: int = 200


@dataclass(frozen=True)
class IngestSettings:
    # articles written per transaction (and per progress update)
    batch_size: int = 200


def describe(obj: object) -> list[tuple[str, object]]:
    return [(f.name, getattr(obj, f.name)) for f in fields(obj)]  # type: ignore[arg-type]
