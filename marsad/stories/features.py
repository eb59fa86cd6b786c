"""What the "same happening?" model sees of an article and a candidate story.

``profile`` reads once per article what the pair features need besides its term
vector: who speaks before a colon in the headline, whether the headline is a
question or announces an analysis, photos or a video rather than the news itself,
the numbers of its title and lead, and its title terms. ``pair_features`` turns
an article and one candidate story into the numbers of ``FEATURES``, in that
order; ``add_ranks`` then adds how the candidate compares with the article's other
candidates. The story model (``model.py``) weighs them.

The features describe the story as a whole (its centroid, and how many of its
latest members the article matches), never only its nearest member: a story grows
by what matches it, not by a chain of near neighbours.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

from .. import langdata
from ..normalize import words
from .agents import agent_share
from .vectors import dot as _dot, terms_of

Vector = dict[str, float]

FEATURES: tuple[str, ...] = (
    "cos_centroid",      # cosine of the article's tf-idf vector with the story's centroid
    "cos_max",           # ... with its most similar member (of the latest ``members_compared``)
    "cos_mean",          # ... averaged over those members
    "cos_min",           # ... with the least similar of them
    "share_matched",     # share of those members the article matches at a cosine of 0.2 or more
    "margin",            # centroid cosine minus the best centroid cosine of the other candidates
    "rank",              # 0 for the candidate with the best centroid cosine, 1 for the next, … (at most 5)
    "hours_since_last",  # log(1 + hours from the story's latest article to this one)
    "hours_since_first", # log(1 + hours from the story's first article to this one)
    "days_span",         # the story's span in days if the article joined it
    "agent_named",       # 1 when the headline names who acts or speaks (as countries, ``agents.py``)
    "agent_share",       # share of the story's agent headlines naming one of its agents (−1: unknown)
    "agent_disjoint",    # 1 when the story's agent headlines name none of its agents
    "agent_evidence_disjoint",  # agent_disjoint weighed by how many agent headlines say so (5 or more: 1)
    "agent_evidence_share",     # agent_share (0 when unknown) weighed the same way
    "speaker_share",     # share of the story's "X:" headlines whose speaker is the article's (−1: unknown)
    "speaker_other",     # 1 when the headline has a speaker and no "X:" headline of the story has it
    "feature_piece",     # 1 when the headline is a question, an analysis, photos or a video
    "feature_share",     # share of the story's headlines that are
    "numbers_jaccard",   # Jaccard of the numbers in title and lead (−1 when either has none)
    "numbers_disjoint",  # 1 when both have numbers and share none
    "title_in_story",    # share of the title's terms found in the story's titles
    "title_best",        # best Jaccard of the title's terms with one member's title
    "hours_since_last_raw",  # hours from the story's latest article, capped at 48
)

# a member of a story matches the article from this cosine (``share_matched``)
_MATCH_COSINE = 0.2
_SPEAKER = re.compile(r"^([^:.؟?]{2,60}):")
_MAX_SPEAKER_WORDS = 4
_QUESTION = re.compile(r"[?؟]")
# this many agent headlines make a story's agents certain (agent_evidence_*)
_AGENT_EVIDENCE = 5
# numbers this small say little (one of two, the first)
_MIN_NUMBER = 3


@dataclass(frozen=True)
class Profile:
    """What the pair features read of one article besides its term vector."""

    speaker: str | None
    feature_piece: bool
    numbers: frozenset[str]
    title_terms: frozenset[str]


@cache
def _cues() -> tuple[frozenset[str], frozenset[str]]:
    """(phrases that open a feature headline, words that mark one anywhere): ``feature_cues.txt``."""
    cues = langdata.feature_cues()
    return (frozenset(" ".join(p) for kind, p in cues if kind == "opening"),
            frozenset(" ".join(p) for kind, p in cues if kind == "anywhere"))


def profile(title: str | None, body: str | None, lead_words: int = 60) -> Profile:
    """Read an article's speaker, kind of headline, numbers and title terms."""
    title = (title or "").strip()
    speaker = None
    found = _SPEAKER.match(title)
    if found:
        ws = words(found.group(1))
        if 0 < len(ws) <= _MAX_SPEAKER_WORDS:
            speaker = " ".join(ws)
    ws = words(title)
    opening, anywhere = _cues()
    piece = bool(_QUESTION.search(title)) or any(
        " ".join(ws[:n]) in opening for n in (1, 2)) or any(w in anywhere for w in ws)
    lead = " ".join((body or "").split()[:lead_words])
    numbers = frozenset(w for w in words(title + " " + lead) if w.isdigit() and int(w) >= _MIN_NUMBER)
    return Profile(speaker, piece, numbers, frozenset(terms_of(title)))


