"""Reading HTML news pages: main text, title, outlet and publication time (marsad.clean.webpage).

The pages here are small and invented; the page set of tests/pageset.py (real ANT texts in seven
layouts and seven encodings) is scored in test_pageset.py.
"""
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner
from hypothesis import assume, given, settings, strategies as st

from marsad.cli import main
from marsad.clean.webpage import read_webpage, split_title
from marsad.io.outlets import outlet_for, read_outlet_names
from marsad.io.readers.html import read_html
from marsad.normalize import folded_phrase

P1 = "أعلنت وزارة الزراعة اليوم عن خطة جديدة لدعم مزارعي القمح في المحافظات الجنوبية خلال الموسم المقبل."
P2 = "وقال المتحدث باسم الوزارة إن الخطة تشمل قروضا ميسرة وبذورا محسنة وتوسيع شبكات الري الحديثة."
P3 = "وأضاف أن المرحلة الأولى تبدأ الشهر المقبل وتستمر حتى نهاية العام بتكلفة تقارب مئتي مليون دينار."
TITLE = "خطة حكومية جديدة لدعم مزارعي القمح"
OUTLET = "صحيفة السنابل"  # invented
MONTHS_EG = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
             "ديسمبر"]


def table_page(date_line: str = "الأحد 20 مايو 2018 08:54 م", title_tag: str | None = None) -> str:
    """A 2000s portal: nested tables, <font> and <br>, no <p>; today's date in the header."""
    return f"""<html dir="rtl"><head><title>{title_tag or OUTLET + ' - ' + TITLE}</title></head><body>
<table width="780"><tr><td><img src="/images/logo.gif" alt="شعار {OUTLET}"></td>
<td><font size="1">الخميس 4 ديسمبر 2026</font></td></tr>
<tr><td width="160" valign="top"><table><tr><td><a href="/a.asp">أخبار محلية</a></td></tr>
<tr><td><a href="/b.asp">عربي ودولي</a></td></tr><tr><td><a href="/c.asp">اقتصاد وأعمال</a></td></tr></table></td>
<td valign="top"><table>
<tr><td><font size="4"><b>{TITLE}</b></font></td></tr>
<tr><td><font size="1">{date_line}</font></td></tr>
<tr><td><font face="Tahoma" size="3">{P1}<br><br>{P2}<br><br>{P3}</font></td></tr>
<tr><td><a href="print.asp">طباعة</a> | <a href="send.asp">أرسل لصديق</a></td></tr>
</table></td></tr>
<tr><td colspan="2"><font size="1">جميع الحقوق محفوظة لـ {OUTLET} © 2009</font></td></tr></table></body></html>"""


def test_table_layout_page_is_read_in_full_without_its_menus():
    page = read_webpage(table_page())
    assert page.body.split("\n\n") == [P1, P2, P3]
    assert page.title == TITLE
    assert page.outlet == OUTLET and page.sources["outlet"] == "title"


