"""Arabic dates → ``datetime``, and relative date words → dates.

Handles the forms Arabic news pages print: "السبت 19 ديسمبر 2020 10:29 م",
"19 كانون الأول 2020", Maghrebi months ("3 شتنبر 2021", "12 جانفي 2021"),
doubled forms ("4 أبريل/نيسان 2019", "19 ديسمبر (كانون الأول) 2020"),
"2020/12/19 - 22:29", "19-12-2020", ISO 8601, Arabic-Indic digits, ص/م,
"نشر في:" / "تحديث:" prefixes, Hijri dates ("4 جمادى الأولى 1442 هـ",
converted with ``hijridate``, the Umm al-Qura calendar) and time zones written
after the time ("بتوقيت مكة المكرمة", "(ت.غ)", "GMT+3").

Relative references in a text ("السبت", "أمس", "اليوم السابق", "الأسبوع الماضي",
"مساء الجمعة", "منذ 3 ساعات", "قبل ربع ساعة", "نوفمبر الماضي", "17 ديسمبر") are
resolved against a reference date (the publication date) by ``resolve_date`` and
``find_dates``; a time after a day may be written in words ("العاشرة صباحا"). Every
word comes from ``data/ar/*``: months, hijri_months, weekdays, relative_dates,
number_words, hour_words, timezones, date_words. What cannot be read gives
``None``: nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from .. import langdata
from ..normalize import fold_with_offsets, fold_for_match

_AMPM = r"(صباحا|مساء|ظهرا|عصرا|ليلا|فجرا|am|pm|ص|م)(?![\u0621-\u064a])"
_TIME = (r"(?:\s*[-–،,|]?\s*(?:الساعه\s*)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:" + _AMPM + ")?)?")
_PM = {"م", "مساء", "pm", "عصرا"}
_NIGHT = "ليلا"   # 9 ليلا is 21:00, but 2 ليلا is 02:00 and 12 ليلا midnight
_PERSIAN_LETTERS = re.compile("[\u06cc\u06a9\u06af\u067e\u0686\u0698]")  # ی ک گ پ چ ژ: not Arabic
_AM = {"ص", "صباحا", "am", "فجرا"}
_NOON = {"ظهرا"}
_YEAR_SUFFIX = r"(?:\s*(?:م|ميلادي|ميلاديه)(?![\u0621-\u064a]))?"
_HIJRI_SUFFIX = r"(?:\s*(?:ه|هجري|هجريه)(?![\u0621-\u064a]))"
_B = r"(?<![\w])"       # word start
_E = r"(?![\w])"        # word end
_PART_NAMES = {18: "evening", 9: "morning", 12: "noon", 15: "afternoon", 21: "night", 5: "dawn",
               0: "midnight"}


@dataclass(frozen=True)
class DateValue:
    """A resolved date: ``value`` at ``precision`` (minute, day, week, month, year).

    ``part_of_day`` is set for "مساء الجمعة" (evening) and the like; ``calendar``
    says which calendar the text was written in (the value is always Gregorian).
    """

    value: datetime
    precision: str
    part_of_day: str | None = None
    calendar: str = "gregorian"
    relative: bool = False

    def iso(self) -> str:
        """ISO 8601 at the value's precision: 2020-12-19T22:29, 2020-12-19, 2020-W50, 2020-12, 2020."""
        v = self.value
        if self.precision == "minute":
            spec = "minutes" if v.second == 0 else "seconds"
            return v.isoformat(timespec=spec)
        if self.precision == "day":
            return v.date().isoformat()
        if self.precision == "week":
            y, w, _ = v.isocalendar()
            return f"{y}-W{w:02d}"
        if self.precision == "month":
            return f"{v.year:04d}-{v.month:02d}"
        return f"{v.year:04d}"

    def day(self) -> date | None:
        """The calendar day, or None when the value is coarser than a day."""
        return self.value.date() if self.precision in ("minute", "day") else None


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: where (offsets into the original), what was written, its value."""

    start: int
    end: int
    text: str
    date: DateValue


def _alt(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    months = _alt(langdata.months())
    hijri = _alt(langdata.hijri_months())
    rel = langdata.relative_dates()
    wd_all = _alt(langdata.weekdays())
    wd_def = _alt(n for n in langdata.weekdays() if n.startswith("ال"))
    doubled = r"(?:\s*(?:/|\(|-)\s*(?:" + months + r")\s*\)?)?"
    shift, unit = _alt(rel["shift"]), _alt(rel["unit"])
    count = r"\d+|" + _alt(langdata.number_words())
    # after the unit of "منذ ساعة", these make it "since …" or "before …" another event, not an age:
    # "منذ يوم الجمعة", "منذ شهر رمضان", "منذ عام 2011", "قبل يومين من الانتخابات", "منذ ساعة مبكرة"
    since = _alt({*rel["not-after"], *langdata.weekdays(), *langdata.months(), *langdata.hijri_months(),
                  *rel["day"]})
    not_since = r"(?!\s*(?:\d|ال|(?:" + since + r")" + _E + r"))"
    ago = (r"(?:(?P<amount>" + _alt(rel["ago-minutes"]) + r")|(?P<n>" + count + r")\s+(?P<unit>"
           + _alt(rel["ago"]) + r")|(?P<dual>" + _alt(rel["ago2"]) + r")|(?P<one>" + _alt(rel["ago1"]) + r"))"
           + _E + not_since)
    plain_ago = re.sub(r"\(\?P<\w+>", "(?:", ago)
    hours = langdata.hour_words()
    word_hour = r"(?P<{p}w>" + _alt(hours["hour"]) + r")(?:\s*(?P<{p}f>" + _alt(hours["minutes"]) + r"))?"
    num_hour = r"(?P<{p}h>\d{1,2})(?:[:.](?P<{p}m>\d{2}))?"
    weekday = r"(?:يوم\s+(?P<wd1>" + wd_all + r")|(?P<wd2>" + wd_def + r"))"
    clitic = r"(?:[وف]?(?:ب|ل)?)"
    return {
        "named": re.compile(_B + r"(\d{1,2})\s+(?:\(?\d{1,2}\)?\s*)?(" + months + r")" + doubled
                            + r"\s*[,،]?\s*(\d{4})" + _YEAR_SUFFIX + _TIME),
        "month_first": re.compile(_B + r"(" + months + r")" + doubled + r"\s+(\d{1,2})\s*[,،]\s*(\d{4})"
                                  + _YEAR_SUFFIX + _TIME),
        "hijri": re.compile(_B + r"(\d{1,2})\s+(" + hijri + r")\s*[,،]?\s*(\d{4})" + _HIJRI_SUFFIX + "?" + _TIME),
        "numeric_ymd": re.compile(_B + r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})" + _E + r"(" + _HIJRI_SUFFIX
                                  + r")?" + _YEAR_SUFFIX + _TIME),
        "numeric_dmy": re.compile(_B + r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})" + _E + r"(" + _HIJRI_SUFFIX
                                  + r")?" + _YEAR_SUFFIX + _TIME),
        "day_month": re.compile(_B + r"(\d{1,2})\s+(" + months + r")" + doubled + r"(?:\s+من\s+(" + unit
                                + r")\s+(" + shift + r"))?" + _E),
        "month_year": re.compile(_B + r"(" + months + r")" + doubled + r"\s*[,،]?\s*(\d{4})" + _E),
        "month_shift": re.compile(_B + clitic + r"(" + months + r")\s+(" + shift + r")" + _E),
        "ago": re.compile(_B + r"[وف]?(?:" + _alt(rel["ago-word"]) + r")\s+" + ago),
        # a duration alone, the whole text ("ساعتين", "4 عام", "1 عام, 1 شهر, 1 أسبوع"): counted back
        "duration": re.compile(r"\s*" + plain_ago + r"(?:\s*(?:[,،]|و)\s*" + plain_ago + r")*\s*"),
        "age": re.compile(ago),
        # a time printed before its date: "03:25 م - الثلاثاء"
        "hour_before": re.compile(r"(?<![\d:])(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?:(?P<ap>" + _AMPM
                                  + r"))?\s*[-–،,|]?\s*(?:(?:يوم\s+)?(?:" + wd_all + r")\s*[,،]?\s*)?$"),
        # a time of day right after a day ("الساعة 5 مساء", "5 م", "الساعه 17:30", "العاشرة صباحا",
        # "الساعة الثالثة والنصف"): with the word الساعة, or with a part of the day
        "hour_after": re.compile(r"\s*[-–،,|]?\s*(?:(?:في\s+)?(?:تمام\s+)?الساعه\s*(?:" + num_hour.replace("{p}", "a")
                                 + "|" + word_hour.replace("{p}", "b") + r")(?:\s*(?P<ap1>" + _AMPM + r"))?"
                                 + r"|(?:في\s+)?(?:" + num_hour.replace("{p}", "c") + "|" + word_hour.replace("{p}", "d")
                                 + r")\s*(?P<ap2>" + _AMPM + r"))"),
        "unit_shift": re.compile(_B + clitic + r"(?:(" + unit + r")\s+(" + shift + r")|(?:هذا|هذه)\s+(" + unit
                                 + r"))" + _E),
        "night": re.compile(_B + clitic + r"(" + _alt(rel["day-night"]) + r")" + _E),
        "relative": re.compile(_B + clitic + r"(?:(?P<part>" + _alt(rel["part"]) + r")\s+)?(?:(?P<day>"
                               + _alt({**rel["day"], **rel["day-seq"]}) + r")|" + weekday + r"(?:\s+(?P<shift>" + shift + r"))?)" + _E),
    }


def _zone_after(folded: str, end: int) -> tzinfo | None:
    """The time zone written right after a date (``end``), if any."""
    tail = folded[end:end + 48]
    m = re.match(r"\s*[(\[]?\s*([+-])(\d{2}):?(\d{2})" + _E, tail)
    if m:
        return _offset(m.group(1), m.group(2), m.group(3))
    m = re.match(r"\s*[-–،,]?\s*[(\[]?\s*(?:ب?ال|ب)?توقيت\s+([^\s)\]،,+-]+)(?:\s+([^\s)\]،,+-]+))?", tail)
    if m:
        zones = langdata.timezones()
        two = f"{m.group(1)} {m.group(2)}" if m.group(2) else None
        zone, name_end = (zones[two], m.end(2)) if two in zones else (zones.get(m.group(1)), m.end(1))
        if zone is None:
            return None
        return _gmt(tail[name_end:]) if zone == "+00:00" else ZoneInfo(zone)
    m = re.match(r"\s*[(\[]?\s*(gmt|utc|ت\s*\.?\s*غ|غرينتش|جرينتش|غرينيتش|جرينيتش)" + _E, tail)
    if m:
        return _gmt(tail[m.end():])
    return None


def _gmt(rest: str) -> tzinfo | None:
    m = re.match(r"\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", rest)
    return _offset(m.group(1), m.group(2), m.group(3) or "0") if m else timezone.utc


MAX_OFFSET_HOURS = 14  # UTC+14:00 (Kiribati) is the furthest offset in use; -12:00 the furthest behind


def _offset(sign: str, hh: str, mm: str) -> tzinfo | None:
    """The fixed zone ``+hh:mm`` / ``-hh:mm``; None for one no place uses ("+99:99"): no zone is read."""
    if int(hh) > MAX_OFFSET_HOURS or int(mm) > 59:
        return None
    delta = timedelta(hours=int(hh), minutes=int(mm))
    return timezone(-delta if sign == "-" else delta)


def _build(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None,
           ampm: str | None, tz: tzinfo | None = None) -> datetime | None:
    hour = int(hh) if hh else 0
    if ampm in _PM and hour < 12 or ampm == _NIGHT and 6 <= hour < 12:
        hour += 12
    elif ampm == _NIGHT and hour == 12:
        hour = 0
    elif ampm in _AM and hour == 12:
        hour = 0
    elif ampm in _NOON and hour < 6:
        hour += 12
    try:
        return datetime(y, m, d, hour, int(mm) if mm else 0, int(ss) if ss else 0, tzinfo=tz)
    except ValueError:
        return None


def _from_hijri(y: int, m: int, d: int) -> datetime | None:
    """Umm al-Qura Hijri date → Gregorian (hijridate covers 1343–1500 AH); None outside it.

    The 30th of a month Umm al-Qura gives 29 days is the day after its 29th: where the month
    began on a local sighting of the moon, a page prints a day 30 (dateparser reads
    "30-02-1433" so too).
    """
    from hijridate import Hijri

    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        if d != 30:
            return None
        try:
            g = Hijri(y, m, 29).to_gregorian() + timedelta(days=1)
        except (ValueError, OverflowError):
            return None
    return datetime(g.year, g.month, g.day)


def _at(day: datetime | None, hh: str | None, mm: str | None, ss: str | None, ampm: str | None,
        tz: tzinfo | None, calendar: str = "gregorian") -> DateValue | None:
    """``day`` at the time given (or the day alone when no hour is)."""
    if day is None:
        return None
    if not hh:
        return DateValue(day, "day", calendar=calendar)
    value = _build(day.year, day.month, day.day, hh, mm, ss, ampm, tz)
    return DateValue(value, "minute", calendar=calendar) if value else None


def _absolute(folded: str, m: re.Match[str], kind: str) -> DateValue | None:
    """The value of an absolute-date match of pattern ``kind``."""
    if kind in ("named", "month_first"):
        if kind == "named":
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(1), m.group(2), m.group(3)
        hh, mm, ss, ampm = m.group(4, 5, 6, 7)
        tz = _zone_after(folded, m.end()) if hh else None
        value = _build(int(year), langdata.months()[month], int(day), hh, mm, ss, ampm, tz)
        return DateValue(value, "minute" if hh else "day") if value else None
    if kind == "hijri":
        hh, mm, ss, ampm = m.group(4, 5, 6, 7)
        day = _from_hijri(int(m.group(3)), langdata.hijri_months()[m.group(2)], int(m.group(1)))
        return _at(day, hh, mm, ss, ampm, _zone_after(folded, m.end()) if hh else None, "hijri")
    a, b, c = (int(g) for g in m.group(1, 2, 3))
    y, mo, d = (a, b, c) if kind == "numeric_ymd" else (c, b, a)
    hijri_mark, hh, mm, ss, ampm = m.group(4, 5, 6, 7, 8)
    if hijri_mark or y < 1600:
        return _at(_from_hijri(y, mo, d), hh, mm, ss, ampm, _zone_after(folded, m.end()) if hh else None,
                   "hijri")
    if mo > 12 and d <= 12:  # month/day/year, as a few sites print it
        mo, d = d, mo
    tz = _zone_after(folded, m.end()) if hh else None
    value = _build(y, mo, d, hh, mm, ss, ampm, tz)
    return DateValue(value, "minute" if hh else "day") if value else None


_ABSOLUTE = ("named", "month_first", "hijri", "numeric_ymd", "numeric_dmy")
_RELATIVE = ("day_month", "month_year", "month_shift", "ago", "unit_shift", "night", "relative")


def _iso(text: str) -> datetime | None:
    iso = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", iso) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        try:
            return datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def parse_date(text: str) -> datetime | None:
    """The first complete date (and time and zone, when given) in ``text``, or None.

    A Gregorian date is preferred over a Hijri one on the same line.
    """
    value = _parse_absolute(text)
    return value.value if value else None


def parse_date_value(text: str) -> DateValue | None:
    """``parse_date`` with its precision: "minute" when the text gives the hour, else "day"."""
    return _parse_absolute(text)


def _parse_absolute(text: str) -> DateValue | None:
    if not text:
        return None
    iso = _iso(text)
    if iso:
        has_time = "T" in text or " " in text.strip()
        return DateValue(iso, "minute" if has_time else "day")
    folded = fold_for_match(text)
    pats = _patterns()
    found = []
    for kind in _ABSOLUTE:
        for m in pats[kind].finditer(folded):
            value = _absolute(folded, m, kind)
            if value:
                if value.precision == "day" and kind in _DAY_KINDS:
                    value, _ = _with_hour(folded, len(folded[:m.end()].rstrip()), value, True)
                if value.precision == "day":
                    value = _hour_before(folded, m.start(), value)
                found.append((value.calendar != "gregorian", m.start(), value))
                break
    return min(found, key=lambda f: f[:2])[2] if found else None


def _hour_before(folded: str, start: int, value: DateValue) -> DateValue:
    """The day ``value`` at a time written just before it, as some pages print their date line
    ("03:25 م - الثلاثاء 12 يونيو 2018"); unchanged when no time stands there."""
    t = _patterns()["hour_before"].search(folded[max(0, start - 40):start])
    if not t:
        return value
    day = value.value
    timed = _build(day.year, day.month, day.day, t.group("h"), t.group("m"), None, t.group("ap"), None)
    return DateValue(timed, "minute", None, value.calendar, value.relative) if timed else value


def parse_time(text: str) -> tuple[int, int] | None:
    """(hour, minute) of the first time of day in ``text`` ("آخر تحديث: 06:27", "الساعة 5 مساء",
    "العاشرة صباحا"), or None."""
    folded = fold_for_match(text)
    pat = _patterns()["hour_after"]
    for start in [0, *(m.end() for m in re.finditer(r"[\s:|,،\-–]+", folded))]:
        t = pat.match(folded, start)
        if t:
            hh, mm, ampm = _clock(t)
            value = _build(2000, 1, 1, hh, mm, None, ampm)
            if value:
                return value.hour, value.minute
    m = re.search(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", folded)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return int(m.group(1)), int(m.group(2))
    return None


def _add_months(d: datetime, n: int) -> datetime:
    y, m = divmod(d.month - 1 + n, 12)
    return d.replace(year=d.year + y, month=m + 1, day=1)


def _relative(m: re.Match[str], kind: str, ref: datetime) -> DateValue | None:
    """The value of a relative-date match of pattern ``kind`` against reference ``ref``."""
    rel = langdata.relative_dates()
    months = langdata.months()
    if kind == "month_year":
        return DateValue(datetime(int(m.group(2)), months[m.group(1)], 1), "month")
    day0 = ref.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "day_month":
        month, day = months[m.group(2)], int(m.group(1))
        if m.group(3):
            if rel["unit"][m.group(3)] != "year":
                return None
            years = [ref.year + int(rel["shift"][m.group(4)])]
        else:
            years = [ref.year - 1, ref.year, ref.year + 1]
        options = [v for y in years if (v := _build(y, month, day, None, None, None, None, ref.tzinfo))]
        if not options:
            return None
        return DateValue(min(options, key=lambda v: abs(v - day0)), "day", relative=True)
    if kind == "month_shift":
        month, shift = months[m.group(1)], int(rel["shift"][m.group(2)])
        year = ref.year
        if shift < 0 and month >= ref.month:
            year -= 1
        elif shift > 0 and month <= ref.month:
            year += 1
        return DateValue(day0.replace(year=year, month=month, day=1), "month", relative=True)
    if kind == "ago":
        return _ago([m], ref)
    if kind == "unit_shift":
        unit = rel["unit"][m.group(1) or m.group(3)]
        shift = int(rel["shift"][m.group(2)]) if m.group(2) else 0
        if unit == "week":
            return DateValue(day0 + timedelta(days=7 * shift), "week", relative=True)
        if unit == "month":
            return DateValue(_add_months(day0, shift), "month", relative=True)
        return DateValue(day0.replace(year=ref.year + shift, month=1, day=1), "year", relative=True)
    if kind == "night":
        return DateValue(day0 + timedelta(days=int(rel["day-night"][m.group(1)]), hours=21), "day",
                         part_of_day="night", relative=True)
    # kind == "relative": a day word or a weekday, maybe with a part of the day and a shift
    part = int(rel["part"][m.group("part")]) if m.group("part") else None
    if m.group("day"):
        value = day0 + timedelta(days=int({**rel["day"], **rel["day-seq"]}[m.group("day")]))
    else:
        wd = langdata.weekdays()[m.group("wd1") or m.group("wd2")]
        shift = int(rel["shift"][m.group("shift")]) if m.group("shift") else 0
        if shift < 0:
            value = day0 - timedelta(days=(ref.isoweekday() - wd - 1) % 7 + 1)
        elif shift > 0:
            value = day0 + timedelta(days=(wd - ref.isoweekday() - 1) % 7 + 1)
        else:
            value = day0 - timedelta(days=(ref.isoweekday() - wd) % 7)
    if part is not None:
        value = value + timedelta(hours=part)
    return DateValue(value, "day", part_of_day=_PART_NAMES.get(part) if part is not None else None,
                     relative=True)


_AGO_PRECISION = {"minutes": "minute", "hours": "minute", "days": "day", "weeks": "week", "months": "month",
                  "years": "year"}
_UNITS = list(_AGO_PRECISION)


def _ago(parts: list[re.Match[str]], ref: datetime) -> DateValue:
    """``ref`` less the time the matches of the ``ago`` pattern count ("منذ 3 ساعات", "1 عام, 1 شهر")."""
    rel = langdata.relative_dates()
    back: dict[str, int] = {}
    for m in parts:
        if m.group("amount"):
            unit, n = "minutes", int(rel["ago-minutes"][m.group("amount")])
        elif m.group("n"):
            count = m.group("n")
            unit, n = rel["ago"][m.group("unit")], int(count) if count.isdigit() else langdata.number_words()[count]
        elif m.group("dual"):
            unit, n = rel["ago2"][m.group("dual")], 2
        else:
            unit, n = rel["ago1"][m.group("one")], 1
        back[unit] = back.get(unit, 0) + n
    smallest = min(back, key=_UNITS.index)
    value = ref - relativedelta(**back)
    if _AGO_PRECISION[smallest] != "minute":
        value = value.replace(hour=0, minute=0, second=0, microsecond=0)
    return DateValue(value, _AGO_PRECISION[smallest], relative=True)


def find_dates(text: str, reference: datetime | None = None) -> list[DateMention]:
    """Every date expression in ``text`` with its offsets in the original, earliest first.

    Relative ones ("أمس", "السبت الماضي", "17 ديسمبر") are found only when a
    ``reference`` (the publication date) is given.
    """
    folded, offsets = fold_with_offsets(text)
    pats = _patterns()
    spans: list[tuple[int, int, DateValue | None]] = []
    kinds = _ABSOLUTE + (_RELATIVE if reference is not None else ("month_year",))
    for kind in kinds:
        for m in pats[kind].finditer(folded):
            value = _absolute(folded, m, kind) if kind in _ABSOLUTE else _relative(m, kind, reference)
            if value or kind in _ABSOLUTE:  # an impossible date ("31 فبراير 2021") blocks weaker readings
                end = m.end()
                while end > m.start() and folded[end - 1].isspace():
                    end -= 1
                if value is not None and value.precision == "day" and kind in _DAY_KINDS:
                    value, end = _with_hour(folded, end, value, kind in _ABSOLUTE)
                spans.append((m.start(), end, value))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[DateMention] = []
    last_end = -1
    for start, end, value in spans:
        if start < last_end:
            continue
        last_end = end
        if value is None:
            continue
        o_start, o_end = offsets[start], offsets[end - 1] + 1
        out.append(DateMention(o_start, o_end, text[o_start:o_end], value))
    return out


# patterns naming one day, after which a time of day may follow
_DAY_KINDS = ("named", "month_first", "numeric_ymd", "numeric_dmy", "day_month", "relative")


def _clock(t: re.Match[str]) -> tuple[str, str, str | None]:
    """(hour, minute, part of the day) of a match of the ``hour_after`` pattern, in digits."""
    ampm = t.group("ap1") or t.group("ap2")
    for p in "ac":
        if t.group(p + "h"):
            return t.group(p + "h"), t.group(p + "m") or "0", ampm
    words = langdata.hour_words()
    p = "b" if t.group("bw") else "d"
    hour, minute = words["hour"][t.group(p + "w")], words["minutes"].get(t.group(p + "f") or "", 0)
    if minute < 0:  # "الثالثة إلا ربعا": a quarter to three
        hour, minute = hour - 1 or 12, 60 + minute
    return str(hour), str(minute), ampm


def _with_hour(folded: str, end: int, value: DateValue, absolute: bool) -> tuple[DateValue, int]:
    """The day ``value`` at the time written right after it ("غدا الساعة 5 مساء" → 17:00, "الأحد
    العاشرة صباحا" → 10:00), with the end of the span past that time; unchanged when no time follows."""
    t = _patterns()["hour_after"].match(folded, end)
    if not t:
        return value, end
    hh, mm, ampm = _clock(t)
    day = value.value
    tz = (_zone_after(folded, t.end()) or day.tzinfo) if absolute else day.tzinfo
    timed = _build(day.year, day.month, day.day, hh, mm, None, ampm, tz)
    if timed is None:
        return value, end
    stop = t.end()
    while stop > end and folded[stop - 1].isspace():
        stop -= 1
    return DateValue(timed, "minute", None, value.calendar, value.relative), stop


def resolve_date(text: str, reference: datetime | None = None) -> DateValue | None:
    """The date ``text`` names: an absolute date, else (with ``reference``) a relative one; else None.

    With a reference, a text that is only a duration ("ساعتين", "4 عام", as "time ago" widgets
    print it) counts back from it, and a text that is only a time of day ("العاشرة صباحا",
    "الساعة 10:29") is that time on the reference's day. In running text (``find_dates``) neither
    is a date: "استمرت المفاوضات يومين" names no day.
    """
    absolute = _parse_absolute(text)
    if absolute:
        return absolute
    found = find_dates(text, reference)
    if found:
        return found[0].date
    if reference is None:
        return None
    pats = _patterns()
    folded = fold_for_match(text).strip()
    if pats["duration"].fullmatch(folded) and not _PERSIAN_LETTERS.search(text):
        return _ago(list(pats["age"].finditer(folded)), reference)
    t = pats["hour_after"].fullmatch(folded)
    if t:
        hh, mm, ampm = _clock(t)
        value = _build(reference.year, reference.month, reference.day, hh, mm, None, ampm, reference.tzinfo)
        return DateValue(value, "minute", relative=True) if value else None
    return None


def without_dates(line: str) -> str | None:
    """``line`` with the dates naming a day (or a minute) blanked out; None when it names none."""
    found = [d for d in find_dates(line) if d.date.precision in ("minute", "day")]
    if not found:
        return None
    rest = line
    for d in reversed(found):
        rest = rest[:d.start] + " " + rest[d.end:]
    return rest


def is_date_line(line: str) -> bool:
    """True when ``line`` is a date (with weekday, time, prefixes) and little else."""
    rest = without_dates(line)
    if rest is None:
        return False
    folded = fold_for_match(rest)
    for phrase in sorted(langdata.word_list("date_words.txt"), key=len, reverse=True):
        if " " in phrase:
            folded = folded.replace(phrase, " ")
    ignore = langdata.word_list("date_words.txt") | set(langdata.weekdays()) | set(langdata.timezones())
    leftover = [w for w in re.findall(r"[\u0621-\u064Aa-z]+", folded) if w not in ignore]
    return len(leftover) <= 1


def resolve_weekday(name: str, reference: datetime) -> datetime | None:
    """The date of weekday ``name`` ("السبت") in the week up to ``reference`` (news reports the past)."""
    wd = langdata.weekdays().get(fold_for_match(name).strip())
    if wd is None:
        return None
    back = (reference.isoweekday() - wd) % 7
    return (reference - timedelta(days=back)).replace(hour=0, minute=0, second=0, microsecond=0)
