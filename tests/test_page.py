"""Reading scraped pages: the seeds against ../shared/seeds/expected.json, and general rules."""
from datetime import datetime

import pytest

from marsad.clean.page import clean_body, read_text_page, split_tags
from marsad.normalize import fold_for_match

SEED_FILES = ["000_fa5338184ecd9d0a.txt", "004_d44edca8de48cbaa.txt"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_page_fields_match_expected(seeds, expected, name):
    want = expected["articles"][name]
    page = read_text_page((seeds / name).read_text(encoding="utf-8"))
    assert page.title == want["title"]
    assert page.outlet == want["outlet"]
    assert page.published == (datetime.fromisoformat(want["published"]) if want["published"] else None)
    assert page.tags == want.get("tags", [])
    assert page.body.startswith(want["body_starts_with"])
    assert page.body.endswith(want["body_ends_with"])
    for junk in want["boilerplate_not_in_body"]:
        assert fold_for_match(junk) not in fold_for_match(page.body)


PAGE = """\
trackpixel
الحكومة تعلن خطة جديدة للنقل العام في العاصمة
مشاركة

الخبر اليومي - خاص

الأحد 9 آذار 2025 - 14:05

أعلنت الحكومة اليوم عن خطة جديدة لتطوير شبكة النقل العام في العاصمة تشمل خطوط حافلات كهربائية.

وقال وزير النقل إن المرحلة الأولى تبدأ في الصيف المقبل.

اقرأ أيضا
وزير النقل يتفقد محطة القطار المركزية
افتتاح جسر جديد فوق النهر

وأضاف الوزير أن الخطة تكلف نحو مليار دينار وتمتد خمس سنوات.

الوسوم
النقل العام، الحافلات الكهربائية، وزارة النقل
"""


def test_page_layout_of_another_site_is_read_by_the_same_rules():
    page = read_text_page(PAGE)
    assert page.title == "الحكومة تعلن خطة جديدة للنقل العام في العاصمة"
    assert page.outlet == "الخبر اليومي"
    assert page.published == datetime(2025, 3, 9, 14, 5)
    assert page.tags == ["النقل العام", "الحافلات الكهربائية", "وزارة النقل"]
    assert page.body.startswith("أعلنت الحكومة اليوم")
    assert page.body.endswith("وتمتد خمس سنوات.")
    for junk in ["trackpixel", "مشاركة", "اقرأ أيضا", "وزير النقل يتفقد", "افتتاح جسر", "الوسوم"]:
        assert junk not in page.body


def test_boilerplate_phrases_match_whatever_the_alef_form():
    page = read_text_page(PAGE.replace("اقرأ أيضا", "إقرا ايضاً"))
    assert "افتتاح جسر" not in page.body


def test_space_separated_tags_are_segmented_by_the_page_text():
    context = "التقى خليفة حفتر مع عباس كامل في بنغازي"
    assert split_tags("خليفة حفتر عباس كامل العلاقات المصرية الليبية", context) == [
        "خليفة حفتر", "عباس كامل", "العلاقات المصرية الليبية"]


def test_tags_with_separators_are_split_on_them():
    assert split_tags("ليبيا، مصر، الأمم المتحدة") == ["ليبيا", "مصر", "الأمم المتحدة"]
    assert split_tags("ليبيا | مصر") == ["ليبيا", "مصر"]


def test_clean_body_keeps_lines_and_drops_only_furniture():
    body = "الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا.\nشارك الخبر\nالفقرة الثانية.\nأخبار ذات صلة\nعنوان آخر هنا"
    assert clean_body(body) == "الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا.\nالفقرة الثانية."


def test_page_without_prose_has_no_body():
    assert read_text_page("عنوان فقط\nشارك الخبر\n").body == ""


def test_readers_comments_after_the_text_are_not_body():
    body = ("الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.\nالفقرة الثانية من الخبر تنتهي هنا.\n"
            "آراء القراء\nمقال رائع، شكرا للكاتب على هذا التحليل الدقيق للأحداث الجارية.")
    assert clean_body(body) == "الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.\nالفقرة الثانية من الخبر تنتهي هنا."


def test_a_comments_count_above_the_text_does_not_end_it():
    assert clean_body("التعليقات (3)\nالفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.") == \
        "الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا."


def test_copyright_and_link_lines_go_and_the_copyright_names_the_outlet():
    page = read_text_page("عنوان الخبر هنا\n\nالفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.\n"
                          "رابط المقال: https://example.com/n/1\nجميع الحقوق محفوظة لـ صحيفة الوادي © 2018")
    assert page.body == "الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا."
    assert page.outlet == "صحيفة الوادي"


def test_a_credit_line_without_a_year_stays_in_the_text():
    line = "حقوق النشر محفوظة لمجلة القافلة، أرامكو السعودية"
    assert clean_body(f"الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.\n{line}").endswith(line)


def test_a_related_header_straight_over_running_text_stays():
    body = ("الفقرة الأولى من الخبر طويلة بما يكفي لتكون نصا كاملا هنا.\nأقرأ أيضا:\n"
            "وقال الوزير إن الخطة تبدأ الشهر المقبل وتستمر حتى نهاية العام الجاري كله.")
    assert clean_body(body) == body