def test_undeclared_windows_1256_table_page_is_read(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes(table_page().encode("cp1256"))
    article = next(read_html(path, "old.html"))
    assert article.body.startswith(P1) and article.title == TITLE


def test_visible_date_line_near_the_headline_gives_the_date_and_time():
    # the header's "today" (4 December 2026) is farther from the headline than the date line
    page = read_webpage(table_page())
    assert page.published == datetime(2018, 5, 20, 20, 54) and page.sources["published"] == "visible"


def test_hijri_date_line_with_its_hour_is_read():
    page = read_webpage(table_page("الأحد 5 رمضان 1439 هـ - الساعة 08:54 مساءً"))
    assert page.published == datetime(2018, 5, 20, 20, 54)


def test_published_time_comes_before_the_update_time_on_one_line():
    page = read_webpage(table_page("نشر في: 20/05/2018 - 08:54 | آخر تحديث: 21/05/2018 - 10:00"))
    assert page.published == datetime(2018, 5, 20, 8, 54)


def test_an_update_hour_alone_after_the_day_gives_the_time():
    page = read_webpage(table_page("الأحد 20 مايو 2018 - آخر تحديث: 06:27"))
    assert page.published == datetime(2018, 5, 20, 6, 27)


def test_zone_of_the_date_line_is_kept():
    page = read_webpage(table_page("آخر تحديث: الأحد 20 مايو 2018 20:54 بتوقيت مكة المكرمة"))
    assert page.published.utcoffset() == timedelta(hours=3)


def modern_page(meta: str = "", comments_time: bool = True) -> str:
    comments = ('<section class="comments"><h3>التعليقات</h3><div class="comment"><time datetime="2019-01-01T10:00:00Z">'
                "منذ يومين</time><p>مقال رائع، شكرا للكاتب على هذا التحليل الدقيق للأحداث الجارية في البلاد.</p>"
                "</div></section>") if comments_time else ""
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{TITLE} | {OUTLET}</title>
{meta}</head><body><header><a href="/"><img src="/logo.svg" alt="{OUTLET}"></a>
<nav><ul><li><a href="/1">سياسة</a></li><li><a href="/2">رياضة</a></li></ul></nav></header>
<article><h1>{TITLE}</h1><div class="meta"><span>بقلم: سامي النجار</span> <span>20/05/2018 - 20:54</span></div>
<p>{P1}</p><div class="read-also"><b>اقرأ أيضا:</b> <a href="/n/9">ارتفاع أسعار الخبز في الأسواق الشعبية</a></div>
<p>{P2}</p><p>{P3}</p></article>{comments}<footer><p>© 2018 {OUTLET}. جميع الحقوق محفوظة</p></footer></body></html>"""


def test_a_time_in_the_comments_does_not_date_the_page():
    page = read_webpage(modern_page())
    assert page.published == datetime(2018, 5, 20, 20, 54)


def test_machine_readable_time_is_trusted_first():
    meta = '<meta property="article:published_time" content="2018-05-20T17:54:00Z">'
    page = read_webpage(modern_page(meta))
    assert page.published == datetime(2018, 5, 20, 17, 54, tzinfo=timezone.utc)
    assert page.sources["published"] == "meta"


def test_comments_and_linked_read_also_boxes_stay_out_of_the_body():
    page = read_webpage(modern_page())
    assert page.body.split("\n\n") == [P1, P2, P3]


def test_an_unlinked_read_also_line_of_the_text_is_left_alone():
    line = "وتابع المتحدث أن الوزارة ستنشر التفاصيل كاملة على موقعها الرسمي قريبا جدا، اقرأ أيضا بيان الوزارة."
    page = read_webpage(modern_page().replace(f"<p>{P3}</p>", f"<p>{P3}</p><p>{line}</p>"))
    assert page.body.endswith(line)


def test_outlet_follows_the_order_of_trust():
    meta = f'<meta property="og:site_name" content="السنابل نت">'
    assert read_webpage(modern_page(meta)).outlet == "السنابل نت"
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "x", "publisher": {"@type": "Organization", "name": "مؤسسة السنابل"}}</script>')
    assert read_webpage(modern_page(ld)).outlet == "مؤسسة السنابل"
    assert read_webpage(modern_page()).outlet == OUTLET  # the <title> part, the logo and © agree


def test_outlet_from_the_logo_and_from_the_copyright_line():
    no_title_outlet = table_page(title_tag=TITLE)
    page = read_webpage(no_title_outlet)
    assert page.outlet == OUTLET and page.sources["outlet"] == "logo"
    page = read_webpage(no_title_outlet.replace(f'alt="شعار {OUTLET}"', 'alt=""'))
    assert page.outlet == OUTLET and page.sources["outlet"] == "rights"


def test_title_split_takes_the_part_the_page_prints():
    shown = {folded_phrase(TITLE), folded_phrase(OUTLET)}  # the page's lines, folded
    assert split_title(f"{OUTLET} :: {TITLE}", [], shown, None) == (TITLE, OUTLET)
    assert split_title(f"{TITLE} - {OUTLET} - نسخة للطباعة", [OUTLET], shown, None) == (TITLE, OUTLET)
    # a headline with a separator of its own stays whole when the page prints it so
    headline = "سوريا - قصف على دمشق"
    assert split_title(headline, [], {folded_phrase(headline)}, None) == (headline, None)


def test_title_split_drops_a_section_beside_the_headline():
    shown = {folded_phrase(TITLE), "سياسه"}  # the section is in the menu too
    assert split_title(f"{TITLE} | سياسة | {OUTLET}", [OUTLET], shown, None) == (TITLE, OUTLET)
    assert split_title(f"{OUTLET} :: أخبار عربية :: {TITLE}", [OUTLET], shown, None) == (TITLE, OUTLET)


def test_an_h1_holding_the_site_name_is_no_headline():
    html = table_page(title_tag=OUTLET).replace("<body>", f'<body><h1><a href="/">{OUTLET}</a></h1>')
    assert read_webpage(html).title == TITLE


def test_a_time_beside_another_articles_link_does_not_date_the_page():
    most_read = ('<div class="box"><h4>الأكثر قراءة</h4><ul><li><a href="/n/7">ارتفاع أسعار الخبز في الأسواق '
                 'الشعبية هذا الأسبوع</a> <time datetime="2017-01-01T10:00">2017/01/01</time></li></ul></div>')
    html = modern_page(comments_time=False).replace("<article>", most_read + "<article>")
    assert read_webpage(html).published == datetime(2018, 5, 20, 20, 54)


def test_a_byline_row_of_writer_city_date_and_counters_gives_the_date():
    row = "كتب: محمد علي حسن | القاهرة | تاريخ الإضافة: 2018-05-20 20:54:00 | عدد المشاهدات: 1250 | التعليقات: 3"
    assert read_webpage(table_page(row)).published == datetime(2018, 5, 20, 20, 54)
    long_row = ("بقلم: مراسلنا في موسكو – وكالات | نشر: الأحد 5 رمضان 1439 هـ - الموافق 20 ماي 2018 م - 8:54 م"
                " | آخر تحديث: 23:35")
    assert read_webpage(table_page(long_row)).published == datetime(2018, 5, 20, 20, 54)


def test_a_title_tag_naming_only_the_site_yields_to_the_headline():
    page = read_webpage(table_page(title_tag=OUTLET))
    assert page.title == TITLE


def test_user_outlet_file_names_pages_by_domain(tmp_path, seeds):
    names = tmp_path / "outlets.txt"
    names.write_text(f"# domain  outlet\nsanabel-news.example  {OUTLET}\n", encoding="utf-8")
    assert outlet_for("https://m.sanabel-news.example/a/1", read_outlet_names(names)) == OUTLET
    assert outlet_for("https://other.example/a/1", read_outlet_names(names)) is None
    page = tmp_path / "pages" / "a.html"
    page.parent.mkdir()
    html = modern_page().replace("<head>", '<head><link rel="canonical" href="https://www.sanabel-news.example/n/1">')
    page.write_text(html.replace(f" | {OUTLET}", "").replace(OUTLET, "Sanabel"), encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = CliRunner().invoke(main, ["ingest", str(page.parent), "--db", db, "--outlets", str(names), "--json"])
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(main, ["stories", "--json", "--db", db]).stdout
    assert f'"outlet": "{OUTLET}"' in shown


def test_a_bad_outlet_file_line_is_named(tmp_path):
    names = tmp_path / "outlets.txt"
    names.write_text("sanabel-news.example\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "m.db"),
                                       "--outlets", str(names)])
    assert result.exit_code == 1
    assert f"{names}:line 1: not a 'domain name' line" in result.output


def test_a_date_line_closing_the_article_is_read():
    html = table_page().replace(f'<tr><td><font size="1">الأحد 20 مايو 2018 08:54 م</font></td></tr>', "").replace(
        f"{P3}</font></td></tr>", f"{P3}</font></td></tr><tr><td>نشر بتاريخ 20/05/2018 الساعة 08:54 مساءً</td></tr>")
    assert read_webpage(html).published == datetime(2018, 5, 20, 20, 54)


def test_a_blog_time_in_the_post_footer_counts_before_the_comments():
    html = f"""<html><head><title>{TITLE} - {OUTLET}</title></head><body><h2 class="date-header">20 مايو 2018</h2>
<h3 class="post-title">{TITLE}</h3><div class="post-body">{P1}<br><br>{P2}<br><br>{P3}</div>
<div class="post-footer">نشرها المحرر في <abbr class="published" title="2018-05-20T20:54:00+03:00">8:54 م</abbr></div>
<div class="feedback"><h4>آراء القراء</h4><div><abbr class="published" title="2018-05-22T10:00:00+03:00">10:00</abbr>
<p>مقال رائع، شكرا للكاتب على هذا التحليل الدقيق للأحداث الجارية في البلاد.</p></div></div></body></html>"""
    page = read_webpage(html)
    assert page.published == datetime(2018, 5, 20, 20, 54, tzinfo=timezone(timedelta(hours=3)))
    assert page.body.split("\n\n") == [P1, P2, P3]


def test_a_question_headline_is_found_on_a_page_whose_title_names_only_the_site():
    question = "هل تنجح خطة دعم مزارعي القمح هذا العام؟"
    html = table_page(title_tag=OUTLET).replace(TITLE, question)
    assert read_webpage(html).title == question


def test_a_table_of_data_inside_a_table_layout_stays_a_table():
    from lxml.html import tostring
    from trafilatura.utils import load_html

    from marsad.clean.webpage import unroll_layout_tables

    results = "<table><tr><th>الفريق</th><th>النقاط</th></tr><tr><td>الوحدة</td><td>30</td></tr>" \
              "<tr><td>الشباب</td><td>28</td></tr></table>"
    tree = unroll_layout_tables(load_html(table_page().replace(f"{P2}<br><br>", f"{P2}{results}")))
    html = tostring(tree, encoding="unicode")
    assert html.count("<table") == 1 and "<td>الوحدة</td>" in html


def test_a_page_that_only_says_how_long_ago_is_dated_from_its_fetch_time():
    html = table_page("منذ 3 ساعات")
    fetched = datetime(2018, 5, 20, 23, 0, tzinfo=timezone.utc)
    page = read_webpage(html, reference=fetched)
    assert page.published == datetime(2018, 5, 20, 20, 0, tzinfo=timezone.utc)
    assert page.sources["published"] == "visible-age"
    # a file on disk: nothing to count back from; the header's "today" is the only day left
    assert read_webpage(html).published == datetime(2026, 12, 4)


def test_a_domain_in_the_title_yields_to_the_name_in_the_logo_or_copyright_line():
    page = read_webpage(table_page(title_tag=f"sanabel-news.example - {TITLE}"))
    assert page.title == TITLE and page.outlet == OUTLET
    bare = table_page(title_tag=f"sanabel-news.example - {TITLE}").replace(f'alt="شعار {OUTLET}"', 'alt=""')
    bare = bare.replace(f"جميع الحقوق محفوظة لـ {OUTLET} © 2009", "")
    assert read_webpage(bare).outlet == "sanabel-news.example"  # no name anywhere else: the domain it is


def long_paragraphs() -> list[str]:
    """Six paragraphs of three sentences: on short ones trafilatura's fallback reads the page anew."""
    sentences = [P1, P2, P3, "وأشار إلى أن الحكومة خصصت مبالغ إضافية لشراء الأسمدة وتوزيعها بأسعار مدعومة.",
                 "وكانت نقابة الفلاحين قد طالبت مرارا بزيادة سعر شراء القمح المحلي لتغطية تكاليف الإنتاج.",
                 "ويعد القمح المحصول الأول في البلاد، إذ يزرع في أكثر من نصف الأراضي الزراعية المروية."]
    return [" ".join(sentences[(i + k) % 6] for k in range(3)) for i in range(6)]


def with_body(html: str, body: str) -> str:
    """``modern_page`` with ``body`` in place of its paragraphs."""
    return html[:html.index(f"<p>{P1}</p>")] + body + html[html.index("</article>"):]


def test_paragraphs_typed_in_divs_between_p_paragraphs_are_kept():
    paragraphs = long_paragraphs()
    mixed = "".join(f"<div>{p}</div>" if i % 2 else f"<p>{p}</p>" for i, p in enumerate(paragraphs))
    html = with_body(modern_page(comments_time=False), f'<div class="article-body">{mixed}</div>')
    assert read_webpage(html).body.split("\n\n") == paragraphs


def test_a_bold_lead_above_the_body_container_is_kept():
    lead = "وقال الوزير في مؤتمر صحفي عقده صباح اليوم في مقر الوزارة إن الخطة ستطبق على ثلاث مراحل متتالية."
    paragraphs = long_paragraphs()
    body = f'<div class="lead"><strong>{lead}</strong></div><div class="text">' + \
        "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    assert read_webpage(with_body(modern_page(comments_time=False), body)).body.split("\n\n") == [lead, *paragraphs]


def test_the_headline_tag_beats_a_short_question_opening_the_body():
    question = "من يدعم مزارعي القمح؟"
    html = table_page(title_tag=OUTLET).replace(f'<font size="4"><b>{TITLE}</b></font>', f"<h2>{TITLE}</h2>")
    html = html.replace(f'<font face="Tahoma" size="3">{P1}', f'<font face="Tahoma" size="3">{question}<br><br>{P1}')
    page = read_webpage(html)
    assert page.title == TITLE and page.body.split("\n\n")[0] == question


def test_a_date_row_whose_hour_stands_in_the_next_piece_is_read_and_kept_out_of_the_body():
    row = "سيدني - د ب أ | 20 مايو/أيار 2018 | 20:54 | عدد المشاهدات: 1250 | التعليقات: 3"
    page = read_webpage(table_page(row))
    assert page.published == datetime(2018, 5, 20, 20, 54)
    assert page.body.split("\n\n") == [P1, P2, P3]


ARABIC_WORDS = st.lists(st.sampled_from(["خطة", "الوزير", "مزارعي", "القمح", "دعم", "جديدة", "في", "الجنوب",
                                         "الحكومة", "تعلن", "أسعار", "الخبز"]), min_size=3, max_size=9).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(headline=ARABIC_WORDS, section=st.sampled_from(["سياسة", "أخبار عربية", "اقتصاد", "الرياضة اليوم"]),
       separator=st.sampled_from([" | ", " - ", " :: ", " « "]), outlet_first=st.booleans())
def test_title_split_finds_the_printed_headline_between_section_and_outlet(headline, section, separator,
                                                                          outlet_first):
    assume(len(headline) > len(section))  # of the printed parts the longest is the headline
    parts = [OUTLET, section, headline] if outlet_first else [headline, section, OUTLET]
    shown = {folded_phrase(headline), folded_phrase(section)}
    assert split_title(separator.join(parts), [OUTLET], shown, None) == (headline, OUTLET)


@settings(max_examples=25, deadline=None)
@given(when=st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2030, 12, 31)).map(
           lambda d: d.replace(second=0, microsecond=0)),
       extras=st.lists(st.sampled_from(["كتب: محمد علي حسن", "القاهرة - د ب أ", "عدد المشاهدات: 1250",
                                        "التعليقات: 3", "طباعة"]), min_size=2, max_size=4, unique=True),
       at=st.integers(min_value=0, max_value=4), hour_apart=st.booleans())
