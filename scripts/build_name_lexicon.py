"""Build the name lexicon in marsad/data/ar/ from the ANT corpus (run by hand; the output is committed).

Names recur: the corpus itself says which strings are names of persons and bodies,
by what stands around them in many articles. Over every article of ANT (A. Chouigui,
O. Ben Khiroun, B. Elayeb, Arabian Journal for Science and Engineering 46(8), 2021;
../shared/data/ant-full/articles.jsonl.gz, read in place) this script writes:

- nisba_mined.tsv: adjectives of nationality derived from the gazetteer's country names
  (مصر → المصري, ألمانيا → الألماني, الأرجنتين → الأرجنتيني) that the corpus uses at
  least ``--min-nisba`` times; they let a nationality stand before a name as a title does
  ("الألماني يورغن كلوب") and keep a body with its country.
- names.tsv: persons and bodies with the number of articles each was found in, by cue:
  persons after a title or role ("الرئيس الروسي فلاديمير بوتين", "مدرب ليفربول يورغن
  كلوب"), as the subject of a verb of saying ("قال يورغن كلوب"), in apposition between
  commas after a role ("قائد ليفربول السابق، ستيفن جيرارد،"); bodies after an indefinite
  head that names them ("حركة حماس", "فريق ليفربول", "صحيفة واشنطن بوست") or after a
  sport role ("لاعب برشلونة", "مدرب ليفربول"); a short form in brackets after a body's
  name ("حركة المقاومة الإسلامية (حماس)") is kept as that body's alias. Only strings
  found in at least ``--min-articles`` articles are kept, and a name that another one
  extends in most of its articles ("باراك" / "باراك أوباما") gives way to the longer.

Usage: python scripts/build_name_lexicon.py [--ant PATH] [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad import langdata  # noqa: E402
from marsad.normalize import fold_for_match  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "marsad" / "data" / "ar"
ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant-full" / "articles.jsonl.gz"
CITATION = "ANT corpus (A. Chouigui, O. Ben Khiroun, B. Elayeb, AJSE 46(8), 2021)"


def read_ant(path: Path, limit: int | None = None):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            o = json.loads(line)
            yield o.get("id"), (o.get("title") or "") + "\n" + (o.get("text") or "")


# ---- adjectives of nationality ---------------------------------------------------------

def nisba_candidates(country: str) -> set[str]:
    """Folded adjectives a country's name may give: مصر → المصري, ألمانيا → الالماني, اليابان → الياباني."""
    name = fold_for_match(country)
    if " " in name:
        return set()
    bare = name[2:] if name.startswith("ال") else name
    stems = {bare}
    for end in ("يا", "ا", "ه", "ي"):
        if bare.endswith(end) and len(bare) - len(end) >= 3:
            stems.add(bare[:-len(end)])
    return {"ال" + s + "ي" for s in stems if len(s) >= 4}   # "مالي" → "المالي" is "financial" too


def mine_nisba(word_counts: Counter[str], min_count: int) -> list[tuple[str, str, int]]:
    """(adjective, country code, corpus count) for every derived adjective the corpus uses enough."""
    known = set(langdata.nisba())
    by_word: dict[str, set[str]] = defaultdict(set)
    for key, entries in langdata.places().items():
        for kind, code in entries:
            if kind == "country" and len(key) == 1:
                for cand in nisba_candidates(key[0]):
                    by_word[cand].add(code)
    out = []
    for word, codes in sorted(by_word.items()):
        if word in known or len(codes) != 1:
            continue
        n = word_counts[word] + word_counts[word + "ه"]
        if n >= min_count:
            out.append((word, next(iter(codes)), n))
    return out


# ---- names -----------------------------------------------------------------------------

PERSON_CUES = ("title", "role", "speech")
MIN_ONE_WORD = 5      # articles a one-word name must be found in ("بارنييه"; a full name needs --min-articles)
DEFINITE_SHARE = 0.3   # a word written with ال in this share of the articles that hold it bare is an everyday word


class Found:
    """What the corpus says about one name: articles, cues, spellings, the bodies it is a short form of."""

    __slots__ = ("articles", "cues", "forms", "full")

    def __init__(self) -> None:
        self.articles = 0
        self.cues: Counter[str] = Counter()
        self.forms: Counter[str] = Counter()
        self.full: Counter[tuple[str, ...]] = Counter()


