"""Rule-and-data mention extraction from one text: persons, organisations, places, with their labels.

Arabic has no capitals, so a name is found by what stands around it: a title
("المشير خليفة حفتر"), a role phrase ("رئيس المخابرات العامة المصرية"), a verb of
saying ("قال حفتر"), quotation marks, a head noun for bodies ("حكومة الوفاق",
"قوات حفتر"), the place gazetteer and place cues ("مدينة ترهونة"). Every word list
is data (see ``lexicon``); every word is looked up through the light segmenter
``normalize.proclitic_readings`` so "وحفتر", "لحفتر", "بالقاهرة" are found.

``scan`` finds mentions from cues; ``link_aliases`` then finds the names learned
anywhere in a story where no cue stands ("حفتر" alone, "السيسي").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..normalize import fold_for_match, fold_with_offsets, proclitic_readings, words
from .lexicon import Lexicon, Phrase, head_lemma, lexicon

_TOKEN = re.compile(r"[\u0621-\u064a0-9a-z]+")
_ARABIC = re.compile(r"[\u0621-\u064a]")
_TANWEEN = re.compile(r"[\u064b-\u064d]")
_QUOTES = set("\"'«»“”„‘’")
_SOFT = _QUOTES | set("()")     # separators a name or a body's name may carry: قوات "حفتر"
_HASHTAG = set("#_")
NAMED_CUES = frozenset({"name", "lexicon", "namehead", "acronym"})   # a body named by its own name, not a head            # "#محمود_عباس" is the name محمود عباس
_COMMA = set("،,")


@dataclass(slots=True)
class Token:
    text: str            # folded
    start: int           # offsets in the original text
    end: int
    sep: str             # folded non-space characters between the previous token and this one
    readings: list[tuple[int, str]]
    fstart: int          # offset in the folded text


@dataclass
class Mention:
    """A stretch of text naming an actor or a place.

    ``key`` is the folded name (words without proclitics); ``labels`` are the
    descriptors this text puts next to it (titles, role phrases, the body's full
    name as written); ``leader`` is the key of the person a body is said to be led by.
    """

    type: str                      # person | organization | place
    start: int
    end: int
    text: str                      # as written, proclitics left out
    key: Phrase
    cue: str                       # title, role, speech, quote, head, name, gazetteer, place-cue, alias
    labels: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    leader: Phrase | None = None
    head: str | None = None        # org head lemma ("جيش")
    forces_of: Phrase | None = None  # "قوات حفتر": the name after a forces head, resolved later
    role_only: bool = False        # a role phrase with no name after it ("أثنى رئيس المخابرات ...")
    countries: tuple[str, ...] = ()
    first: int = 0                 # token index
    core_end: int | None = None    # where a body's name ends before its apposition


def tokenize(text: str) -> tuple[list[Token], list[int]]:
    """Folded word tokens with their offsets, and the folded→original offset map."""
    folded, offsets = fold_with_offsets(text)
    out: list[Token] = []
    prev = 0
    for m in _TOKEN.finditer(folded):
        sep = "".join(c for c in folded[prev:m.start()] if not c.isspace() and c not in _HASHTAG)
        if "\n" in folded[prev:m.start()]:
            sep += "\n"
        w = m.group()
        out.append(Token(w, offsets[m.start()], offsets[m.end() - 1] + 1, sep, proclitic_readings(w), m.start()))
        prev = m.end()
    return out, offsets


def _possessed(word: str, lex: Lexicon) -> bool:
    """An everyday noun with a possessive pronoun ("قيادته" = قيادة + ه, "اتفاقياتها")."""
    for suffix in ("هما", "ها", "هم", "ه"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[:-len(suffix)]
            if lex.is_common(stem) or (stem.endswith("ت") and lex.is_common(stem[:-1] + "ه")):
                return True
    return False


def clean_label(text: str) -> str:
    """A label as shown: quotes and brackets dropped, spaces collapsed."""
    return " ".join("".join(" " if c in _SOFT or c in _HASHTAG else c for c in text).split())


# prepositions after which a name that is also a given name or a word is read as a place
_PLACE_PREPOSITIONS = frozenset(fold_for_match(w) for w in ("في", "إلى", "قرب", "نحو", "داخل", "خارج", "شمال",
                                                            "جنوب", "شرق", "غرب", "وسط"))


class Scanner:
    """Finds mentions in one text (a title or a body); see the module docstring."""

    def __init__(self, text: str, lex: Lexicon | None = None) -> None:
        self.text = text
        self.lex = lex or lexicon()
        self.toks, self.offsets = tokenize(text)
        self.n = len(self.toks)
        self.mentions: list[Mention] = []
        self.taken = [False] * self.n  # tokens inside a person's name or an org name
        self._sport: bool | None = None

    # ---- helpers -------------------------------------------------------
    def soft(self, k: int) -> bool:
        """True when nothing but spaces and quotes stands before token ``k``."""
        return all(c in _SOFT for c in self.toks[k].sep)

    def clear(self, k: int) -> bool:
        return self.toks[k].sep == ""

    def after_comma(self, k: int) -> bool:
        """Only a comma (and quotes) stands before token ``k``."""
        sep = self.toks[k].sep
        return any(c in _COMMA for c in sep) and all(c in _SOFT or c in _COMMA for c in sep)

    def match(self, index, i: int, first_readings: bool = True) -> tuple[int, int, Phrase] | None:
        """Longest phrase of ``index`` at token i: (tokens used, proclitic length, phrase)."""
        tok = self.toks[i]
        readings = tok.readings if first_readings else tok.readings[:1]
        by_first = index.by_first
        for clitic, form in readings:
            bucket = by_first.get(form)
            if not bucket:
                continue
            for phrase in bucket:
                L = len(phrase)
                if i + L > self.n:
                    continue
                if all(self.toks[i + k].text == phrase[k] and self.clear(i + k) for k in range(1, L)):
                    return L, clitic, phrase
        return None

    def span(self, i: int, j: int, clitic: int = 0, first: str | None = None) -> tuple[int, int, str]:
        """Original (start, end, text) of tokens i..j-1, the first token's proclitics left out.

        After "لل" the article's alef is put back in the text ("للجيش الليبي" → "الجيش الليبي"),
        unless ``first``, the folded word a lexicon matched, has no article: "للبنان" is ل + لبنان.
        """
        tok = self.toks[i]
        start = tok.start + self._clitic_chars(tok, clitic)
        end = self.toks[j - 1].end
        text = self.text[start:end]
        if clitic and tok.text[clitic - 1:clitic + 1] == "لل" and (first is None or first.startswith("ال")):
            text = "ا" + text
        return start, end, text

    def _clitic_chars(self, tok: Token, clitic: int) -> int:
        return self.offsets[tok.fstart + clitic] - tok.start if clitic else 0

    def is_place(self, i: int) -> tuple[int, int, Phrase] | None:
        p = self.match(self.lex.places, i)
        if p is None and i + 1 < self.n:
            # a place the gazetteer writes as one word, written in two ("بيونغ يانغ" / "بيونغيانغ")
            for clitic, form in self.toks[i].readings:
                if form not in self.lex.place_heads or not self.clear(i + 1):
                    continue
                second = self.toks[i + 1].text
                joined = (form + second,)
                if (len(second) > 2 and joined in self.lex.place_info
                        and not any(w in self.lex.stop or self.lex.is_common(w) for w in (form, second))):
                    p = (2, clitic, joined)
                    break
        if p and p[1] and self.toks[i].text[p[1] - 1] == "ك" and not p[2][0].startswith("ال"):
            # ك "like" rarely stands before a bare place name: "كريم" is a name, not ك + ريم
            return None
        return p

    # ---- names ---------------------------------------------------------
    def parse_name(self, j: int, strict: bool = False, comma: bool = False) -> int:
        """End (exclusive) of a person's name starting at token j, or j when none.

        ``strict`` (a weak cue) refuses everyday words and single-word names; ``comma``: the name
        may stand after a comma ("الرئيس السوداني، عمر البشير،"), as an apposition.
        """
        lex = self.lex
        k, content, after_particle = j, 0, False
        while k < self.n and content < 4:
            tok = self.toks[k]
            if k > j and not self.clear(k):
                break
            if k == j and not (self.soft(k) or (comma and self.after_comma(k))):
                break
            w = tok.text
            if w in lex.particles:
                after_particle = True
                k += 1
                continue
            if w in lex.stop or w.isdigit() or w in lex.nisba or w in lex.place_cues:
                break
            if k > j and self.known_person(j, k + 1):
                content += 1   # "عمر البشير", "رامي الحمد": the corpus knows this name
                k += 1
                continue
            if content == 0 and w not in lex.person_words and any(
                    f in lex.not_names or (c and f in lex.stop) for c, f in tok.readings):
                break   # "الرئيس الفلسطيني يتوعد حماس": a frequent word no name starts with
            if w == "الله" and content >= 1 and not after_particle:  # "نصر الله", "فضل الله" end a name
                k += 1
                break
            definite = w.startswith("ال")
            if definite and content == 0 and not after_particle:
                break
            if len(w) < 2 or any(c and f.startswith("ال") for c, f in tok.readings):
                break
            # a name holds no place ("قالت دمشق", "بريطانيا وفرنسا"; a place that is also a given name,
            # "بشار", may start one) and no word behind و/ل/ب
            place = self.is_place(k)
            if (place and place[2] not in lex.cued_places) or (
                    w[0] in "ولب" and any(c and (lex.is_common(f) or f in lex.stop) for c, f in tok.readings)):
                break
            if strict and w.endswith(("ها", "هم", "هما", "نا", "كم")):
                break
            orig = self.text[tok.start:tok.end]
            if _possessed(w, lex) and not orig.endswith("ة"):
                break   # "استقالته", "قوله": a noun with a pronoun, not a name (سلامة keeps its ة)
            if content >= 2 and (w[0] in "يت" or w.endswith("ت")) and len(w) >= 4:
                break   # "تيريزا ماي تحدثت", "ماكرون يأمل": a verb after a full name
            if not _ARABIC.search(w) or _TANWEEN.search(self.text[tok.start:tok.end]):
                break   # "CNN"; "قراراً": names carry no tanween
            if content >= 1 and w.endswith("ا") and len(w) >= 5 and (
                    w.endswith("يا") or lex.is_common(w[:-1]) or lex.is_common(w[:-1] + "ه")):
                break   # "استقبالا", "هاتفيا": an adverb after the name
            if (strict or content >= 2) and lex.is_common(w):
                break
            if content >= 2 and w[0] == "و":   # "جيرار لارشيه وفرانسوا روجي": two names
                break
            if content >= 1 and w[0] == "و" and w[1:] in lex.person_words:   # "ترامب وكيم"
                break
            if definite and not after_particle and lex.is_common(w[2:]):
                break
            if self.match(lex.org_heads, k, first_readings=False) or self.match(lex.role_heads, k, False):
                break
            content += 1
            k += 1
            if definite and not after_particle:
                break
            after_particle = False
        while k > j and self.toks[k - 1].text in lex.particles:
            k -= 1
        if content == 0 or (strict and content < 2 and not self.known_person(j, k)):
            return j
        return self.known_boundary(j, k)

    def known_person(self, j: int, k: int) -> bool:
        """Tokens j..k-1 are a name the corpus teaches (names.tsv)."""
        info = self.lex.name_info
        return bool(info) and info.get(tuple(t.text for t in self.toks[j:k]), ("",))[0] == "person"

    def known_boundary(self, j: int, k: int) -> int:
        """A name that runs past a known one into words no known name holds ("باراك أوباما لو") ends
        with the known one."""
        lex = self.lex
        if not lex.name_info or k - j < 2 or self.known_person(j, k):
            return k
        for end in range(k - 1, j, -1):   # "كيم مخاطبا", "باراك أوباما لو"
            if self.known_person(j, end) and self.toks[end].text not in lex.person_words:
                return end
        return k

    def add_person(self, i: int, j: int, cue: str, labels: list[str], aliases: list[str]) -> Mention:
        start, end, text = self.span(i, j)
        key = tuple(t.text for t in self.toks[i:j])
        m = Mention("person", start, end, clean_label(text), key, cue, labels, aliases, first=i)
        self.mentions.append(m)
        for k in range(i, j):
            self.taken[k] = True
        return m

    # ---- noun phrases of roles and bodies --------------------------------
    def parse_np(self, j: int) -> tuple[int, int]:
        """(end of the phrase, start of its apposition or end) for the words that complete a role or a body."""
        lex = self.lex
        k = j
        appo = None
        after_place = False
        while k < self.n and k - j < 8:
            tok = self.toks[k]
            if not self.clear(k) and not (k == j and self.soft(k)):
                break
            w = tok.text
            if k > j and self.match(lex.titles, k, False):   # "نائب الرئيس" is one role
                break
            body = self.known_body_at(k)
            if body:   # "مدرب ليفربول", "المدير الفني لفريق ليفربول الإنجليزي"
                k = body
                continue
            if w in ("في", "الى") and k + 1 < self.n and self.clear(k + 1):
                p = self.is_place(k + 1)
                if p and p[1] == 0 and any(kind == "country" for kind, _ in lex.place_info[p[2]]):
                    k += 1 + p[0]
                    continue
                break
            if w in lex.appositions and k > j and self.toks[k - 1].text.startswith("ال"):
                if k + 1 < self.n and self.clear(k + 1) and self.toks[k + 1].text.endswith("يا"):
                    appo = appo if appo is not None else k - 1
                    k += 2
                    break
                break
            if w.startswith("ال"):
                if after_place and w not in lex.nisba:
                    break   # "حكومة قطر الفدية": the object after a body named by its country
                if w in lex.stop and not self.match(lex.org_heads, k, False) \
                        and not (k == j and self.match(lex.titles, k, False)):
                    break
                if self.match(lex.role_heads, k, False) and k > j:
                    break
                prev = self.toks[k - 1].text if k > j else ""
                if prev in lex.nisba and not (w.startswith("الم") or w in lex.nisba or w in lex.title_modifiers
                                              or w.endswith("ه" if prev.endswith("ه") else "ي")):
                    break   # "الحكومة السورية السلاح": after an adjective of nationality, only adjectives
                k += 1
                continue
            p = self.is_place(k)
            if p and p[1] == 0:
                k += p[0]
                after_place = True
                continue
            if (w in lex.np_words and (k == j or not self.toks[k - 1].text.startswith("ال"))) \
                    or self.match(lex.org_heads, k, False):
                k += 1
                continue
            break
        # a def participle right before the apposition's preposition belongs to the apposition
        return k, (appo if appo is not None else k)

    def add_org(self, i: int, clitic: int, head_len: int) -> Mention | None:
        """An organisation headed at token i: "حكومة الوفاق", "الجيش الليبي", "قوات حفتر"."""
        lex = self.lex
        head_phrase = tuple(t.text for t in self.toks[i:i + head_len])
        head_phrase = (self.toks[i].readings[0][1] if not clitic else
                       next(f for c, f in self.toks[i].readings if c == clitic),) + head_phrase[1:]
        kind = lex.org_head_kind.get(head_phrase, "org")
        lemma = head_lemma(head_phrase[0])
        j = i + head_len
        definite = head_phrase[0].startswith("ال")
        # a body named after a head without the article: the head of another body ("قوات حكومة الوفاق")
        if not definite and j < self.n and (self.soft(j)):
            inner = self.match(lex.org_heads, j, False)
            if inner and self.toks[j].text.startswith("ال") or (inner and not definite and kind == "forces"):
                sub = self.add_org(j, 0, inner[0])
                if sub is not None:
                    start, _, _ = self.span(i, i + 1, clitic)
                    core_end = sub.core_end or sub.end
                    sub.labels.append(clean_label(self.text[start:core_end]))
                    for k in range(i, j):
                        self.taken[k] = True
                    return sub
        end, appo = self.parse_np(j)
        if kind == "forces" and end == j and j < self.n and self.soft(j):
            name_end = self.parse_name(j)
            if name_end > j and name_end - j <= 3:
                start, stop, text = self.span(i, name_end, clitic)
                m = Mention("organization", start, stop, clean_label(text), (lemma,), "head",
                            [clean_label(text)], head=lemma,
                            forces_of=tuple(t.text for t in self.toks[j:name_end]), first=i)
                self.mentions.append(m)
                for k in range(i, name_end):
                    self.taken[k] = True
                return m
        if end == j and not definite:
            return None
        start, stop, text = self.span(i, end, clitic)
        core_stop = self.toks[appo - 1].end if appo > j else self.toks[j - 1].end
        key = (lemma,) + tuple(head_lemma(t.text) for t in self.toks[j:appo])
        m = Mention("organization", start, stop, clean_label(text), key, "head", [clean_label(text)],
                    head=lemma, first=i)
        if appo < end:
            m.core_end = core_stop
        m.countries = tuple(lex.nisba[t.text] for t in self.toks[j:end] if lex.nisba.get(t.text, "-") != "-")
        if kind == "state" and not m.countries:
            return None   # "النظام الإيراني" is a body, "النظام الصحي" is not
        self.mentions.append(m)
        for k in range(i, end):
            self.taken[k] = True
        return m

    # ---- the scan ------------------------------------------------------
    def title_at(self, i: int) -> tuple[int, int] | None:
        """(end of title and its modifiers, proclitic length) of a title at token i."""
        t = self.match(self.lex.titles, i)
        if not t:
            return None
        k = i + t[0]
        while k < self.n and self.clear(k) and (self.toks[k].text in self.lex.title_modifiers
                                                or self.toks[k].text in self.lex.nisba):
            k += 1
        if k < self.n and self.clear(k):
            k = self.known_body_at(k) or k   # "المدرب الألماني لليفربول"
        return k, t[1]

    def known_body_at(self, k: int) -> int | None:
        """End of a body the name lexicon knows at token k, with a glued ل or after its head
        ("ليفربول", "لليفربول", "لفريق ليفربول"), else None."""
        lex = self.lex
        if not lex.name_info:
            return None
        head = self.match(lex.name_heads, k)
        start = k + head[0] if head and not head[2][0].startswith("ال") and k + head[0] < self.n \
            and self.soft(k + head[0]) else k
        found = self.match(lex.bodies, start, first_readings=start == k)
        if not found or (found[1] and self.toks[start].text[0] not in "ل"):
            return None
        return start + found[0]

    def role_at(self, i: int) -> tuple[int, int, int] | None:
        """(end of the role phrase, proclitic length, start of its body) of a role phrase at token i."""
        r = self.match(self.lex.role_heads, i)
        if not r:
            return None
        j = i + r[0]
        end, _ = self.parse_np(j)
        if end == j:
            return None
        return end, r[1], j

    def person_after(self, i: int, k: int, clitic: int, labels: list[str], cue: str,
                     title_start: int | None = None, strict: bool = False) -> int:
        """A name at token k after a role or title starting at i; returns the next index to scan.

        The title and the name together ("المشير خليفة حفتر") are kept as an alias; the name may
        stand between commas ("الرئيس السوداني، عمر البشير،").
        """
        end = self.parse_name(k, strict=strict, comma=True)
        if end == k:
            return k
        if not self.clear(k):
            title_start = None   # "الرئيس السوداني، عمر البشير" is no alias of his
        aliases = []
        if title_start is not None:
            aliases.append(clean_label(self.span(title_start, end, clitic if title_start == i else 0)[2]))
        m = self.add_person(k, end, cue, labels, aliases)
        # an apposition after the name: "اللواء عباس كامل رئيس المخابرات العامة المصرية"; but a role
        # that a full name follows introduces that name: "التقى ترامب رئيس الوزراء الإسرائيلي بنيامين
        # نتنياهو" (strict: "رئيس المخابرات يرافقه وفد" stays an apposition)
        if end < self.n and (self.clear(end) or self.after_comma(end)):
            role = self.role_at(end)
            if role and role[1] == 0:
                title = self.title_at(role[0]) if role[0] < self.n else None
                named = title[0] if title else role[0]
                if named < self.n and self.parse_name(named, strict=True) > named:
                    return end
                m.labels.append(clean_label(self.span(end, role[0])[2]))
                self.org_in_role(role[2], role[0], m.key)
                return role[0]
        return end

    def org_in_role(self, j: int, end: int, leader: Phrase) -> None:
        """The body named inside a role phrase ("قائد الجيش الليبي") is led by ``leader``."""
        h = self.match(self.lex.org_heads, j, False)
        if h:
            m = self.add_org(j, 0, h[0])
            if m is not None:
                m.leader = leader
                m.cue = "role"
            return
        for k in range(j, min(end, j + 2)):
            if self.taken[k]:
                continue
            stop = self.known_body_at(k)
            if stop:   # "مدرب ليفربول": the club is named, and is no place here
                head = self.match(self.lex.name_heads, k)
                first = k + head[0] if head and stop > k + head[0] else k
                found = self.match(self.lex.bodies, first, first_readings=first == k)
                start, e, text = self.span(first, stop, found[1] if found else 0, found[2][0] if found else None)
                self.mentions.append(Mention("organization", start, e, clean_label(text),
                                             self.body_key(found[2]) if found else (), "lexicon",
                                             [clean_label(self.span(k, stop)[2])], first=first))
                for x in range(k, stop):
                    self.taken[x] = True
                return

    def scan(self) -> list[Mention]:
        lex = self.lex
        i = 0
        while i < self.n:
            tok = self.toks[i]
            if self.taken[i]:
                i += 1
                continue
            role = self.role_at(i)
            if role:
                end, clitic, body = role
                label = clean_label(self.span(i, end, clitic)[2])
                title = self.title_at(end) if end < self.n else None
                if title:
                    tlabel = clean_label(self.span(end, title[0])[2])
                    nxt = self.person_after(i, title[0], clitic, [label, tlabel], "role", title_start=end)
                else:
                    nxt = self.person_after(i, end, clitic, [label], "role")
                if nxt > end or (title and nxt > title[0]):
                    self.org_in_role(body, end, self.mentions_person_key())
                    i = nxt
                    continue
                start = self.span(i, end, clitic)[0]
                self.mentions.append(Mention("person", start, self.toks[end - 1].end, label, (), "role",
                                             [label], role_only=True, first=i))
                self.org_in_role(body, end, None)
                i = end
                continue
            title = self.title_at(i)
            if title:
                k, clitic = title
                tlabel = clean_label(self.span(i, k, clitic)[2])
                nxt = self.person_after(i, k, clitic, [tlabel], "title", title_start=i) if k < self.n else k
                i = max(nxt, i + 1)
                continue
            described = self.described_at(i)
            if described:
                start, k, clitic = described
                tlabel = clean_label(self.span(start, k, clitic)[2])
                nxt = self.person_after(start, k, clitic, [tlabel], "title", strict=True)
                if nxt > k:
                    i = nxt
                    continue
            head = self.match(lex.org_heads, i)
            if head:
                m = self.add_org(i, head[1], head[0])
                if m is not None:
                    i = max(i + 1, self._after(m))
                    continue
            named = self.named_body(i)
            if named:
                i = named
                continue
            known = self.known_at(i)
            if known:
                i = known
                continue
            if self.acronym_at(i):
                i += 1
                continue
            name = self.match(lex.org_names, i)
            if name:
                L, clitic, phrase = name
                start, end, text = self.span(i, i + L, clitic, phrase[0])
                self.mentions.append(Mention("organization", start, end, clean_label(text),
                                             tuple(head_lemma(w) for w in phrase), "name",
                                             [clean_label(text)], first=i))
                i += L
                continue
            if any(f in lex.speech_verbs for _, f in tok.readings[:2]) and i + 1 < self.n:
                end = self.parse_name(i + 1, strict=True)
                if end > i + 1:
                    self.add_person(i + 1, end, "speech", [], [])
                    i = end
                    continue
            if '"' in tok.sep or "«" in tok.sep:
                end = self.parse_name(i, strict=True)
                if end > i and end < self.n and any(c in self.toks[end].sep for c in '"»'):
                    self.add_person(i, end, "quote", [], [])
                    i = end
                    continue
            i += 1
        self.scan_places()
        return self.mentions

    def described_at(self, i: int) -> tuple[int, int, int] | None:
        """(start, end, proclitic length) of a description ending in an adjective of nationality at token i,
        that a full name follows: "الألماني يورغن كلوب", "الجاسوس الروسي السابق سيرغي سكريبال"."""
        lex = self.lex
        tok = self.toks[i]
        clitic = next((c for c, f in tok.readings if f in lex.nisba and f.startswith("ال") and
                       lex.nisba[f] != "-"), None)
        if clitic is None:
            return None
        start = i
        prev = self.toks[i - 1] if i > 0 else None
        noun = next(((c, f) for c, f in prev.readings if f.startswith("ال")), None) if prev else None
        if noun is not None and self.clear(i):
            # the noun the adjective describes opens the description: "الجاسوس الروسي", "بالجاسوس الروسي"
            if (self.taken[i - 1] or noun[1] in lex.stop or noun[1] in lex.nisba
                    or self.match(lex.org_heads, i - 1) or self.is_place(i - 1)):
                return None
            start, clitic = i - 1, noun[0]
        elif clitic and self.toks[i].text[:clitic] not in ("و", "ب", "ل", "وب", "ول"):
            return None
        k = i + 1
        while k < self.n and self.clear(k) and (self.toks[k].text in lex.title_modifiers
                                                or self.toks[k].text in lex.nisba):
            k += 1
        if k < self.n and self.clear(k) and self.toks[k].text.startswith("ال") and k + 1 < self.n \
                and self.toks[k].text not in lex.stop and self.parse_name(k + 1, strict=True) > k + 1:
            k += 1   # one more adjective: "العميل الروسي المزدوج"
        if k >= self.n:
            return None
        return start, k, clitic

    def named_body(self, i: int) -> int | None:
        """A body's proper name after its head without the article ("حركة حماس", "فريق ليفربول",
        "صحيفة واشنطن بوست", "منتخب مصر"): adds the mention, returns the index after it."""
        lex = self.lex
        head = self.match(lex.name_heads, i)
        if not head or head[2][0].startswith("ال"):
            return None
        L, clitic, phrase = head
        j = i + L
        if j >= self.n or not self.soft(j):
            return None
        kind = (lex.name_head_kind or {}).get(phrase, "org")
        end, key = self.body_name(j, places=kind in ("team", "club"), town_first=kind == "media")
        if end == j:
            return None
        start, stop, text = self.span(i, end, clitic)
        if kind == "team":
            key = (head_lemma(phrase[0]),) + key
        m = Mention("organization", start, stop, clean_label(text), key, "namehead", [clean_label(text)],
                    head=kind, first=i)
        self.mentions.append(m)
        for k in range(i, end):
            self.taken[k] = True
        return end

    def body_name(self, j: int, places: bool = False, lenient: bool = False,
                  town_first: bool = False) -> tuple[int, Phrase]:
        """(end, key) of a body's proper name at token j: a known body, a place (``places``: a club or
        a team named after its town or country), or up to three words that are no everyday words
        (``lenient``: everyday words too, for the script that counts them over the corpus);
        ``town_first``: a name may open with a place when a name word follows, even one the corpus
        often writes with ال ("صحيفة واشنطن بوست", "صحيفة نيويورك تايمز")."""
        lex = self.lex
        known = self.match(lex.bodies, j, first_readings=False)
        if known:
            return j + known[0], self.body_key(known[2])
        p = self.is_place(j)
        start = j
        if p and p[1] == 0:
            if places:
                return j + p[0], tuple(head_lemma(w) for w in p[2])
            if not town_first:
                return j, ()
            start = j + p[0]   # the place opens the name; at least one name word must follow
            if start >= self.n or not self.clear(start):
                return j, ()
        k = start
        while k < self.n and k - j < 3 and (k == start or self.clear(k)):
            w = self.toks[k].text
            if (w in lex.stop or w.isdigit() or w in lex.nisba or w.startswith("ال") or len(w) < 2
                    or (lex.is_common(w) and not lenient and not (k == start > j)) or (k > j and w[0] == "و")
                    or self.match(lex.org_heads, k, False) or (k > j and self.is_place(k) and not places)
                    or _TANWEEN.search(self.text[self.toks[k].start:self.toks[k].end])
                    or any(c and (lex.is_common(f) or f in lex.stop) for c, f in self.toks[k].readings)):
                break
            k += 1
        if k == start:
            return j, ()
        return k, tuple(t.text for t in self.toks[j:k])

    def named_bodies(self) -> list[tuple[Phrase, str, str, Phrase | None]]:
        """(name, cue, as written, body it is a short form of) of every body's proper name that a head
        or a sport role introduces, and of short forms in brackets after a body's name: what
        scripts/build_name_lexicon.py counts over the corpus. Call after ``scan``."""
        lex = self.lex
        out: list[tuple[Phrase, str, str, Phrase | None]] = []
        for i in range(self.n):
            for index, cue in ((lex.name_heads, "head"), (lex.sport_roles, "sport")):
                head = self.match(index, i)
                if not head or head[2][0].startswith("ال"):
                    continue
                j = i + head[0]
                if j >= self.n or not self.soft(j):
                    continue
                kind = (lex.name_head_kind or {}).get(head[2], "org")
                end, key = self.body_name(j, places=kind in ("club", "team", "sport"), lenient=True,
                                          town_first=kind == "media")
                if end > j:
                    first = i if kind == "team" else j   # "منتخب مصر": a team is named with its head
                    out.append((tuple(t.text for t in self.toks[first:end]) if first == j else
                                (head[2][0],) + tuple(t.text for t in self.toks[j:end]), f"{cue}:{kind}",
                                clean_label(self.span(first, end, head[1] if first == i else 0)[2]), None))
                break
        # "حركة المقاومة الإسلامية (حماس)": a short form in brackets right after a body's name
        for m in self.mentions:
            if m.type != "organization" or m.cue not in ("head", "name", "lexicon", "namehead"):
                continue
            k = self._after(m)
            if k >= self.n or "(" not in self.toks[k].sep:
                continue
            end = k + 1
            while end < self.n and end - k < 3 and self.clear(end):
                end += 1
            if end < self.n and ")" in self.toks[end].sep or end == self.n:
                short = tuple(t.text for t in self.toks[k:end])
                if all(_ARABIC.search(w) and w not in lex.stop and not w.isdigit() for w in short) \
                        and not self.is_place(k) and short[0] not in lex.nisba:
                    full = tuple(words(m.text))
                    out.append((short, "bracket", clean_label(self.span(k, end)[2]), full))
        return out

    def body_key(self, phrase: Phrase) -> Phrase:
        """A known body's key: the body a short form stands for ("حماس" → حركة المقاومة الإسلامية)."""
        info = self.lex.name_info or {}
        target = info.get(phrase, ("", 0, None))[2]
        return tuple(head_lemma(w) for w in (target or phrase))

    def known_at(self, i: int) -> int | None:
        """A name the corpus teaches (names.tsv) at token i; adds the mention, returns the index after it.

        A one-word name that is also an everyday word counts only when quoted or written with a
        proclitic, as in ``link_aliases``."""
        lex = self.lex
        if not lex.name_info:
            return None
        for index, kind in ((lex.bodies, "organization"), (lex.persons, "person")):
            found = self.match(index, i)
            if not found:
                continue
            L, clitic, phrase = found
            if kind == "organization" and phrase in lex.place_info and not self.sport_text():
                continue   # "باريس", "ليفربول": a club only in a sports text
            if L == 1 and not phrase[0].startswith("ال") and lex.is_common(phrase[0]) and not (
                    clitic or any(c in self.toks[i].sep for c in _QUOTES)):
                continue
            if i + L < self.n and self.clear(i + L) and kind == "person" and self.toks[i + L].text in lex.nisba:
                continue   # "بوتين الروسي"? rather a body or a place: "حماس الفلسطينية"
            start, end, text = self.span(i, i + L, clitic, phrase[0])
            if kind == "organization":
                self.mentions.append(Mention(kind, start, end, clean_label(text), self.body_key(phrase), "lexicon",
                                             [clean_label(text)], first=i))
            else:
                first = i
                # a given name before a known surname: "فلاديمير بوتين" when only "بوتين" is known
                while (first > 0 and not clitic and self.clear(first) and not self.taken[first - 1]
                       and i - first < 2 and self.toks[first - 1].text in lex.person_words
                       and not lex.is_common(self.toks[first - 1].text)
                       and self.toks[first - 1].text not in lex.stop):
                    first -= 1
                if first < i:
                    start = self.toks[first].start
                    text = self.text[start:end]
                key = tuple(t.text for t in self.toks[first:i]) + phrase
                self.mentions.append(Mention(kind, start, end, clean_label(text), key, "lexicon", first=first))
            for k in range(i, i + L):
                self.taken[k] = True
            return i + L
        return None

    def sport_text(self) -> bool:
        """The text speaks of sport (three words of sport_words.txt or more)."""
        if self._sport is None:
            self._sport = sum(1 for t in self.toks if t.readings[-1][1] in self.lex.sport_words) >= 3
        return self._sport

    def acronym_at(self, i: int) -> bool:
        """A Latin acronym ("CNN", "BBC") names a body."""
        tok = self.toks[i]
        orig = self.text[tok.start:tok.end]
        if not (2 <= len(orig) <= 6 and orig.isascii() and orig.isalpha() and orig.isupper()) \
                or tok.text in self.lex.not_bodies:
            return False
        self.mentions.append(Mention("organization", tok.start, tok.end, orig, (tok.text,), "acronym", [orig],
                                     first=i))
        self.taken[i] = True
        return True

    def mentions_person_key(self) -> Phrase | None:
        for m in reversed(self.mentions):
            if m.type == "person" and not m.role_only:
                return m.key
        return None

    def _after(self, m: Mention) -> int:
        i = m.first
        while i < self.n and self.toks[i].start < m.end:
            i += 1
        return i

    def scan_places(self) -> None:
        lex = self.lex
        # a place may stand inside a body's description ("جامعة القاهرة") but not be a word of its
        # name ("البيت الأبيض" is no town called الأبيض)
        names = [(m.start, m.end) for m in self.mentions if m.type == "organization" and m.cue in NAMED_CUES]
        i = 0
        while i < self.n:
            if self.taken[i] and not self._in_org(i) or (
                    names and any(s <= self.toks[i].start < e for s, e in names)):
                i += 1
                continue
            tok = self.toks[i]
            p = self.is_place(i)
            compound = self.compound_place(i) if p is None else None
            if compound:
                self.mentions.append(compound[0])
                i = compound[1]
                continue
            if p and p[2] in lex.cued_places and not self._after_place_word(i, p[2][0].startswith("ال")):
                p = None
            if p:
                L, clitic, phrase = p
                start, end, text = self.span(i, i + L, clitic, phrase[0])
                self.mentions.append(Mention("place", start, end, text, phrase, "gazetteer",
                                             countries=tuple(c for _, c in lex.place_info[phrase]), first=i))
                i += L
                continue
            cue = next((f for c, f in tok.readings if f in lex.place_cues), None)
            if cue and i + 1 < self.n and self.clear(i + 1):
                nxt = self.toks[i + 1].text
                if not (nxt in lex.stop or nxt in lex.nisba or nxt.startswith(("ال", "و")) or nxt.isdigit()
                        or nxt.endswith(("ها", "هم"))
                        or lex.is_common(nxt) or self.taken[i + 1]):
                    start, end, text = self.span(i + 1, i + 2)
                    self.mentions.append(Mention("place", start, end, text, (nxt,), "place-cue", first=i + 1))
                    i += 2
                    continue
            i += 1

    def compound_place(self, i: int) -> tuple[Mention, int] | None:
        """A place of its own made of a word of place_parts.tsv and a known place at token i ("مطار
        بغداد", "جنوبي العراق"), keyed by the part's form and the place, and the token after it."""
        lex = self.lex
        for c, f in self.toks[i].readings:
            if f in lex.place_parts:
                part = (c, lex.place_parts[f])
                break
        else:
            return None
        if i + 1 >= self.n or not self.clear(i + 1) or self.taken[i + 1]:
            return None
        q = self.is_place(i + 1)
        if not q or q[1] or q[2] in lex.cued_places:
            return None
        clitic, key_word = part
        start, end, text = self.span(i, i + 1 + q[0], clitic)
        m = Mention("place", start, end, text, (key_word,) + q[2], "compound",
                    countries=tuple(c for _, c in lex.place_info[q[2]]), first=i)
        return m, i + 1 + q[0]

    def _in_org(self, i: int) -> bool:
        start = self.toks[i].start
        return any(m.type == "organization" and m.start <= start < m.end for m in self.mentions)

    def _after_place_word(self, i: int, word_only: bool = False) -> bool:
        """Token i follows a place word ("مدينة الصف") or, unless ``word_only`` (a definite everyday
        word: "في الصف الأول" is a row), a preposition or an attached ب ("في بشار", "ببشار")."""
        if i > 0 and self.soft(i) and self.toks[i - 1].text in self.lex.place_cues:
            return True
        if word_only:
            return False
        tok = self.toks[i]
        if any(c and "ب" in tok.text[:c] for c, f in tok.readings if (f,) in self.lex.cued_places):
            return True
        return i > 0 and self.soft(i) and self.toks[i - 1].text in _PLACE_PREPOSITIONS