def test_a_byline_row_gives_its_date_wherever_the_date_stands(when, extras, at, hour_apart):
    day = f"{when.day} {MONTHS_EG[when.month - 1]} {when.year}"
    date = f"{day} | {when.hour:02d}:{when.minute:02d}" if hour_apart else f"{day} - {when.hour:02d}:{when.minute:02d}"
    pieces = [*extras[:at], date, *extras[at:]]
    assert read_webpage(table_page(" | ".join(pieces))).published == when


def test_outlet_from_a_text_logo_when_no_image_or_copyright_line_names_it():
    html = table_page(title_tag=TITLE).replace(f'<img src="/images/logo.gif" alt="شعار {OUTLET}">',
                                               f'<div class="site-name"><a href="/">{OUTLET}</a></div>')
    html = html.replace(f"جميع الحقوق محفوظة لـ {OUTLET} © 2009", "جميع الحقوق محفوظة © 2009")
    page = read_webpage(html)
    assert page.outlet == OUTLET and page.sources["outlet"] == "logo"
    # a link home that no logo, site-name or <h1> marks is a menu's, not the outlet's name
    assert read_webpage(html.replace('class="site-name"', 'class="menu"')).outlet is None


def test_a_date_line_below_a_long_head_is_read():
    share = "".join(f'<li><a href="#">{x}</a></li>' for x in ["فيسبوك", "تويتر", "واتساب", "تلغرام", "البريد"])
    head = (f'<div class="author"><span>محمد علي</span><span>مراسل الشؤون الدولية</span></div><ul class="share">'
            f'{share}</ul><figure><img src="/x.jpg"><figcaption>صورة أرشيفية</figcaption></figure>')
    html = modern_page(comments_time=False).replace(
        '<div class="meta"><span>بقلم: سامي النجار</span> <span>20/05/2018 - 20:54</span></div>',
        head + "<div>نشر بتاريخ 20/05/2018 - 20:54</div>")
    assert read_webpage(html).published == datetime(2018, 5, 20, 20, 54)


