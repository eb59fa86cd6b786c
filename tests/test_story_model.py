"""The learned "same happening?" model: its features, its training, leave-one-window-out, bounded stories.

Data: the labelled windows of ant-stories (ANT corpus: Chouigui, Ben Khiroun, Elayeb, AJSE 46(8),
2021), read in place; the small windows below are their first articles, written to a temporary folder.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import marsad
from marsad.article import Article
from marsad.cli import main
from marsad.errors import InputError
from marsad.settings import StorySettings
from marsad.stories.features import FEATURES, add_ranks, profile
from marsad.stories.model import StoryModel, load_model
from marsad.stories.train import fit_windows


def _small_window(shared: Path, name: str, n: int, folder: Path) -> Path:
    """The first ``n`` articles of a labelled window and their labels, as a window of its own."""
    src = shared / "data" / "ant-stories" / name
    lines = (src / "articles.jsonl").read_text(encoding="utf-8").split("\n")[:n]
    ids = {json.loads(line)["id"] for line in lines}
    out = folder / name
    out.mkdir()
    (out / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    labels = [line for line in (src / "labels.jsonl").read_text(encoding="utf-8").splitlines()
              if json.loads(line)["id"] in ids]
    (out / "labels.jsonl").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return out


def test_the_shipped_model_reads_every_feature_marsad_computes():
    model = load_model()
    assert model.features == FEATURES
    assert 0 < model.threshold < 1
    assert set(model.trained_on["windows"]) == {"dev", "train-a", "train-b", "train-c"}
    # more shared words with the story's centroid make a join more likely, everything else equal
    row = {name: 0.0 for name in FEATURES}
    assert model.probability(dict(row, cos_centroid=0.6)) > model.probability(dict(row, cos_centroid=0.1))


def test_training_twice_on_the_same_windows_gives_the_same_model(shared, tmp_path):
    window = _small_window(shared, "dev", 120, tmp_path)
    first = fit_windows([window], 0.4)
    second = fit_windows([window], 0.4)
    assert first.to_json() == second.to_json()
    assert first.trained_on["positives"] > 0 and any(first.coef)
    assert StoryModel.from_json(first.to_json()).coef == first.coef


def test_cross_windows_scores_each_window_with_a_model_trained_on_the_others(shared, tmp_path):
    windows = [str(_small_window(shared, name, 90, tmp_path)) for name in ("dev", "train-a")]
    result = CliRunner().invoke(main, ["eval", "stories", "--cross-windows", *windows, "--thresholds", "0.4,0.5",
                                       "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["best"] in (0.4, 0.5)
    for t in ("0.4", "0.5"):
        assert set(table["thresholds"][t]) == {"dev", "train-a"}
        for scored in table["thresholds"][t].values():
            assert 0 < scored["stories"]["bcubed"]["f1"] <= 1 and 0 <= scored["threads"]["bcubed"]["f1"] <= 1


def test_cross_windows_needs_two_labelled_windows(shared, tmp_path):
    result = CliRunner().invoke(main, ["eval", "stories", "--cross-windows", str(shared / "seeds")])
    assert result.exit_code == 1
    assert "not a labelled window (articles.jsonl and labels.jsonl expected)" in result.output


def test_a_story_fed_for_days_never_spans_more_than_max_span_hours(tmp_path):
    # the same report of a siege every 8 hours for 10 days: one happening goes on, but a story is one
    # occasion, so the reports make several stories, none longer than max_span_hours
    settings = StorySettings()
    store = marsad.open_store(str(tmp_path / "span.db"))
    start = datetime(2018, 5, 1, 6, 0)
    lead = "تواصل القوات حصار مدينة الحديدة الساحلية غرب اليمن وسط قصف متبادل ونزوح آلاف العائلات."
    details = ["وقال مسؤول محلي إن المستشفى استقبل {a} جريحا و{b} قتيلا خلال الليل.",
               "وأعلنت منظمات الإغاثة تعليق توزيع {a} طن من الغذاء في {b} حيا بسبب الاشتباكات.",
               "وأفاد سكان بانقطاع الكهرباء عن {a} حيا والمياه عن {b} ألف منزل منذ أيام.",
               "ودعا المبعوث الأممي إلى فتح {a} ممرات آمنة لنحو {b} ألف مدني."]
    articles = [Article(id=f"a{k}", path="siege", title=f"حصار الحديدة يتواصل وسط نزوح آلاف العائلات ({k})",
                        body=" ".join([lead] + [d.format(a=3 * k + j + 7, b=5 * k + j + 11) for j, d in enumerate(details)]),
                        outlet=("A", "B", "C")[k % 3], published=start + timedelta(hours=8 * k))
                for k in range(30)]
    from marsad.pipeline import ArticleSink

    ArticleSink(store, settings).ingest(articles)
    rows = store.iter_articles()
    assert not any(row["duplicate_of"] for row in rows)  # reports, not copies of one another
    spans: dict[str, list[datetime]] = {}
    for row in rows:
        spans.setdefault(row["story_id"], []).append(datetime.fromisoformat(row["published"]))
    store.close()
    assert len(spans) > 1
    assert max(max(ts) - min(ts) for ts in spans.values()) <= timedelta(hours=settings.max_span_hours)
    assert max(len(ts) for ts in spans.values()) > 3  # the reports are grouped, not left alone


@pytest.mark.parametrize("text, reason", [("{not json", "not a story model"),
                                          ('{"threshold": 0.4, "intercept": 0, "weights": {"cos_centroid": '
                                           '{"coef": 1, "mean": 0, "scale": 1}}}', "trained on other features")])
def test_a_broken_model_file_is_a_clear_error(tmp_path, text, reason):
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(str(path))
    assert reason in str(caught.value) and str(path) in str(caught.value)
    assert "train_story_model.py" in caught.value.hint


def test_the_headline_profile_reads_speaker_kind_and_numbers():
    said = profile("ماتيس: الهجوم على سوريا \"ضربة واحدة فقط\"", "قال وزير الدفاع إن 105 صواريخ أطلقت")
    assert said.speaker == "ماتيس" and not said.feature_piece and said.numbers == {"105"}
    assert profile("لماذا يلتحق الأجانب بصفوف المقاتلين الأكراد في سوريا؟", "").feature_piece
    assert profile("بالفيديو.. لحظة سقوط الصواريخ", "").feature_piece
    assert profile("صور: مصافحات غيرت وجه التاريخ", "").feature_piece
    # a long text before the colon is a topic tag, not a speaker
    assert profile("الضربة العسكرية على سوريا الليلة الماضية: الجيش الروسي يؤكد", "").speaker is None


def test_candidates_are_ranked_against_each_other():
    rows = [{"cos_centroid": c} for c in (0.2, 0.5, 0.3)]
    add_ranks(rows)
    assert [r["rank"] for r in rows] == [2.0, 0.0, 1.0]
    assert rows[1]["margin"] == pytest.approx(0.2) and rows[0]["margin"] == pytest.approx(-0.3)


def test_the_cosine_scorer_is_still_there_to_compare_against(seeds, tmp_path):
    store = marsad.open_store(str(tmp_path / "cos.db"))
    marsad.run([str(seeds)], store, story_settings=replace(StorySettings(), scorer="cosine"))
    assert len(store.list_stories()) == 1
    store.close()


def test_an_unknown_scorer_is_an_error_not_the_cosine_clusterer(tmp_path):
    from marsad.errors import MarsadError
    from marsad.settings import StorySettings
    from marsad.stories.assign import StoryIndex

    store = marsad.open_store(str(tmp_path / "s.db"))
    try:
        with pytest.raises(MarsadError, match="unknown story scorer 'cosin'"):
            StoryIndex(store, StorySettings(scorer="cosin"))
    finally:
        store.close()


def test_a_story_whose_members_are_not_in_memory_is_not_compared_with_the_article_itself():
    # a story read back from the store has no member profiles: the title and number features say "unknown",
    # not the perfect match of the article with itself
    from marsad.stories.features import Candidate, pair_features, profile

    prof = profile("مقتل 12 شخصا في انفجار ببغداد", "قتل 12 شخصا وأصيب 30 آخرون في انفجار سيارة مفخخة في بغداد.")
    assert prof.numbers and prof.title_terms
    vec = {"بغداد": 1.0}
    read_back = Candidate(centroid=vec, first_ts=0.0, last_ts=0.0, member_vecs=[], member_profiles=[],
                          member_agents=[], titles_terms=frozenset())
    got = pair_features(vec, 3600.0, prof, (), read_back)
    assert (got["numbers_jaccard"], got["title_best"], got["feature_share"]) == (-1.0, 0.0, 0.0)
    with_itself = replace(read_back, member_profiles=[prof])
    assert pair_features(vec, 3600.0, prof, (), with_itself)["title_best"] == 1.0  # what it was compared with before
