"""Every tunable of Marsad, declared once: name, default (with unit in the name) and why.

Values measured on the labelled dev window of ant-stories (see ``benchmarks/``);
the effect of each is written beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from . import __version__


@dataclass(frozen=True)
class StorySettings:
    # how an article is matched with a candidate story: "model", the learned "same happening?" model
    # (stories/model.py, features in stories/features.py, trained by scripts/train_story_model.py;
    # it joins at the model's own threshold), or "cosine", the centroid cosine with the agent rules
    # below at join_threshold (the clusterer before the model; kept to compare against)
    scorer: str = "model"
    # a story model file written by scripts/train_story_model.py ("" = the one shipped with Marsad)
    model_path: str = ""
    # no story spans more than this many hours from its first to its last article: a story is one
    # occasion, and what goes on for days is a thread of several stories
    max_span_hours: float = 72.0
    # cosine (tf-idf, title-weighted) above which an article joins a story's centroid (scorer "cosine")
    join_threshold: float = 0.30
    # an article joins only stories active within this many hours of its publication: a story quiet
    # this long is over, and the same actors on a later occasion (the match after the title, the
    # funeral after the death) start a new story of the same thread. Dev, 2026-12-01, stories
    # B³ P / R / F1 and pairwise F1: 72 h 0.903 / 0.850 / 0.875, 0.633; 20 h 0.876, 0.633;
    # 16 h 0.921 / 0.847 / 0.882, 0.638; 14 h 0.885, 0.639; 10–12 h 0.881–0.882, 0.635; 8 h 0.873,
    # 0.565; 4 h 0.867, 0.516 (threads 0.868 throughout). 16 h and not 14: the invented sample's
    # visits end with a report the next morning, 14–15 h after the last (marsad/data/sample/GROUPS.json)
    window_hours: float = 16.0
    # when older articles arrive late, placed articles published up to this many hours after the
    # newest of them are taken back and placed again (their idf, and so their stories, change).
    # Longer than window_hours: with 16 h here as well, dev read backwards in batches of 50 fell
    # to B³ 0.832 / pairwise 0.19, against 0.882 / 0.638 in one batch
    rewind_hours: float = 72.0
    # title words count this many times in an article's vector
    title_weight: float = 3.0
    # only the first this-many words of the body enter the vector (the lead carries the event)
    lead_words: int = 150
    # a story's centroid keeps its this-many heaviest terms
    centroid_terms: int = 120
    # candidate stories come from the postings of an article's this-many highest-idf terms
    candidate_terms: int = 12
    # at most this many candidate stories (those sharing most of those terms) are scored
    max_candidates: int = 15
    # and at most this many candidate threads (10 → 15 → 30 measured no story change; threads need 30)
    max_thread_candidates: int = 30
    # idf is damped until this many articles are stored (few documents give noisy idf)
    idf_full_docs: int = 200
    # weight of the nearest member's cosine against the centroid's (0 = centroid only)
    nearest_weight: float = 0.0
    # the nearest-member cosine looks at a story's this-many latest members
    members_compared: int = 30
    # subtracted when the story already has an article of the same outlet within a day
    # (one outlet rarely files one event twice), unless the two are near copies
    same_outlet_day_penalty: float = 0.0
    # cosine above which two articles count as near copies (no same-outlet penalty)
    copy_similarity: float = 0.8
    # a changed story absorbs another whose centroid it matches at this cosine (1.0 = never)
    merge_threshold: float = 1.0
    # "A reaction by another actor is another story". Once agent_evidence of a story's headlines name
    # who acts or speaks (as countries: "روسيا: …", "ماتيس: …"; see stories/agents.py), a headline whose
    # agent at most agent_min_share of them name loses agent_penalty of its similarity with the story,
    # and one that at least agent_bonus_share of them name gains agent_bonus. Dev, 2026-12-01, stories
    # B³ F1 / pairwise F1 (join_threshold 0.30):
    #   no agents 0.856 / 0.530; penalty only (0.1, share 0) 0.866 / 0.576; penalty at share ≤ 0.1 0.870 / 0.588
    #   min_share 0.05 / 0.1 / 0.15 (bonus 0.08): 0.871 / 0.619, 0.875 / 0.633, 0.875 / 0.633; 0.2: 0.859 / 0.520
    #   bonus 0.05 / 0.08 / 0.1 / 0.12 / 0.15: 0.873 / 0.610, 0.875 / 0.633, 0.878 / 0.655, 0.866 / 0.603, 0.867 / 0.603
    #   bonus_share 0.15–0.2: 0.867 / 0.603; 0.3–0.5: 0.875 / 0.633; evidence 3, 5, 8: the same
    # (0.08 keeps clear of the drop at 0.12; evidence 2 let a story's first headlines, which do not yet say
    # who acts, decide: 0.839 / 0.370 with the penalty alone)
    agent_penalty: float = 0.1
    agent_bonus: float = 0.08
    agent_evidence: int = 3
    agent_min_share: float = 0.1
    agent_bonus_share: float = 0.4
    # a new story joins the thread whose centroid it matches at this cosine (dev, 2026-12-01, thread
    # B-cubed F1: 0.12 → 0.793, 0.15 → 0.843, 0.17 → 0.870, 0.18 → 0.868, 0.20 → 0.861, 0.25 → 0.837;
    # the middle of the 0.17–0.20 plateau)
    thread_threshold: float = 0.18
    # weight of vowel-less skeleton terms (ترامب = ترمب) added beside the stems (0 = off)
    skeleton_weight: float = 0.5
    # added to the similarity for an article published right beside a story's member,
    # fading with the gap (time_bonus · exp(−gap / time_scale_hours))
    time_bonus: float = 0.0
    time_scale_hours: float = 12.0
    # stories and threads that ended this many days before the newest article leave memory
    # (they stay in the store); keeps memory flat over years of news
    retain_days: float = 14.0
    # how often (in articles) the index looks for stories to let go
    evict_every: int = 500
    # threads stay open this long after their latest article
    thread_window_hours: float = 120.0


@dataclass(frozen=True)
class DedupSettings:
    # estimated Jaccard of word shingles from which a body is a copy of an earlier one
    # (measured: edited copies 0.53–0.92, different articles ≤ 0.34; see dedup/near.py)
    near_threshold: float = 0.5
    # words per shingle
    shingle_words: int = 5
    # MinHash permutations (standard error of the Jaccard estimate ≈ sqrt(J(1−J)/num_perm): 0.03 at
    # J = 0.6 with 256; with 128 an edited copy of true J 0.60 was once estimated under 0.5)
    num_perm: int = 256
    # LSH looks for candidates this far below near_threshold (the estimate then decides)
    candidate_margin: float = 0.1
    seed: int = 1
    # bodies with fewer shingles than this are too short to call copies by overlap
    min_shingles: int = 8
    # copies are looked for among articles published up to this many days before the newest
    retain_days: float = 30.0


@dataclass(frozen=True)
class IngestSettings:
    # articles written per transaction (and per progress update)
    batch_size: int = 200
    # processes that read and clean input (0 = one per core); dedup, stories and writes stay in one
    workers: int = 0
    # below this much input, worker processes cost more to start than they save
    parallel_min_bytes: int = 2_000_000
    # group articles into stories while ingesting (off only to measure the other stages)
    cluster: bool = True


@dataclass(frozen=True)
class CompareSettings:
    # a clause (between commas) shorter than this many words joins its neighbour
    min_clause_words: int = 6
    # a copied passage shares at least this many words (in runs of 3) with another outlet
    copied_min_words: int = 8
    # shared runs this many words apart or less (on both sides) are one passage: small edits
    copied_max_gap_words: int = 3
    # a sentence this share of whose words is copied counts as copied, not as "only here"
    copied_unit_share: float = 0.5
    # sentences shorter than this many words are not compared as claims
    min_claim_words: int = 4
    # cosine (+ shared stems/numbers bonus) from which two sentences state the same claim
    same_claim_min_score_use: float = 0.62
    same_claim_min_score_tfidf: float = 0.45
    # ... or, when higher, the story's mean cross-outlet similarity plus this many standard deviations
    same_claim_z: float = 2.0
    # a mutual best pair scoring up to this much below the threshold is a same claim too when it stands
    # same_claim_clear_gap or more above each sentence's next best counterpart in the other article
    # (a paraphrase that shares few words, with nothing else in the other article near it)
    same_claim_clear_below: float = 0.1
    same_claim_clear_gap: float = 0.15
    # in a same-claim group every two sentences score at least the threshold minus this
    same_claim_group_slack: float = 0.1
    # only-here sentences score below the same-claim threshold minus this with every other outlet's
    # sentences; above 0 it leaves a band of "related" sentences, neither same claim nor only here
    # (0.1 with USE lost a true only-here sentence of the seeds, so 0 by default)
    only_here_margin: float = 0.0
    # only-here sentences have at least this many words
    min_only_here_words: int = 4
    # sentence encoder: auto (USE up to use_max_words words in the story, else tf-idf), use, tfidf
    encoder: str = "auto"
    use_max_words: int = 2500
    # the story summary has at most this many sentences
    summary_sentences: int = 5
    # a summary sentence is dropped when this similar (cosine) to one already chosen
    summary_max_redundancy: float = 0.35


# the address the feed watcher's User-Agent gives (a placeholder until the project has its home)
PROJECT_URL = "https://github.com/marsad-news/marsad"
USER_AGENT = f"Marsad/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True)
class WatchSettings:
    # seconds between two polls of all feeds (`marsad watch --interval`)
    interval_seconds: float = 900.0
    # connect/read timeout of one request
    timeout_seconds: float = 20.0
    # pause between two requests to the same host (and never two at once to one host)
    host_delay_seconds: float = 1.0
    # hosts fetched at the same time
    concurrency: int = 4
    # tries of one request in one poll (timeouts, connection errors, 429, 5xx)
    retries: int = 3
    # wait before the second try; doubled for each further try
    backoff_seconds: float = 1.0
    # polls over which a failed page is tried again before it is given up
    max_attempts: int = 5
    # redirects followed before a page counts as a redirect loop
    max_redirects: int = 5
    # larger responses are cut off and skipped
    max_bytes: int = 5_000_000
    # pages of one feed stored per transaction (a killed run refetches at most this many)
    batch_size: int = 20
    # robots.txt of a host is fetched again after this many seconds
    robots_ttl_seconds: float = 86_400.0
    # a whole response (headers and body) that takes longer than this is given up: a server that
    # drips a byte at a time never trips the timeout between two reads
    max_response_seconds: float = 60.0
    # fetch feeds and pages on loopback, private, link-local and other non-public addresses (also
    # when a redirect leads there); off, so that a feed cannot make Marsad probe the network it runs in
    allow_private: bool = False
    user_agent: str = USER_AGENT


def describe(obj: object) -> list[tuple[str, object]]:
    return [(f.name, getattr(obj, f.name)) for f in fields(obj)]  # type: ignore[arg-type]