def scan(text: str) -> tuple[list[Mention], Scanner]:
    """Mentions found from cues in ``text`` and the scanner (its tokens serve ``link_aliases``)."""
    s = Scanner(text)
    return s.scan(), s


def link_aliases(scanner: Scanner, names: dict[Phrase, Phrase]) -> list[Mention]:
    """Mentions of known names where no cue stands: ``names`` maps a folded name (or surname) to its person key.

    A one-word name that is also an everyday word ("كامل") counts only when quoted or
    written with a proclitic ("لحفتر").
    """
    lex = scanner.lex
    toks = scanner.toks
    covered = [False] * scanner.n
    starts = [t.start for t in toks]
    for m in scanner.mentions:
        if m.type in ("person", "organization") and not m.role_only:
            for k in range(bisect_left(starts, m.start), bisect_left(starts, m.end)):
                covered[k] = True
    maxlen = max((len(k) for k in names), default=0)
    firsts = {k[0] for k in names}
    out: list[Mention] = []
    i = 0
    while i < scanner.n:
        if covered[i]:
            i += 1
            continue
        found = None
        for clitic, form in toks[i].readings:
            if form not in firsts:
                continue
            for L in range(min(maxlen, scanner.n - i), 0, -1):
                words = (form,) + tuple(t.text for t in toks[i + 1:i + L])
                if words in names and all(scanner.clear(i + k) for k in range(1, L)):
                    if L == 1 and not form.startswith("ال") and lex.is_common(form):
                        quoted = any(c in toks[i].sep for c in _QUOTES) or (
                            i + 1 < scanner.n and any(c in toks[i + 1].sep for c in _QUOTES))
                        if not (quoted or clitic):
                            continue
                    found = (L, clitic, words)
                    break
            if found:
                break
        if found:
            L, clitic, words = found
            start, end, text = scanner.span(i, i + L, clitic, words[0])
            out.append(Mention("person", start, end, clean_label(text), names[words], "alias", first=i))
            i += L
            continue
        i += 1
    return out
