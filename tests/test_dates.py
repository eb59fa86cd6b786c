from datetime import datetime

import pytest
from hypothesis import given, strategies as st

from marsad.clean.dates import is_date_line, parse_date, resolve_weekday

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
    ("12:30 ص 1 يناير 2024", datetime(2024, 1, 1)),
])
def test_arabic_dates_are_parsed(text, expected):
    assert parse_date(text) == expected


def test_iso_dates_keep_their_offset():
    assert parse_date("2018-04-14T01:12:24+04:00").utcoffset().total_seconds() == 4 * 3600


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
