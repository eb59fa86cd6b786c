"""Arabic publication dates → ``datetime``.

Handles the forms Arabic news pages print: "السبت 19 ديسمبر 2020 10:29 م",
"19 كانون الأول 2020", "2020/12/19 - 22:29", "19-12-2020", ISO 8601; month and
weekday names come from ``data/ar/*.tsv`` so regional names are one data line.
Relative dates ("السبت" in a body) are resolved against a reference date by
``resolve_weekday``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from .. import langdata
from ..normalize import fold_for_match

_TIME = r"(?:\s*[-–،,|]?\s*(?:الساعه\s*)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(ص|م|صباحا|مساء|am|pm)?)?"
_NUMERIC = [
    (re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})" + _TIME), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})" + _TIME), ("d", "m", "y")),
]
_PM = {"م", "مساء", "pm"}
_AM = {"ص", "صباحا", "am"}


@cache
def _named_pattern() -> re.Pattern[str]:
    names = sorted(langdata.months(), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(r"(\d{1,2})\s+(?:\(?\d{1,2}\)?\s*)?(" + alt + r")(?:\s*/\s*(?:" + alt
                      + r"))?\s*,?\s*(\d{4})" + _TIME)


def _build(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None,
           ampm: str | None) -> datetime | None:
    hour = int(hh) if hh else 0
    if ampm in _PM and hour < 12:
        hour += 12
    elif ampm in _AM and hour == 12:
        hour = 0
    try:
        return datetime(y, m, d, hour, int(mm) if mm else 0, int(ss) if ss else 0)
    except ValueError:
        return None


def parse_date(text: str) -> datetime | None:
    """The first date (and time, when given) in ``text``, or None."""
    if not text:
        return None
    iso = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", iso) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        try:
            return datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            pass
    folded = fold_for_match(text)
    m = _named_pattern().search(folded)
    if m:
        month = langdata.months()[m.group(2)]
        return _build(int(m.group(3)), month, int(m.group(1)), *m.group(4, 5, 6, 7))
    for pattern, order in _NUMERIC:
        m = pattern.search(folded)
        if m:
            parts = dict(zip(order, (int(g) for g in m.group(1, 2, 3))))
            return _build(parts["y"], parts["m"], parts["d"], *m.group(4, 5, 6, 7))
    return None


def is_date_line(line: str) -> bool:
    """True when ``line`` is a date (with weekday, time, separators) and little else."""
    if not parse_date(line):
        return False
    folded = fold_for_match(line)
    rest = _named_pattern().sub(" ", folded)
    for pattern, _ in _NUMERIC:
        rest = pattern.sub(" ", rest)
    leftover = [w for w in re.findall(r"[\u0621-\u064Aa-z]+", rest)
                if w not in langdata.weekdays() and w not in {"نشر", "في", "بتاريخ", "تاريخ", "اخر",
                                                             "تحديث", "الساعه", "ص", "م", "ال"}]
    return len(leftover) <= 1


def resolve_weekday(name: str, reference: datetime) -> datetime | None:
    """The date of weekday ``name`` ("السبت") in the week up to ``reference`` (news reports the past)."""
    wd = langdata.weekdays().get(fold_for_match(name).strip())
    if wd is None:
        return None
    back = (reference.isoweekday() - wd) % 7
    return (reference - timedelta(days=back)).replace(hour=0, minute=0, second=0, microsecond=0)
