"""A set of Arabic news pages in many layouts and encodings, with gold, built around real article texts.

Marsad-free on purpose: it renders pages the way sites of different ages do, without knowing how
Marsad reads them. The texts, titles and dates are those of the labelled ANT windows (Chouigui, Ben
Khiroun & Elayeb, AJSE 46(8), 2021), read in place from ``../shared/data/ant-stories/*/articles.jsonl``
and written only to the folder given (a temporary one): nothing of the corpus enters the repository.
Layouts, class names, furniture, outlet names and domains are invented here; every outlet is fictional.

``build(out, shared, n, seed)`` writes ``out/pages/NNN-<layout>.html`` and ``out/gold.jsonl`` (one
object per page: file, layout, encoding, declared charset, title, outlet, published, paragraphs,
furniture) and returns the gold records; the same seed gives the same bytes.

Layouts: ``modern`` (HTML5 article, meta tags, JSON-LD), ``table`` (a 2000s portal of nested tables,
<font>/<br> text, no <p>), ``blog`` (inline-styled blog post with comments), ``amp`` (AMP page),
``print`` (print version), ``discuss`` (article with a long comment thread and related lists),
``divs`` (CMS page of nested <div>s, one per paragraph, date in the byline), ``cms`` (a news CMS:
"most read" list with other articles' dates before the article, text logo in <h1>, headline in <h2>,
one info row of writer, city, date and counters, a bold lead above the body, paragraphs typed in
<div>s among pasted <p>s, a <title> with the section or the domain).
Encodings: UTF-8 with or without <meta charset>, UTF-8 with a BOM, Windows-1256 and ISO-8859-6, each
with and without a declared charset (characters a code page lacks become numeric references, as
servers write them), and UTF-8 under a Windows-1256 <meta> (a page re-saved by a crawler or browser).
The ``cms`` layout and the last encoding were added after hand-written pages outside this generator
showed the reader failing on them (see the README): the set is not only what the reader was built on.

``python tests/pageset.py OUT [--n 144] [--seed 18]`` writes a set to OUT.
"""
from __future__ import annotations

import html
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from zoneinfo import ZoneInfo

from hijridate import Gregorian

WINDOWS = ("dev", "train-a", "train-b", "train-c")
LAYOUTS = ("modern", "table", "blog", "amp", "print", "discuss", "divs", "cms")

# ---------------------------------------------------------------- invented outlets (fictional, all of them)
OUTLETS = [
    # name, domain, the outlet's time zone, the words a page may print for it
    ("صحيفة الوادي", "alwadi-daily.com", "Asia/Riyadh", "بتوقيت مكة المكرمة"),
    ("بوابة المنارة الجديدة", "almanara-gate.net", "Africa/Cairo", "بتوقيت القاهرة"),
    ("صدى الضفتين", "sada-difatain.org", "Asia/Jerusalem", "بتوقيت القدس"),
    ("شبكة الأفق الإخبارية", "ofuq-news.net", "Asia/Baghdad", "بتوقيت بغداد"),
    ("صوت الواحات", "sawt-alwahat.com", "Africa/Tunis", "بتوقيت تونس"),
    ("المرصاد 24", "mirsad24.info", "Asia/Dubai", "بتوقيت أبوظبي"),
    ("نافذة المشرق", "nafithat-almashriq.com", "Asia/Beirut", "بتوقيت بيروت"),
    ("يوميات الساحل", "sahel-diaries.net", "Africa/Algiers", "بتوقيت الجزائر"),
    ("ميدان برس", "midanpress.com", "Africa/Cairo", "بتوقيت القاهرة"),
    ("رصيف الأخبار", "rasif-news.com", "Asia/Riyadh", "بتوقيت الرياض"),
    ("بريد الجنوب", "barid-aljanoub.net", "Asia/Aden", "بتوقيت صنعاء"),
    ("المشكاة الإخبارية", "almishkat-news.com", "Asia/Qatar", "بتوقيت الدوحة"),
    ("جريدة القنطرة", "alqantara-paper.com", "UTC", "بتوقيت غرينتش"),
    ("وكالة أنباء السهل", "sahl-agency.org", "Africa/Casablanca", "بتوقيت الرباط"),
    ("مدونة حبر الشرفة", "hibr-alshurfa.blogspot.com", "Asia/Riyadh", "بتوقيت مكة المكرمة"),
    ("الراصد العربي اليوم", "arrased-today.com", "Asia/Kuwait", "بتوقيت الكويت"),
]

WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
MONTHS = {
    "egypt": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
              "نوفمبر", "ديسمبر"],
    "levant": ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
               "تشرين الثاني", "كانون الأول"],
    "maghreb": ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
                "نوفمبر", "ديسمبر"],
    "morocco": ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر",
                "دجنبر"],
}
HIJRI_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# ---------------------------------------------------------------- furniture (invented)
MENUS = [
    ["الرئيسية", "أخبار محلية", "عربي ودولي", "اقتصاد وأعمال", "رياضة", "ثقافة وفنون", "منوعات", "اتصل بنا"],
    ["الصفحة الأولى", "سياسة", "مال وأعمال", "الملاعب", "تكنولوجيا", "صحة", "آراء ومقالات", "فيديو"],
    ["الرئيسة", "آخر الأخبار", "تقارير", "حوارات", "كاريكاتير", "ملفات خاصة", "الأرشيف"],
    ["Home", "أخبار", "العالم", "المنطقة", "علوم", "مجتمع", "من نحن", "English"],
]
TICKER = [
    "عاجل: انقطاع التيار الكهربائي عن عدة أحياء في العاصمة بسبب عطل فني",
    "عاجل: إغلاق الطريق الساحلي أمام حركة المرور لساعات بسبب الضباب الكثيف",
    "عاجل: ارتفاع أسعار الذهب في التعاملات المسائية للأسواق المحلية",
    "مصادر: اجتماع طارئ لمجلس إدارة الاتحاد المحلي لكرة السلة مساء الغد",
    "الأرصاد تحذر من موجة حر جديدة تبدأ نهاية الأسبوع",
    "وزارة التعليم تعلن مواعيد امتحانات الدور الثاني للمرحلة الثانوية",
]
SHARE = [["شارك على فيسبوك", "غرد على تويتر", "أرسل عبر واتساب", "انسخ الرابط"],
         ["مشاركة", "Facebook", "Twitter", "WhatsApp", "Telegram"],
         ["شارك هذا الخبر", "طباعة", "إرسال لصديق", "حفظ"],
         ["شارك المقال مع أصدقائك"]]