def mine_names(texts, name_df: Counter[str]) -> tuple[dict[tuple[str, ...], Found], dict[tuple[str, ...], Found]]:
    """Persons and bodies found from cues in every article (before names.tsv is used); ``name_df``
    counts the articles in which each word stands inside a person's name."""
    from marsad.entities.extract import Scanner
    from marsad.entities.lexicon import lexicon

    lex = lexicon(with_names=False)
    persons: dict[tuple[str, ...], Found] = defaultdict(Found)
    bodies: dict[tuple[str, ...], Found] = defaultdict(Found)
    started = time.monotonic()
    for n, (_aid, text) in enumerate(texts, 1):
        sc = Scanner(text, lex)
        sc.scan()
        seen: set[tuple[str, tuple[str, ...]]] = set()
        name_df.update({w for m in sc.mentions if m.type == "person" and not m.role_only for w in m.key})
        for m in sc.mentions:
            if m.type == "person" and m.key and not m.role_only and m.cue in PERSON_CUES:
                f = persons[m.key]
                f.cues[m.cue] += 1
                f.forms[m.text] += 1
                if ("p", m.key) not in seen:
                    seen.add(("p", m.key))
                    f.articles += 1
        for key, cue, form, full in sc.named_bodies():
            f = bodies[key]
            f.cues[cue.split(":")[0]] += 1
            f.forms[form] += 1
            if full:
                f.full[full] += 1
            if ("b", key) not in seen:
                seen.add(("b", key))
                f.articles += 1
        if n % 2000 == 0:
            print(f"  {n:,} articles, {n / (time.monotonic() - started):,.0f}/s", file=sys.stderr)
    return persons, bodies


def keep_maximal(found: dict[tuple[str, ...], Found], min_articles: int) -> dict[tuple[str, ...], Found]:
    """Names seen in enough articles; a name that a longer one extends in most of its articles gives way."""
    kept = {k: v for k, v in found.items() if v.articles >= min_articles}
    out = {}
    for key, value in kept.items():
        longer = [v.articles for k, v in kept.items() if len(k) > len(key) and k[:len(key)] == key]
        if longer and max(longer) * 2 >= value.articles:
            continue   # "باراك" alone is mostly "باراك أوباما"
        out[key] = value
    return out


def mostly_names(found: dict[tuple[str, ...], Found], df: Counter[str], share: float
                 ) -> dict[tuple[str, ...], Found]:
    """Names whose rarest word the corpus writes as this name in at least ``share`` of the articles
    holding it: "بايرن" after فريق or لاعب, not "إرهابية" after منظمة, "قائلا" after a title, or a given
    name ("عمر") cut from a longer one. (Exempting full names from it let phrases after a cue in: "حيز
    التنفيذ", "نزع السلاح"; measured on the gold stories, 2026-12-04.)"""
    out = {}
    for key, f in found.items():
        if f.articles < share * min(df[w] for w in key):
            continue
        if any(not w.startswith("ال") and df["ال" + w] >= DEFINITE_SHARE * df[w] for w in key):
            continue   # "أنباء", "متخصص", "إرهابية", "حاكم": everyday words, often written with ال
        if any(w.startswith("لل") or w.endswith(("ها", "هم", "هما")) for w in key):
            continue   # "للتواصل", "شركاتها": a glued preposition or pronoun, no name
        if any(not re.fullmatch(r"[\u0621-\u064a]+", w) for w in key) and len(key) > 1:
            continue   # "لـCNN": a Latin name with a glued preposition
        out[key] = f
    return out


def no_given_names(persons: dict[tuple[str, ...], Found]) -> dict[tuple[str, ...], Found]:
    """A one-word name that opens other names ("عمر", "جيروم") is a given name, not a person."""
    firsts = {k[0] for k in persons if len(k) > 1}
    return {k: f for k, f in persons.items() if len(k) > 1 or (k[0] not in firsts and f.articles >= MIN_ONE_WORD)}


def not_name_words(df: Counter[str], name_df: Counter[str], persons: dict[tuple[str, ...], Found],
                   min_df: int, share: float) -> list[str]:
    """Frequent words that almost never stand in a name found from a cue: verbs and nouns a cue may
    be followed by ("الرئيس الفلسطيني يتوعد حماس", "قررت اتخاذ"); a name does not start with one."""
    known = {w for k in persons for w in k}
    return sorted(w for w, n in df.items() if n >= min_df and w not in known and not w.startswith("ال")
                  and re.fullmatch(r"[\u0621-\u064a]{3,}", w) and name_df[w] < share * n)