def test_a_time_beside_the_pages_own_linked_headline_dates_the_page():
    # the headline linked to the page itself (in its <h1>, or to its canonical address) is no teaser of another
    # article: the <time> beside it is the page's own, with its hour and zone
    body = ("<p>" + "قال المتحدث باسم الحكومة إن الاجتماع سيعقد في موعده المحدد رغم الخلافات القائمة بين الأطراف. "
            * 3 + "</p>") * 4
    for head in ('<h1><a href="https://example.com/news/1">اجتماع حاسم للحكومة اليوم في العاصمة</a></h1>',
                 '<h2><a href="https://example.com/news/1/">اجتماع حاسم للحكومة اليوم في العاصمة</a></h2>'):
        html = ('<html><head><title>اجتماع حاسم</title><link rel="canonical" href="https://example.com/news/1">'
                f'</head><body><article><header>{head}<time datetime="2024-03-05T14:30:00+02:00">5 مارس</time>'
                f"</header>{body}</article></body></html>")
        published = read_webpage(html).published
        assert (published.hour, published.minute, published.utcoffset()) == (14, 30, timedelta(hours=2)), head


def _tagged_page(head: str, body_extra: str) -> str:
    return f"""<html dir="rtl"><head><title>{TITLE} - {OUTLET}</title>{head}</head><body>
<h1>{TITLE}</h1><article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>{body_extra}</body></html>"""


