from datetime import datetime

import pytest
from hypothesis import given, strategies as st

from datetime import timedelta

from hijridate import Gregorian

from marsad.clean.dates import find_dates, is_date_line, parse_date, resolve_date, resolve_weekday

MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
          "نوفمبر", "ديسمبر"]


@pytest.mark.parametrize("text, expected", [
    ("السبت 19 ديسمبر 2020 10:29 م", datetime(2020, 12, 19, 22, 29)),
    ("الأربعاء 12 آذار 2025 09:15 ص", datetime(2025, 3, 12, 9, 15)),
    ("19 كانون الأول 2020", datetime(2020, 12, 19)),
    ("12 جانفي 2021", datetime(2021, 1, 12)),
    ("2020/12/19 - 22:29", datetime(2020, 12, 19, 22, 29)),
    ("١٩-١٢-٢٠٢٠", datetime(2020, 12, 19)),
    ("نشر في 3 مارس 2025", datetime(2025, 3, 3)),
    ("12:30 ص 1 يناير 2024", datetime(2024, 1, 1, 0, 30)),         # a time printed before its date
    ("03:25 م - الثلاثاء 12 يونيو 2018", datetime(2018, 6, 12, 15, 25)),
])
def test_arabic_dates_are_parsed(text, expected):
    assert parse_date(text) == expected


def test_iso_dates_keep_their_offset():
    assert parse_date("2018-04-14T01:12:24+04:00").utcoffset().total_seconds() == 4 * 3600


@pytest.mark.parametrize("text", ["14-09-1432 هـ, 09:40 صباحا+99:99", "19 ديسمبر 2020 10:29 +15:00",
                                  "19 ديسمبر 2020 10:29 توقيت غرينتش+77"])
def test_an_offset_no_place_uses_is_ignored_not_a_crash(text):
    # found by benchmarks/fuzz.py: "+99:99" after a time raised ValueError from datetime.timezone
    value = parse_date(text)
    assert value is not None and value.tzinfo is None


def test_a_sentence_with_a_date_is_not_a_date_line():
    assert not is_date_line("قال الوزير في 3 مارس 2025 إن المفاوضات ستستأنف")
    assert is_date_line("السبت 19 ديسمبر 2020 10:29 م")


def test_weekday_resolves_to_the_last_such_day_up_to_the_reference():
    assert resolve_weekday("السبت", datetime(2020, 12, 19, 22, 29)) == datetime(2020, 12, 19)
    assert resolve_weekday("الخميس", datetime(2020, 12, 19)) == datetime(2020, 12, 17)
    assert resolve_weekday("غدا", datetime(2020, 12, 19)) is None


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31)))
def test_any_date_written_the_arabic_way_parses_back(when):
    hour12 = when.hour % 12 or 12
    suffix = "م" if when.hour >= 12 else "ص"
    text = f"{when.day} {MONTHS[when.month - 1]} {when.year} {hour12}:{when.minute:02d} {suffix}"
    assert parse_date(text) == when.replace(second=0, microsecond=0)


def test_both_dates_of_a_sentence_are_found():
    # dateparser's tests/test_search.py, test_search_and_parse (Arabic): its two dates, with their values
    text = ("في 29 يوليو 1938 غزت القوات اليابانية الاتحاد السوفييتي ووقعت أولى المعارك والتي انتصر فيها "
            "السوفييت، وعلى الرغم من ذلك رفضت اليابان الاعتراف بذلك وقررت في 11 مايو 1939 تحريك الحدود "
            "المنغولية حتى نهر غول، حيث وقعت معركة خالخين غول والتي انتصر فيها الجيش الأحمر على جيش كوانتونغ")
    assert [(d.text, d.date.value) for d in find_dates(text)] == [
        ("29 يوليو 1938", datetime(1938, 7, 29)), ("11 مايو 1939", datetime(1939, 5, 11))]


REFERENCE = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0))
AGO_WORDS = st.sampled_from(["منذ", "قبل"])


@given(REFERENCE, AGO_WORDS, st.integers(min_value=3, max_value=59))
def test_minutes_ago_count_back_from_the_reference(ref, word, n):
    assert resolve_date(f"{word} {n} دقائق", ref).value == ref - timedelta(minutes=n)


@given(REFERENCE, AGO_WORDS, st.integers(min_value=3, max_value=23))
def test_hours_ago_count_back_from_the_reference(ref, word, n):
    value = resolve_date(f"{word} {n} ساعات", ref)
    assert (value.value, value.precision, value.relative) == (ref - timedelta(hours=n), "minute", True)


@given(REFERENCE, AGO_WORDS, st.sampled_from([("ساعة", 60), ("نصف ساعة", 30), ("ربع ساعة", 15),
                                              ("ساعتين", 120), ("دقيقة", 1), ("ساعة ونصف", 90)]))
def test_hour_words_ago_count_back_from_the_reference(ref, word, amount):
    phrase, minutes = amount
    assert resolve_date(f"{word} {phrase}", ref).value == ref - timedelta(minutes=minutes)


HOURS = ["الواحدة", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة", "التاسعة",
         "العاشرة", "الحادية عشرة", "الثانية عشرة"]


@given(REFERENCE, st.integers(min_value=1, max_value=11), st.sampled_from(["صباحا", "صباحاً"]))
def test_an_hour_in_words_before_noon_is_that_hour_of_the_reference_day(ref, hour, part):
    assert resolve_date(f"الساعة {HOURS[hour - 1]} {part}", ref).value == ref.replace(hour=hour, minute=0)


@given(REFERENCE, st.integers(min_value=1, max_value=11), st.sampled_from(["مساء", "مساءً", "عصرا"]))
def test_an_hour_in_words_after_noon_is_twelve_hours_on(ref, hour, part):
    assert resolve_date(f"{HOURS[hour - 1]} {part}", ref).value == ref.replace(hour=hour + 12, minute=0)


@given(REFERENCE, st.sampled_from([("اليوم السابق", -1), ("اليوم التالي", 1), ("أمس", -1), ("غدا", 1)]))
def test_the_day_before_and_after_are_one_day_off_the_reference(ref, phrase):
    text, days = phrase
    assert resolve_date(text, ref).day() == (ref + timedelta(days=days)).date()


@given(st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime(2070, 12, 31).date()),
       st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59), st.booleans())
def test_a_hijri_date_with_its_hour_reads_as_that_day_and_hour(day, hour, minute, separator):
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    hour12, part = (hour % 12 or 12), ("مساءً" if hour >= 12 else "صباحاً")
    text = f"{h.day:02d}-{h.month:02d}-{h.year} هـ{',' if separator else ''} {hour12:02d}:{minute:02d} {part}"
    assert parse_date(text) == datetime(day.year, day.month, day.day, hour, minute)