RELATED_HEAD = ["أخبار ذات صلة", "اقرأ أيضا", "مواضيع قد تهمك", "الأكثر قراءة", "المزيد من الأخبار",
                "تابع أيضاً", "ننصحك بقراءة", "موضوعات مشابهة", "قد يعجبك أيضا", "أخبار متعلقة"]
FOOTER_LINKS = [["من نحن", "اتصل بنا", "سياسة الخصوصية", "شروط الاستخدام", "أعلن معنا"],
                ["هيئة التحرير", "الإعلانات", "خريطة الموقع", "RSS"],
                ["عن الموقع", "فريق العمل", "للتواصل", "الأرشيف"]]
NEWSLETTER = ["اشترك في النشرة البريدية ليصلك كل جديد", "سجل بريدك الإلكتروني لتصلك أهم الأخبار يوميا",
              "تابعونا على شبكات التواصل الاجتماعي"]
COOKIE = ["يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، باستمرارك في التصفح فإنك توافق على ذلك",
          "نستخدم الكوكيز لتقديم أفضل تجربة على موقعنا. موافق"]
AD_LABELS = ["إعلان", "مساحة إعلانية", "- إعلان -"]
COMMENTERS = ["أبو خالد", "سمير من عمان", "ليلى م.", "مواطن غيور", "د. حسام الدين", "نور الهدى", "زائر",
              "أحمد الشامي", "فاطمة الزهراء", "ابن البلد"]
COMMENT_OPENERS = ["مقال رائع", "للأسف", "كلام منطقي", "أختلف مع الكاتب", "شكرا على التغطية", "سؤال بسيط",
                   "الله يستر", "هذا ما توقعناه"]
COMMENT_BODIES = [
    "فهذه ليست المرة الأولى التي نسمع فيها مثل هذه الوعود دون أن نرى أي تغيير على أرض الواقع",
    "ويجب على المسؤولين أن يتحملوا مسؤولياتهم أمام الناس بدلا من تبادل الاتهامات في كل مرة",
    "والمهم أن تصل الحقيقة كاملة إلى القراء دون تهويل أو تقليل من حجم ما جرى",
    "ومن يتابع الأحداث منذ سنوات يعرف أن النتيجة ستكون كما حصل في المرات السابقة",
    "ولا أفهم لماذا لا تنشر الصحف الأرقام الحقيقية حتى يحكم المواطن بنفسه على ما يحدث",
    "وأتمنى أن يكون القادم أفضل للجميع وأن يعم السلام في كل البلاد العربية",
    "والأولى أن تهتم الحكومات بالتعليم والصحة قبل أي شيء آخر لأنهما أساس كل تقدم",
]
COMMENT_HEADS = ["التعليقات", "تعليقات القراء", "آراء القراء", "أضف تعليقك", "اترك تعليقا", "شارك برأيك"]
CAPTIONS = ["صورة أرشيفية", "(أرشيف)", "صورة من مكان الحدث - أرشيفية", "من المصدر", "مصدر الصورة: وكالات"]
RIGHTS = [
    "© {year} {name}. جميع الحقوق محفوظة",
    "جميع الحقوق محفوظة لـ {name} © {year}",
    "حقوق النشر محفوظة © {name} {year}",
    "كل الحقوق محفوظة - {name} {year} ©",
    "{name} © {year} - جميع الحقوق محفوظة",
    "Copyright © {year} {name}. All rights reserved",
    "جميع الحقوق محفوظة © {year} - {name}",
]
TITLE_SEPS = [" - ", " | ", " :: ", " « ", " — ", " – ", " : ", " » "]
LOGO_ALTS = ["{name}", "شعار {name}", "{name} - الصفحة الرئيسية", "لوجو {name}"]

CLASS_POOLS = {
    "body": ["article-body", "entry-content", "post-content", "story-text", "news-details", "content-text",
             "td-post-content", "field-body", "article__content", "mainText", "nd-text", "txt"],
    "title": ["article-title", "entry-title", "post-title", "headline", "news-title", "title-main", "h-title"],
    "date": ["date", "post-date", "publish-time", "article-date", "meta-date", "time", "news-date", "dt"],
    "nav": ["main-menu", "navbar", "top-nav", "menu-primary", "site-nav", "mnu"],
    "share": ["share-bar", "social-share", "sharing", "share-buttons", "soc"],
    "related": ["related-news", "related", "more-stories", "also-read", "rel-list", "sidebar-box"],
    "comments": ["comments", "user-comments", "reader-feedback", "responses", "ta3liqat", "cmt-area"],
    "footer": ["site-footer", "footer", "bottom", "foot-area", "copyright-bar"],
}


@dataclass
class Outlet:
    name: str
    domain: str
    zone: str
    zone_words: str


@dataclass
class Page:
    rng: random.Random
    layout: str
    title: str
    paragraphs: list[str]
    outlet: Outlet
    when: datetime                       # local time of the outlet, aware
    author: str
    related: list[str]
    section: str
    url: str
    furniture: list[str] = field(default_factory=list)
    date_line: str = ""
    published: str = ""                  # gold, ISO 8601
    year: int = 2018

    def cls(self, role: str) -> str:
        return self.rng.choice(CLASS_POOLS[role])

    def furn(self, *texts: str) -> None:
        self.furniture.extend(t for t in texts if t)


def e(text: str) -> str:
    return html.escape(text, quote=False)


