import pytest

from marsad import langdata


@pytest.mark.parametrize("name", langdata.data_files())
def test_data_file_has_no_duplicates_stray_whitespace_or_presentation_forms(name):
    assert langdata.check_file(name) == []


def test_every_month_and_weekday_is_covered():
    assert sorted(set(langdata.months().values())) == list(range(1, 13))
    assert sorted(set(langdata.weekdays().values())) == list(range(1, 8))


def test_boilerplate_kinds_are_known():
    assert set(langdata.boilerplate().values()) <= {"drop", "related", "keywords", "source", "comments", "rights"}
