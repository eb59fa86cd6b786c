"""The story metrics: B-cubed / pairwise scores and where their loss is."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, strategies as st

from marsad.evaluate import gains, score


def _made_right(predicted: dict[str, str], gold: dict[str, str], unit: dict[str, str], label: str) -> dict[str, str]:
    """The prediction with the articles of one unit taken out and grouped by their gold label."""
    return {i: (f"right:{gold[i]}" if unit[i] == label else p) for i, p in predicted.items()}


def test_a_perfect_prediction_scores_one_and_has_no_loss_to_show():
    gold = {"a": "x", "b": "x", "c": "y"}
    assert score(gold, gold)["bcubed"]["f1"] == 1.0
    assert gains(gold, gold) == []


def test_the_story_that_costs_most_comes_first_with_its_title_and_the_f1_it_would_give():
    # x is split in three, y is merged with one article of x: x costs more
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    predicted = {"a": "p1", "b": "p2", "c": "p3", "d": "p3", "e": "p3"}
    titles = {"a": "first of x", "b": "second of x", "c": "third", "d": "d", "e": "e"}
    out = gains(predicted, gold, titles=titles, order={"b": 0, "a": 1, "c": 2, "d": 3, "e": 4})
    assert [u["label"] for u in out] == ["x", "y"]
    assert out[0]["title"] == "second of x"  # the first article by the order given
    assert out[0]["n"] == 3
    assert out[0]["f1"] == 1.0  # x right leaves y alone in p3: everything right
    assert out[0]["gain"] > out[1]["gain"] > 0


labels = st.sampled_from("abcd")


@given(st.lists(st.tuples(labels, labels, st.sampled_from("tu")), min_size=1, max_size=25))
def test_each_gain_equals_rescoring_with_that_story_or_topic_made_right(rows):
    predicted = {str(k): p for k, (p, _, _) in enumerate(rows)}
    gold = {str(k): g for k, (_, g, _) in enumerate(rows)}
    coarse = {str(k): t for k, (_, g, t) in enumerate(rows)}  # may cut a story: it goes whole to its majority
    votes: dict[str, Counter] = {}
    for i, g in gold.items():
        votes.setdefault(g, Counter())[coarse[i]] += 1
    home = {g: min(c, key=lambda t: (-c[t], t)) for g, c in votes.items()}
    base = score(predicted, gold)["bcubed"]["f1"]
    for unit, within in ((gold, None), ({i: home[g] for i, g in gold.items()}, coarse)):
        listed = gains(predicted, gold, within=within, n=100)
        assert [u["gain"] for u in listed] == sorted((u["gain"] for u in listed), reverse=True)
        found = {u["label"]: u for u in listed}
        for label in set(unit.values()):
            expected = score(_made_right(predicted, gold, unit, label), gold)["bcubed"]["f1"]
            if label in found:
                assert abs(found[label]["f1"] - expected) < 1e-3, (label, found[label], expected)
            else:  # only units that gain are listed
                assert expected <= base + 1e-3