@dataclass
class Candidate:
    """A candidate story as the features see it: its unit centroid and its latest members."""

    centroid: Vector                    # unit tf-idf
    first_ts: float | None
    last_ts: float | None
    member_vecs: list[Vector]           # unit tf-idf of its latest members
    member_profiles: list[Profile]
    member_agents: list[tuple[str, ...]]
    titles_terms: frozenset[str]        # title terms of all its latest members
    # read once from the members (a story is a candidate of many articles)
    named: list[tuple[str, ...]] = field(init=False)    # the members' agents, of those that name any
    speakers: list[str] = field(init=False)             # the members' headline speakers
    numbers: frozenset[str] = field(init=False)         # the numbers of all their titles and leads
    feature_share: float = field(init=False)            # share of them that are feature pieces

    def __post_init__(self) -> None:
        # no profiles known (a story read back from the store): pair_features gives its "unknown"
        # values, never the article against itself
        profiles = self.member_profiles
        self.named = [a for a in self.member_agents if a]
        self.speakers = [p.speaker for p in profiles if p.speaker]
        self.numbers = frozenset().union(*(p.numbers for p in profiles))
        self.feature_share = sum(p.feature_piece for p in profiles) / len(profiles) if profiles else 0.0


def pair_features(vec: Vector, ts: float | None, prof: Profile, agents: tuple[str, ...],
                  story: Candidate) -> dict[str, float]:
    """The features of one (article, candidate story) pair, but for ``margin`` and ``rank``."""
    cos_c = _dot(vec, story.centroid)
    cos = [_dot(vec, v) for v in story.member_vecs] or [cos_c]
    since_last = max(0.0, (ts - story.last_ts) / 3600) if ts is not None and story.last_ts is not None else 0.0
    since_first = max(0.0, (ts - story.first_ts) / 3600) if ts is not None and story.first_ts is not None else 0.0
    span = 0.0
    if ts is not None and story.first_ts is not None and story.last_ts is not None:
        span = (max(ts, story.last_ts) - min(ts, story.first_ts)) / 86400
    named, speakers, numbers, profiles = story.named, story.speakers, story.numbers, story.member_profiles
    share = -1.0
    if agents and named:
        share = agent_share(agents, named)
    speaker_share = sum(1 for s in speakers if s == prof.speaker) / len(speakers) if prof.speaker and speakers else -1.0
    jaccard = len(prof.numbers & numbers) / len(prof.numbers | numbers) if prof.numbers and numbers else -1.0
    tt = prof.title_terms
    best_title = max((len(tt & p.title_terms) / (len(tt | p.title_terms) or 1) for p in profiles), default=0.0)
    return {
        "cos_centroid": cos_c,
        "cos_max": max(cos),
        "cos_mean": sum(cos) / len(cos),
        "cos_min": min(cos),
        "share_matched": sum(1 for c in cos if c >= _MATCH_COSINE) / len(cos),
        "hours_since_last": math.log1p(since_last),
        "hours_since_first": math.log1p(since_first),
        "days_span": span,
        "agent_named": float(bool(agents)),
        "agent_share": share,
        "agent_disjoint": float(share == 0.0),
        "agent_evidence_disjoint": float(share == 0.0) * min(len(named), _AGENT_EVIDENCE) / _AGENT_EVIDENCE,
        "agent_evidence_share": max(share, 0.0) * min(len(named), _AGENT_EVIDENCE) / _AGENT_EVIDENCE,
        "speaker_share": speaker_share,
        "speaker_other": float(bool(prof.speaker) and bool(speakers) and prof.speaker not in speakers),
        "feature_piece": float(prof.feature_piece),
        "feature_share": story.feature_share,
        "numbers_jaccard": jaccard,
        "numbers_disjoint": float(bool(prof.numbers) and bool(numbers) and not prof.numbers & numbers),
        "title_in_story": len(tt & story.titles_terms) / (len(tt) or 1),
        "title_best": best_title,
        "hours_since_last_raw": min(since_last, 48.0),
    }


def add_ranks(rows: list[dict[str, float]]) -> None:
    """Fill ``margin`` and ``rank`` of each candidate's features against the article's other candidates."""
    best = sorted((r["cos_centroid"] for r in rows), reverse=True)
    for r in rows:
        c = r["cos_centroid"]
        runner_up = (best[1] if len(best) > 1 else 0.0) if c == best[0] else best[0]
        r["margin"] = c - runner_up
        r["rank"] = float(min(best.index(c), 5))


def vector_of(row: dict[str, float]) -> list[float]:
    return [row[name] for name in FEATURES]