TAGGED_PAGES = [
    _tagged_page('<meta name="keywords" content="القمح, الزراعة, الري">', ""),
    _tagged_page('<meta property="article:tag" content="القمح"><meta property="article:tag" content="الري">'
                 '<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": "اقتصاد"}</script>', ""),
    _tagged_page("", '<div class="tags"><a href="/tag/qamh" rel="tag">القمح</a> <a href="/tags/ray">الري</a></div>'
                     '<div class="post-meta"><a href="/category/economy" rel="category tag">اقتصاد</a></div>'),
]


def test_page_tags_and_categories_are_read_into_the_article():
    want = [["القمح", "الزراعة", "الري"], ["القمح", "الري"], ["القمح", "الري", "اقتصاد"]]
    assert [read_webpage(html, "https://www.sanabel.example/news/1").tags for html in TAGGED_PAGES] == want


def test_tags_categories_address_and_date_match_trafilatura_extract_metadata():
    # TrafilaturaMeta reads them with trafilatura's own parts, each only when needed; the values
    # must be extract_metadata's
    from copy import copy

    import trafilatura
    from trafilatura.utils import load_html

    from marsad.clean.webpage import _DATE_PARAMS, TrafilaturaMeta

    dated = _tagged_page('<link rel="canonical" href="https://www.sanabel.example/2018/05/20/wheat.html">', "")
    for html in [*TAGGED_PAGES, dated, table_page()]:
        tree = load_html(html)
        for url in (None, "https://www.sanabel.example/news/2019/01/02/1"):
            want = trafilatura.extract_metadata(copy(tree), url, dict(_DATE_PARAMS))
            got = TrafilaturaMeta(tree, url)
            assert (got.tags, got.categories, got.url, got.title, got.date()) == \
                (want.tags, want.categories, want.url, want.title, want.date)
    assert TrafilaturaMeta(load_html(TAGGED_PAGES[2]), None).categories == ["اقتصاد"]
    assert TrafilaturaMeta(load_html(dated), None).date() == "2018-05-20"


def test_metadata_falls_back_to_extract_metadata_when_trafilatura_renames_its_parts(monkeypatch):
    from trafilatura.utils import load_html

    from marsad.clean import webpage

    tree = load_html(TAGGED_PAGES[2])
    want = webpage.TrafilaturaMeta(tree, None)
    monkeypatch.setattr(webpage, "_metadata_parts", lambda: None)
    got = webpage.TrafilaturaMeta(tree, None)
    assert (got.tags, got.categories, got.url, got.title, got.date()) == \
        (want.tags, want.categories, want.url, want.title, want.date())
    assert got.tags == ["القمح", "الري"] and got.categories == ["اقتصاد"]