def write_words(words_: list[str]) -> None:
    lines = [f"# Generated by scripts/build_name_lexicon.py from the {CITATION}: words found in many",
             "# articles that almost never stand in a name a title, role or verb of saying introduces; a name",
             "# does not start with one (\"الرئيس يتوعد\", \"قررت اتخاذ\"). Do not edit by hand."]
    (DATA / "not_name_words.txt").write_text("\n".join(lines + words_) + "\n", encoding="utf-8")


def write_nisba(rows: list[tuple[str, str, int]]) -> None:
    lines = ["# Generated by scripts/build_name_lexicon.py: adjectives of nationality derived from the gazetteer's",
             f"# country names that the {CITATION} uses.",
             "# Do not edit by hand: add adjectives to nisba.tsv. adjective<TAB>ISO 3166 country code<TAB>occurrences"]
    lines += [f"{w}\t{c}\t{n}" for w, c, n in rows]
    (DATA / "nisba_mined.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_names(persons: dict[tuple[str, ...], Found], bodies: dict[tuple[str, ...], Found]) -> None:
    lines = [f"# Generated by scripts/build_name_lexicon.py from the {CITATION}: names that recur as names.",
             "# Do not edit by hand. name (its commonest spelling)<TAB>kind (person|organization)<TAB>articles",
             "# <TAB>cues (how often each cue found it: title, role, speech; head, sport, bracket)",
             "# [<TAB>the body's name a short form in brackets stands for]"]
    rows = []
    seen: set[str] = set()
    for kind, found in (("organization", bodies), ("person", persons)):
        for key, f in found.items():
            name = f.forms.most_common(1)[0][0]
            if fold_for_match(name) in seen:
                continue
            seen.add(fold_for_match(name))
            cue_text = ",".join(f"{c}:{n}" for c, n in f.cues.most_common())
            row = f"{name}\t{kind}\t{f.articles}\t{cue_text}"
            if f.full and f.cues["bracket"] * 2 >= sum(f.cues.values()):
                row += "\t" + " ".join(f.full.most_common(1)[0][0])
            rows.append((kind, -f.articles, name, row))
    rows.sort()
    lines += [r[3] for r in rows]
    (DATA / "names.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ant", type=Path, default=ANT)
    ap.add_argument("--limit", type=int, default=None, help="read only the first N articles (a trial run)")
    ap.add_argument("--min-nisba", type=int, default=20)
    ap.add_argument("--min-articles", type=int, default=3)
    ap.add_argument("--min-df", type=int, default=30, help="articles a word must be in to be judged no name")
    ap.add_argument("--not-name-share", type=float, default=0.01,
                    help="a word inside a cued name in less than this share of its articles is no name")
    ap.add_argument("--share", type=float, default=0.15,
                    help="share of the articles holding a name's rarest word that must find it as this name")
    args = ap.parse_args()
    from marsad.normalize import words

    counts: Counter[str] = Counter()   # occurrences of each folded word
    df: Counter[str] = Counter()       # articles holding it
    for _, text in read_ant(args.ant, args.limit):
        ws = words(text)
        counts.update(ws)
        df.update(set(ws))
    write_nisba(mine_nisba(counts, args.min_nisba))
    langdata.clear_caches()
    from marsad.entities.lexicon import lexicon

    lexicon.cache_clear()
    name_df: Counter[str] = Counter()
    persons, bodies = mine_names(read_ant(args.ant, args.limit), name_df)
    persons = no_given_names(mostly_names(keep_maximal(persons, args.min_articles), df, args.share))
    bodies = mostly_names(keep_maximal(bodies, args.min_articles), df, args.share)
    # "قالت حماس", "لبي بي سي": a body (with a glued ل), not a person
    persons = {k: v for k, v in persons.items()
               if k not in bodies and not (k[0].startswith("ل") and (k[0][1:],) + k[1:] in bodies)}
    write_names(persons, bodies)
    write_words(not_name_words(df, name_df, persons, args.min_df, args.not_name_share))
    print(f"{len(persons):,} persons, {len(bodies):,} bodies", file=sys.stderr)


if __name__ == "__main__":
    main()