def a(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- dates as pages print them
def _h12(when: datetime) -> tuple[int, str, str]:
    h = when.hour % 12 or 12
    return h, ("م" if when.hour >= 12 else "ص"), ("مساءً" if when.hour >= 12 else "صباحاً")


def date_line(page: Page) -> tuple[str, str, bool]:
    """A visible date line for ``page.when``: (text, gold ISO, whether it gives the zone).

    The gold is the time the line states, at the precision it states (a day alone: YYYY-MM-DD).
    """
    r, w = page.rng, page.when
    region = r.choice(["egypt", "egypt", "levant", "maghreb", "morocco"])
    month = MONTHS[region][w.month - 1]
    wd = WEEKDAYS[w.weekday()]
    h, ap, ap_word = _h12(w)
    hm24 = f"{w.hour:02d}:{w.minute:02d}"
    hm12 = f"{h:02d}:{w.minute:02d}" if r.random() < 0.5 else f"{h}:{w.minute:02d}"
    day = f"{w.day}" if r.random() < 0.7 else f"{w.day:02d}"
    hijri = Gregorian(w.year, w.month, w.day).to_hijri()
    hijri_text = f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ"
    minute_iso = w.replace(tzinfo=None).isoformat(timespec="minutes")
    zoned_iso = w.isoformat(timespec="minutes")
    forms = [
        (f"{wd} {day} {month} {w.year} {hm12} {ap}", minute_iso, False),
        (f"{wd}، {day} {month} {w.year} - {hm24}", minute_iso, False),
        (f"نشر في: {w.day:02d}/{w.month:02d}/{w.year} - {hm24}", minute_iso, False),
        (f"نشر في {day} {month} {w.year} الساعة {hm12} {ap_word}", minute_iso, False),
        (f"آخر تحديث: {wd} {day} {month} {w.year} {hm24} {page.outlet.zone_words}", zoned_iso, True),
        (f"{wd} {hijri_text} - الموافق {day} {month} {w.year} م - {hm12} {ap}", minute_iso, False),
        (f"{hijri.day:02d}-{hijri.month:02d}-{hijri.year} هـ, {hm12} {ap_word}", minute_iso, False),
        (f"{day} {MONTHS['egypt'][w.month - 1]}/{MONTHS['levant'][w.month - 1]} {w.year} | {hm24}", minute_iso,
         False),
        (f"{w.year}/{w.month:02d}/{w.day:02d} {hm24}", minute_iso, False),
        (f"{hm12} {ap} - {wd} {day} {month} {w.year}", minute_iso, False),
        (f"تاريخ النشر: {wd} {day} {month} {w.year} - {hm24} {page.outlet.zone_words}", zoned_iso, True),
        (f"{wd} {day} {month} {w.year} - {hm24}".translate(ARABIC_DIGITS), minute_iso, False),
        (f"بتاريخ {w.day:02d}-{w.month:02d}-{w.year} | الساعة {hm24}", minute_iso, False),
        (f"{day} {month} {w.year}", w.date().isoformat(), False),
        (f"{wd} {day} {month} {w.year} - آخر تحديث: {hm24}", minute_iso, False),
    ]
    text, gold, zoned = r.choice(forms)
    if r.random() < 0.15 and not zoned and "T" in gold:  # published and updated both shown: gold is the first
        later = w + timedelta(hours=r.randint(1, 9), minutes=r.randint(0, 59))
        text = f"نشر: {text} | آخر تحديث: {later.hour:02d}:{later.minute:02d}"
    return text, gold, zoned


def meta_time(when: datetime, r: random.Random) -> str:
    """An ISO 8601 time as metadata gives it: local with offset, or UTC with Z."""
    if r.random() < 0.5:
        return when.isoformat(timespec="seconds")
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- shared pieces
def comments_block(page: Page, tag: str = "div") -> str:
    r = page.rng
    head = r.choice(COMMENT_HEADS)
    n = r.randint(2, 5)
    items = []
    page.furn(head)
    for _ in range(n):
        who = r.choice(COMMENTERS)
        text = f"{r.choice(COMMENT_OPENERS)}، {r.choice(COMMENT_BODIES)}."
        when = page.when + timedelta(hours=r.randint(1, 30), minutes=r.randint(0, 59))
        stamp = r.choice([f"{when.day:02d}/{when.month:02d}/{when.year} {when.hour:02d}:{when.minute:02d}",
                          f"منذ {r.randint(2, 9)} ساعات", f"{when.day} {MONTHS['egypt'][when.month - 1]} {when.year}"])
        page.furn(text)
        when_html = (f'<time datetime="{when.isoformat(timespec="seconds")}">{e(stamp)}</time>' if r.random() < 0.4
                     else f'<span class="when">{e(stamp)}</span>')
        items.append(f'<{tag} class="{r.choice(["comment", "cmt", "comment-item", "reply"])}">'
                     f'<span class="author">{e(who)}</span> {when_html}<p>{e(text)}</p></{tag}>')
    form = ""
    if r.random() < 0.6:
        form = ('<form class="comment-form"><textarea name="c"></textarea><input type="text" name="name">'
                '<button>إرسال التعليق</button></form>')
    return (f'<section class="{page.cls("comments")}" id="{r.choice(["comments", "respond", "c"])}">'
            f'<h3>{e(head)}</h3>{"".join(items)}{form}</section>')


def related_block(page: Page, tag: str = "aside") -> str:
    r = page.rng
    head = r.choice(RELATED_HEAD)
    titles = page.related[: r.randint(3, 6)]
    page.furn(head, *titles)
    lis = "".join(f'<li><a href="/news/{r.randint(10000, 99999)}">{e(t)}</a></li>' for t in titles)
    return f'<{tag} class="{page.cls("related")}"><h4>{e(head)}</h4><ul>{lis}</ul></{tag}>'


def nav_block(page: Page) -> str:
    r = page.rng
    items = r.choice(MENUS)
    page.furn(*[i for i in items if len(i.split()) > 1])
    lis = "".join(f'<li><a href="/{i}">{e(x)}</a></li>' for i, x in enumerate(items))
    return f'<nav class="{page.cls("nav")}"><ul>{lis}</ul></nav>'


def share_block(page: Page) -> str:
    items = page.rng.choice(SHARE)
    page.furn(*[i for i in items if len(i.split()) > 1])
    return (f'<div class="{page.cls("share")}">' + "".join(f'<a href="#" rel="nofollow">{e(i)}</a> ' for i in items)
            + "</div>")


def ticker_block(page: Page) -> str:
    items = page.rng.sample(TICKER, 3)
    page.furn(*items)
    return ('<div class="ticker breaking"><b>عاجل</b><marquee>'
            + " ◆ ".join(f'<a href="#">{e(i)}</a>' for i in items) + "</marquee></div>")


def footer_block(page: Page, rights: str) -> str:
    r = page.rng
    links = r.choice(FOOTER_LINKS)
    letter = r.choice(NEWSLETTER)
    page.furn(*[x for x in links if len(x.split()) > 1], letter, rights)
    return (f'<footer class="{page.cls("footer")}"><div class="newsletter">{e(letter)}'
            f'<input type="email" placeholder="email"></div><ul>'
            + "".join(f'<li><a href="/p/{i}">{e(x)}</a></li>' for i, x in enumerate(links))
            + f'</ul><p class="copy">{e(rights)}</p></footer>')


def rights_line(page: Page) -> str:
    return page.rng.choice(RIGHTS).format(year=page.when.year, name=page.outlet.name)


def title_tag(page: Page, outlet_in_title: bool) -> str:
    if not outlet_in_title:
        return page.title
    sep = page.rng.choice(TITLE_SEPS)
    if page.rng.random() < 0.5:
        return f"{page.title}{sep}{page.outlet.name}"
    return f"{page.outlet.name}{sep}{page.title}"


def json_ld(page: Page, with_publisher: bool, published_meta: str) -> str:
    data = {"@context": "https://schema.org", "@type": page.rng.choice(["NewsArticle", "Article", "ReportageNewsArticle"]),
            "headline": page.title, "datePublished": published_meta,
            "mainEntityOfPage": page.url}
    if with_publisher:
        data["publisher"] = {"@type": "Organization", "name": page.outlet.name,
                             "logo": {"@type": "ImageObject", "url": f"https://{page.outlet.domain}/logo.png"}}
    if page.author:
        data["author"] = {"@type": "Person", "name": page.author}
    return '<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False) + "</script>"


def script_noise(page: Page) -> str:
    return ("<script>var _gaq=_gaq||[];_gaq.push(['_setAccount','UA-" + str(page.rng.randint(100000, 999999))
            + "-1']);window.dataLayer=window.dataLayer||[];</script>"
            '<style>body{font-family:Tahoma,Arial}.x{color:#333}</style>')


def figure(page: Page) -> str:
    cap = page.rng.choice(CAPTIONS)
    page.furn(cap)
    return (f'<figure><img src="/img/{page.rng.randint(1000, 9999)}.jpg" alt="">'
            f'<figcaption>{e(cap)}</figcaption></figure>')


def inline_extra(page: Page) -> tuple[str, str]:
    """Something sites put between paragraphs: an ad label or a 'read also' link (else nothing)."""
    r = page.rng.random()
    if r < 0.25:
        label = page.rng.choice(AD_LABELS)
        return f'<div class="ad-slot"><small>{e(label)}</small><div id="div-gpt-ad-1"></div></div>', ""
    if r < 0.5 and len(page.related) > 6:
        head = page.rng.choice(["اقرأ أيضا:", "اقرأ أيضاً:", "شاهد أيضا:", "طالع أيضا:"])
        t = page.related[6]
        page.furn(t)
        return f'<div class="read-also"><strong>{e(head)}</strong> <a href="/n/{page.rng.randint(1, 9999)}">{e(t)}</a></div>', t
    return "", ""


def paragraphs_html(page: Page, wrap: str = "p") -> str:
    out = []
    at = page.rng.randint(1, max(1, len(page.paragraphs) - 1)) if len(page.paragraphs) > 2 else -1
    for i, p in enumerate(page.paragraphs):
        if i == at:
            extra, _ = inline_extra(page)
            out.append(extra)
        out.append(f"<{wrap}>{e(p)}</{wrap}>")
    return "\n".join(out)


# ---------------------------------------------------------------- layouts
def modern(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    meta = meta_time(page.when, r)
    page.published = page.when.isoformat(timespec="minutes")  # the metadata's time comes first
    outlet_title = r.random() < 0.7
    rights = rights_line(page)
    head = (f'<meta charset="{{charset}}"><title>{e(title_tag(page, outlet_title))}</title>'
            f'<meta name="viewport" content="width=device-width">'
            f'<meta property="og:title" content="{a(page.title if r.random() < 0.7 else title_tag(page, True))}">'
            + (f'<meta property="og:site_name" content="{a(page.outlet.name)}">' if r.random() < 0.6 else "")
            + f'<meta property="og:url" content="{a(page.url)}">'
            + (f'<meta property="article:published_time" content="{meta}">' if r.random() < 0.6 else "")
            + json_ld(page, r.random() < 0.6, meta) + script_noise(page))
    time_el = (f'<time datetime="{meta}" class="{page.cls("date")}">{e(text)}</time>' if r.random() < 0.7
               else f'<span class="{page.cls("date")}">{e(text)}</span>')
    byline = f'<span class="author">{e(page.author)}</span>' if page.author else ""
    crumbs = f'<div class="breadcrumb"><a href="/">الرئيسية</a> › <a href="/s">{e(page.section)}</a></div>'
    header = (f'<header class="site-header"><a href="/"><img src="/logo.svg" '
              f'alt="{a(r.choice(LOGO_ALTS).format(name=page.outlet.name))}"></a>{nav_block(page)}</header>')
    article = (f'<article class="{r.choice(["article", "post", "news-item", "story"])}">{crumbs}'
               f'<h1 class="{page.cls("title")}">{e(page.title)}</h1>'
               f'<div class="meta">{byline} {time_el}</div>{share_block(page)}'
               + (figure(page) if r.random() < 0.5 else "")
               + f'<div class="{page.cls("body")}">{paragraphs_html(page)}</div>'
               + (f'<div class="tags">الوسوم: <a href="#">{e(page.section)}</a></div>' if r.random() < 0.5 else "")
               + "</article>")
    body = (ticker_block(page) if r.random() < 0.5 else "") + header + "<main>" + article + related_block(page) + \
        "</main>" + footer_block(page, rights)
    return f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}</head><body>{body}</body></html>'


def table(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    page.published = gold
    rights = rights_line(page)
    outlet_title = r.random() < 0.8
    font = r.choice(["Tahoma", "Simplified Arabic", "Arial", "Traditional Arabic"])
    sep = r.choice(["<br><br>", "<br>\n<br>", "<br /><br />", "<BR><BR>"])
    body_text = sep.join(e(p) for p in page.paragraphs)
    menu = r.choice(MENUS)
    page.furn(*[m for m in menu if len(m.split()) > 1])
    menu_rows = "".join(f'<tr><td bgcolor="#EEEEEE"><a href="/sec{i}.asp"><font size="2">{e(m)}</font></a></td></tr>'
                        for i, m in enumerate(menu))
    related = page.related[: r.randint(3, 5)]
    rel_head = r.choice(RELATED_HEAD)
    page.furn(rel_head, *related)
    rel_rows = "".join(f'<tr><td><img src="/images/arrow.gif"> <a href="/news.asp?id={r.randint(1000, 99999)}">'
                       f'<font size="2">{e(t)}</font></a></td></tr>' for t in related)
    ticker = r.sample(TICKER, 2)
    page.furn(*ticker)
    logo_alt = r.choice(LOGO_ALTS).format(name=page.outlet.name)
    crawled = page.when + timedelta(days=r.randint(200, 3000))  # portals print today's date in the header
    today = f"{WEEKDAYS[crawled.weekday()]} {crawled.day} {MONTHS['egypt'][crawled.month - 1]} {crawled.year}"
    date_cell = f'<font size="1" color="#666666">{e(text)}</font>'
    title_cell = f'<font size="4" color="#990000"><b>{e(page.title)}</b></font>'
    top = r.random() < 0.6  # date above the title, else below it
    pieces = [date_cell, title_cell] if top else [title_cell, date_cell]
    author = f'<tr><td><font size="2"><b>{e(page.author)}</b></font></td></tr>' if page.author and r.random() < 0.5 else ""
    hits = f"عدد القراءات: {r.randint(100, 9000)}"
    bottom = (f'<tr><td><a href="print.asp">طباعة</a> | <a href="send.asp">أرسل لصديق</a> | '
              f'<font size="1">{hits}</font></td></tr>')
    page.furn("أرسل لصديق")
    html_text = f"""<html dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={{charset}}">
<title>{e(title_tag(page, outlet_title))}</title>
<script language="JavaScript">function openWin(u){{window.open(u,'x','width=500');}}</script>
</head>
<body bgcolor="#FFFFFF" topmargin="0" leftmargin="0">
<table width="780" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td><img src="/images/logo.gif" width="300" height="80" alt="{a(logo_alt)}"></td><td align="left"><font size="1">{e(today)}</font></td></tr>
<tr><td colspan="2" bgcolor="#003366"><marquee direction="right" scrollamount="3"><font color="#FFFFFF" size="2">{e(ticker[0])} &nbsp;*&nbsp; {e(ticker[1])}</font></marquee></td></tr>
<tr>
<td width="160" valign="top"><table width="100%" border="0" cellspacing="1">{menu_rows}</table></td>
<td width="620" valign="top">
<table width="100%" border="0" cellpadding="5">
<tr><td>{pieces[0]}</td></tr>
<tr><td>{pieces[1]}</td></tr>
{author}
<tr><td><font face="{font}" size="3">{body_text}</font></td></tr>
{bottom}
<tr><td><br><font size="3" color="#003366"><b>{e(rel_head)}</b></font><table>{rel_rows}</table></td></tr>
</table>
</td></tr>
<tr><td colspan="2" align="center" bgcolor="#EEEEEE"><font size="1">{e(rights)}</font></td></tr>
</table>
</body>
</html>"""
    page.furn(rights)
    return html_text


def blog(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    rights = rights_line(page) if r.random() < 0.5 else ""
    abbr = r.random() < 0.4
    meta = page.when.isoformat(timespec="seconds")
    page.published = page.when.isoformat(timespec="minutes") if abbr else gold
    if abbr:
        stamp = (f'<abbr class="published" itemprop="datePublished" title="{meta}">'
                 f'{page.when.hour % 12 or 12}:{page.when.minute:02d} {_h12(page.when)[1]}</abbr>')
    else:
        stamp = ""
    paras = "".join(f'<span style="font-size: large;">{e(p)}</span><br /><br />' if r.random() < 0.7
                    else f'<div style="text-align: justify;">{e(p)}</div><br />' for p in page.paragraphs)
    sidebar_head = r.choice(["أرشيف المدونة", "المشاركات الشائعة", "التسميات"])
    side_items = page.related[:4]
    page.furn(sidebar_head, *side_items)
    labels = "التسميات: " + page.section
    post = (f'<div class="post hentry" style="margin:10px;padding:8px;border:1px solid #ddd">'
            f'<h2 class="date-header" style="color:#888"><span>{e(text)}</span></h2>'
            f'<h3 class="post-title entry-title" style="font-size:22px">{e(page.title)}</h3>'
            f'<div class="post-body entry-content" style="line-height:1.8;font-family:Tahoma">{paras}</div>'
            f'<div class="post-footer" style="font-size:11px">نشرها {e(page.author or "المحرر")} في {stamp} '
            f'<span class="post-labels">{e(labels)}</span></div></div>')
    side = (f'<div class="sidebar" style="float:left;width:250px"><h2>{e(sidebar_head)}</h2><ul>'
            + "".join(f'<li><a href="/p/{i}.html">{e(t)}</a></li>' for i, t in enumerate(side_items)) + "</ul></div>")
    header = (f'<div class="header" style="background:#234"><h1 class="title" style="color:#fff">'
              f'<a href="/">{e(page.outlet.name)}</a></h1>'
              f'<p class="description">{e(r.choice(["مدونة شخصية عن الشأن العام", "خواطر وأخبار من هنا وهناك"]))}</p></div>')
    page.furn("مدونة شخصية عن الشأن العام", "خواطر وأخبار من هنا وهناك")
    foot = (f'<div class="footer" style="clear:both;font-size:10px">{e(rights)}'
            f' المظهر: بسيط. يتم التشغيل بواسطة Blogger.</div>')
    page.furn(rights, "يتم التشغيل بواسطة")
    head = (f'<meta http-equiv="Content-Type" content="text/html; charset={{charset}}">'
            f'<title>{e(title_tag(page, True))}</title>')
    return (f'<html dir="rtl"><head>{head}</head><body style="background:#f5f5f5">{header}'
            f'<div class="main-wrapper" style="float:right;width:600px">{post}{comments_block(page)}</div>'
            f'{side}{foot}</body></html>')


def amp(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    meta = meta_time(page.when, r)
    page.published = page.when.isoformat(timespec="minutes")
    rights = rights_line(page)
    head = (f'<meta charset="utf-8"><script async src="https://cdn.ampproject.org/v0.js"></script>'
            f'<title>{e(title_tag(page, r.random() < 0.6))}</title>'
            f'<link rel="canonical" href="{a(page.url)}">'
            f'<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">'
            + (f'<meta property="og:site_name" content="{a(page.outlet.name)}">' if r.random() < 0.5 else "")
            + json_ld(page, True, meta)
            + '<style amp-custom>body{direction:rtl}.c{padding:8px}</style>'
            '<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>')
    menu = r.choice(MENUS)
    page.furn(*[m for m in menu if len(m.split()) > 1])
    sidebar = ('<amp-sidebar id="sidebar" layout="nodisplay" side="right"><ul>'
               + "".join(f'<li><a href="/{i}">{e(m)}</a></li>' for i, m in enumerate(menu)) + "</ul></amp-sidebar>")
    shares = '<div class="share">' + "".join(
        f'<amp-social-share type="{t}" width="40" height="40"></amp-social-share>'
        for t in ("facebook", "twitter", "whatsapp")) + "</div>"
    logo_alt = r.choice(LOGO_ALTS).format(name=page.outlet.name)
    paras = paragraphs_html(page)
    body = (f'{sidebar}<header class="amp-header"><button on="tap:sidebar.toggle">☰</button>'
            f'<amp-img src="/logo.png" width="120" height="40" alt="{a(logo_alt)}"></amp-img></header>'
            f'<article class="c"><h1>{e(page.title)}</h1>'
            f'<div class="{page.cls("date")}"><time datetime="{meta}">{e(text)}</time></div>'
            f'<amp-img src="/i/{r.randint(1, 999)}.jpg" width="600" height="400" layout="responsive"></amp-img>'
            f'{shares}<div class="{page.cls("body")}">{paras}</div></article>'
            + related_block(page, "section") + footer_block(page, rights))
    return f'<!doctype html><html ⚡ lang="ar" dir="rtl"><head>{head}</head><body>{body}</body></html>'


def print_version(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    page.published = gold
    rights = rights_line(page)
    link_label = r.choice(["رابط المقال:", "رابط الخبر:", "الرابط المختصر:", "عنوان الصفحة:",
                           f"طبعت هذه المادة من موقع {page.outlet.name}:"])
    close = r.choice(["إغلاق النافذة", "اطبع هذه الصفحة", "طباعة | إغلاق"])
    page.furn(close, f"{link_label} {page.url}", rights)
    where = r.choice(["top", "below", "end"])  # the date line: above the title, below it, after the text
    outlet_line = (f'<div class="logo"><img src="/images/print-logo.png" alt="{a(page.outlet.name)}"></div>'
                   if r.random() < 0.5 else f'<div class="site-name"><b>{e(page.outlet.name)}</b></div>')
    wrap = r.choice(["p", "div"])
    date_html = f'<div class="{page.cls("date")}">{e(text)}</div>'
    author = f'<div class="author">{e(page.author)}</div>' if page.author and r.random() < 0.6 else ""
    body = (f'<div class="print-tools"><a href="javascript:window.print()">{e(close)}</a></div>{outlet_line}'
            + (date_html if where == "top" else "") + f'<h2>{e(page.title)}</h2>{author}'
            + (date_html if where == "below" else "")
            + f'<div class="print-body">{paragraphs_html(page, wrap)}</div>'
            + (date_html if where == "end" else "")
            + f'<hr><div class="url">{e(link_label)} {e(page.url)}</div><div class="copy">{e(rights)}</div>')
    kind = r.choice(["", "", " - نسخة للطباعة", " | طباعة"])
    head = (f'<meta http-equiv="Content-Type" content="text/html; charset={{charset}}">'
            f'<title>{e(title_tag(page, r.random() < 0.7) + kind)}</title><meta name="robots" content="noindex">')
    return (f'<html dir="rtl"><head>{head}</head><body onload="window.print()" '
            f'style="font-family:Arial;width:650px">{body}</body></html>')


def discuss(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    page.published = gold
    rights = rights_line(page)
    most_head = r.choice(["الأكثر قراءة", "الأكثر تعليقا", "الأكثر مشاهدة"])
    most = page.related[3:8]
    page.furn(most_head, *most)
    most_html = (f'<div class="{page.cls("related")} popular"><h3>{e(most_head)}</h3><ol>'
                 + "".join(f'<li><a href="/a/{i}">{e(t)}</a></li>' for i, t in enumerate(most)) + "</ol></div>")
    head = (f'<meta charset="{{charset}}"><title>{e(title_tag(page, True))}</title>'
            + (f'<meta property="og:site_name" content="{a(page.outlet.name)}">' if r.random() < 0.3 else ""))
    date_html = f'<p class="{page.cls("date")}">{e(text)}</p>'
    byline = f'<p class="byline">{e(page.author)}</p>' if page.author else ""
    body = (nav_block(page) + f'<div id="content"><div class="{r.choice(["article", "news", "entry"])}">'
            f'<h1>{e(page.title)}</h1>{byline}{date_html}'
            f'<div class="{page.cls("body")}">{paragraphs_html(page)}</div>{share_block(page)}</div>'
            + related_block(page, "div") + comments_block(page, r.choice(["div", "li"])) + most_html
            + f'</div><div class="{page.cls("footer")}">{e(rights)}</div>')
    page.furn(rights)
    return f'<!DOCTYPE html><html dir="rtl" lang="ar"><head>{head}</head><body>{body}</body></html>'


def divs(page: Page) -> str:
    r = page.rng
    text, gold, _ = date_line(page)
    page.published = gold
    rights = rights_line(page)
    k = "".join(r.choice("abcdefghkmnpqrstuvwxyz") for _ in range(4))  # generated class names, as CMS themes do
    writer = page.author or r.choice(["المحرر", "قسم الأخبار", "فريق التحرير"])
    byline = r.choice([f"بقلم: {writer} | {text}", f"{writer} - {text}", f"{text} — كتب: {writer}"])
    paras = "\n".join(f'<div class="{k}-p">{e(p)}</div>' for p in page.paragraphs)
    subtitle = ""
    if r.random() < 0.3 and page.paragraphs:
        subtitle = f'<div class="{k}-kicker">{e(page.section)}</div>'
    outlet_title = r.random() < 0.8
    shown_title = title_tag(page, outlet_title) if r.random() < 0.85 else page.outlet.name  # a site-wide <title>
    head = (f'<meta http-equiv="content-type" content="text/html; charset={{charset}}">'
            f'<title>{e(shown_title)}</title>'
            + (f'<meta name="description" content="{a(page.paragraphs[0][:150])}">' if page.paragraphs else ""))
    logo_alt = r.choice(LOGO_ALTS).format(name=page.outlet.name)
    body = (f'<div class="{k}-top"><div class="{k}-logo"><a href="/"><img src="/l.png" alt="{a(logo_alt)}"></a></div>'
            + nav_block(page) + f'</div><div class="{k}-cookie">{e(r.choice(COOKIE))}</div>'
            + f'<div class="{k}-wrap"><div class="{k}-main">{subtitle}<div class="{k}-h">{e(page.title)}</div>'
            f'<div class="{k}-by">{e(byline)}</div>{share_block(page)}<div class="{k}-txt">{paras}</div></div>'
            f'<div class="{k}-side">{related_block(page, "div")}</div></div>'
            f'<div class="{k}-foot">{e(rights)}</div>')
    page.furn(rights)
    page.furniture.extend([])
    return f'<html><head>{head}</head><body dir="rtl">{body}</body></html>'



def cms(page: Page) -> str:
    """A news CMS of the 2010s as many Arab papers run it: the sidebar ("most read", with other
    articles' dates) before the article in the source, a text logo in <h1> and the headline in an
    <h2>, one info row (writer | city | date | counters), a lead in bold above the body, a body
    whose editors typed some paragraphs in <div>s and pasted others in <p>s, hashtags as links."""
    r = page.rng
    text, gold, _ = date_line(page)
    page.published = gold
    rights = rights_line(page)
    section = page.section
    shown_title = r.choice([f"{page.title} | {section} | {page.outlet.name}",
                            f"{page.outlet.name} - {section} - {page.title}",
                            f"{page.outlet.domain} - {page.title}",
                            f"{page.title} - {page.outlet.name}",
                            page.outlet.name])
    head = (f'<meta http-equiv="Content-Type" content="text/html; charset={{charset}}">'
            f'<title>{e(shown_title)}</title>' + script_noise(page))
    if r.random() < 0.5:
        logo = f'<h1 class="logo"><a href="/">{e(page.outlet.name)}</a></h1>'
    else:
        logo = (f'<div class="logo"><a href="/"><img src="/themes/site/logo.png" '
                f'alt="{a(r.choice(LOGO_ALTS).format(name=page.outlet.name))}"></a></div>')
    most_head = r.choice(["الأكثر قراءة", "الأكثر مشاهدة", "آخر الأخبار"])
    most = page.related[:r.randint(3, 5)]
    page.furn(most_head, *most)
    items = []
    for t in most:
        other = page.when - timedelta(days=r.randint(1, 400), minutes=r.randint(0, 600))
        stamp = f"{other.day:02d}/{other.month:02d}/{other.year}"
        when_html = (f'<time datetime="{other.isoformat(timespec="seconds")}">{stamp}</time>' if r.random() < 0.6
                     else f'<span class="dt">{stamp}</span>')
        items.append(f'<li><a href="/news/{r.randint(1000, 99999)}">{e(t)}</a> {when_html}</li>')
    side = f'<div class="{page.cls("related")}"><h3>{e(most_head)}</h3><ul>{"".join(items)}</ul></div>'
    writer = page.author or r.choice(["المحرر", "قسم الأخبار", "فريق التحرير"])
    city = r.choice(["القاهرة", "عمان", "بيروت", "الرياض", "تونس", "الرباط", "بغداد", "وكالات"])
    views = f"عدد المشاهدات: {r.randint(50, 90000)}"
    row = r.choice([f"كتب: {writer} | {city} | {text} | {views}",
                    f"{writer} | {text} | {views} | التعليقات: {r.randint(0, 40)}",
                    f"{city} - {writer} | تاريخ الإضافة: {text}"])
    page.furn(views)
    paras = list(page.paragraphs)
    lead = ""
    if len(paras) > 3 and r.random() < 0.4:  # the first paragraph set apart as a bold lead
        lead = f'<div class="lead"><strong>{e(paras.pop(0))}</strong></div>'

    def linked(p: str) -> str:  # hashtags as tag links, as the ANT outlets print them
        return re.sub(r"#(\w+)", lambda m: f'<a href="/tag/{m.group(1)}">#{m.group(1)}</a>', e(p))

    body = "".join((f"<div>{linked(p)}</div>" if r.random() < 0.4 else f"<p>{linked(p)}</p>")
                   + ("<p>&nbsp;</p>" if r.random() < 0.2 else "") for p in paras)
    share = share_block(page)
    article = (f'<div class="{page.cls("title")}"><h2>{e(page.title)}</h2></div>'
               f'<div class="info">{e(row)}</div>{share}{lead}'
               f'<div class="{page.cls("body")}">{body}</div>')
    return (f'<!DOCTYPE html><html dir="rtl"><head>{head}</head><body><div id="header">{logo}{nav_block(page)}'
            f'</div><div id="right">{side}</div><div id="main">{article}</div>'
            f'<div id="footer">{e(rights)}</div></body></html>')

RENDER = {"modern": modern, "table": table, "blog": blog, "amp": amp, "print": print_version,
          "discuss": discuss, "divs": divs, "cms": cms}

# encodings: (codec, declared label or None, BOM)
ENCODINGS = [("utf-8", "utf-8", False), ("utf-8", None, False), ("utf-8", None, True),
             ("cp1256", "windows-1256", False), ("cp1256", None, False),
             ("iso8859_6", "iso-8859-6", False), ("iso8859_6", None, False),
             ("utf-8", "windows-1256", False)]  # re-saved as UTF-8 by a crawler or browser, old <meta> kept


def _encode(text: str, codec: str, declared: str | None, bom: bool) -> bytes:
    if declared:
        text = text.replace("{charset}", declared)
    else:  # no charset named anywhere in the page
        text = re.sub(r'<meta charset="\{charset\}">', "", text)
        text = re.sub(r'<meta http-equiv="[Cc]ontent-[Tt]ype" content="text/html; charset=\{charset\}">', "", text)
    data = text.encode(codec, errors="xmlcharrefreplace")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _paragraphs(text: str) -> list[str]:
    """The article's paragraphs: its lines with at least one letter (rules of dashes are no paragraph)."""
    return [ln.strip() for ln in text.split("\n") if ln.strip() and re.search(r"[^\W\d_]", ln)]


def load_articles(shared: Path) -> list[dict]:
    rows = []
    for window in WINDOWS:
        with open(shared / "data" / "ant-stories" / window / "articles.jsonl", encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def build(out: Path, shared: Path, n: int = 144, seed: int = 18) -> list[dict]:
    """Write ``n`` pages and their gold under ``out``; the same seed gives the same files."""
    rng = random.Random(seed)
    articles = [r for r in load_articles(shared) if r.get("title") and _paragraphs(r.get("text") or "")
                and len(r["text"]) >= 300]
    rng.shuffle(articles)
    titles = [r["title"].strip() for r in articles]
    (out / "pages").mkdir(parents=True, exist_ok=True)
    gold: list[dict] = []
    for i in range(n):
        art = articles[i]
        layout = LAYOUTS[i % len(LAYOUTS)]
        codec, declared, bom = ENCODINGS[rng.randrange(len(ENCODINGS))]
        if layout == "amp":  # AMP pages are UTF-8 by the standard
            codec, declared, bom = "utf-8", "utf-8", False
        if layout == "table" and rng.random() < 0.6:  # the old portals: mostly Windows-1256
            codec, declared, bom = ("cp1256", "windows-1256", False) if rng.random() < 0.5 else ("cp1256", None, False)
        o = Outlet(*rng.choice(OUTLETS))
        instant = datetime.fromisoformat(art["date"])
        when = instant.astimezone(ZoneInfo(o.zone))
        slug = rng.randint(100000, 999999)
        others = [t for t in rng.sample(titles, 12) if t != art["title"].strip()]
        page = Page(rng=rng, layout=layout, title=art["title"].strip(), paragraphs=_paragraphs(art["text"]),
                    outlet=o, when=when, author=(art.get("author") or "").strip() if rng.random() < 0.7 else "",
                    related=others, section=rng.choice(["سياسة", "اقتصاد", "رياضة", "منوعات", "العالم"]),
                    url=f"https://www.{o.domain}/{rng.choice(['news', 'article', 'ar/story', 'details'])}/{slug}")
        text = RENDER[layout](page)
        data = _encode(text, codec, declared, bom)
        name = f"{i:03d}-{layout}.html"
        (out / "pages" / name).write_bytes(data)
        body = "\n".join(page.paragraphs)
        furniture = sorted({f for f in page.furniture if f and f not in body and f not in page.title})
        gold.append({"file": f"pages/{name}", "layout": layout, "encoding": codec, "declared": declared,
                     "bom": bom, "title": page.title, "outlet": o.name, "domain": o.domain,
                     "published": page.published, "paragraphs": page.paragraphs, "furniture": furniture,
                     "article": art["id"]})
    with open(out / "gold.jsonl", "w", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    return gold


# ---------------------------------------------------------------- scoring
def squash(text: str | None) -> str:
    """Text compared as readers see it: NFC, no invisible format characters (bidi marks, ZWNJ),
    whitespace runs as one space."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def same_time(gold: str, got: datetime | str | None) -> bool:
    """``got`` states the gold time: the same minute (the same instant when both carry an offset);
    for a gold day alone, the same day."""
    if got is None:
        return False
    got_dt = got if isinstance(got, datetime) else _iso(got)
    if got_dt is None:
        return False
    if "T" not in gold:
        return got_dt.date().isoformat() == gold
    want = datetime.fromisoformat(gold)
    if isinstance(got, str) and "T" not in got and ":" not in got:
        return False  # a day where the page states a time
    if want.tzinfo and got_dt.tzinfo:
        return abs((want - got_dt).total_seconds()) < 60
    return want.replace(tzinfo=None, second=0) == got_dt.replace(tzinfo=None, second=0, microsecond=0)


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass
class Reading:
    """What one reader made of one page: body text (None: the page was not read), fields."""

    body: str | None
    title: str | None = None
    outlet: str | None = None
    published: datetime | str | None = None


@dataclass
class PageScore:
    file: str
    layout: str
    read: bool
    paragraphs: int
    found: int
    furniture: int
    left: list[str]
    title: bool
    outlet: bool
    published: bool
    missed: list[str]


def score_page(gold: dict, reading: Reading) -> PageScore:
    body = squash(reading.body)
    missed = [p for p in gold["paragraphs"] if squash(p) not in body]
    left = [f for f in gold["furniture"] if squash(f) in body]
    return PageScore(gold["file"], gold["layout"], reading.body is not None, len(gold["paragraphs"]),
                     len(gold["paragraphs"]) - len(missed), len(gold["furniture"]), left,
                     squash(reading.title) == squash(gold["title"]), squash(reading.outlet) == squash(gold["outlet"]),
                     same_time(gold["published"], reading.published), missed)


def summary(scores: list[PageScore]) -> dict[str, float]:
    """Totals over pages: pages read, paragraphs found, furniture left, fields right (shares 0–1)."""
    n = len(scores) or 1
    paragraphs = sum(s.paragraphs for s in scores) or 1
    furniture = sum(s.furniture for s in scores) or 1
    return {"pages": len(scores), "read": sum(s.read for s in scores) / n,
            "paragraphs_found": sum(s.found for s in scores) / paragraphs,
            "furniture_left": sum(len(s.left) for s in scores) / furniture,
            "title": sum(s.title for s in scores) / n, "outlet": sum(s.outlet for s in scores) / n,
            "published": sum(s.published for s in scores) / n}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=144)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    args = ap.parse_args()
    pages = build(args.out, args.shared, args.n, args.seed)
    print(f"{len(pages)} pages in {args.out}", file=sys.stderr)
