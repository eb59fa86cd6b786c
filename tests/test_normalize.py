from hypothesis import given, strategies as st

from marsad.normalize import fold_for_match, fold_with_offsets, light_stem, words

ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" ،.ـ0123456789abc"),
                 max_size=80)


def test_fold_for_match_treats_alef_forms_as_equal():
    assert fold_for_match("أحمد") == fold_for_match("إحمد") == fold_for_match("آحمد") == fold_for_match("احمد")


def test_fold_for_match_treats_alef_maqsura_and_ya_as_equal():
    assert fold_for_match("مصطفى") == fold_for_match("مصطفي")


def test_fold_for_match_treats_ta_marbuta_and_ha_as_equal():
    assert fold_for_match("الإماراتية") == fold_for_match("الاماراتيه")


def test_fold_for_match_drops_diacritics_and_tatweel():
    assert fold_for_match("إضافةً المُشترك") == fold_for_match("اضافه المشترك")
    assert fold_for_match("العـــربية") == fold_for_match("العربية")


def test_fold_for_match_maps_arabic_indic_and_persian_digits():
    assert fold_for_match("٢٠٢٠") == "2020"
    assert fold_for_match("۲۰۲۰") == "2020"


def test_fold_for_match_matches_hamza_seat_spellings():
    assert fold_for_match("مسؤول") == fold_for_match("مسئول")


def test_fold_for_match_turns_presentation_forms_into_letters():
    assert fold_for_match("\ufecb\ufeb8\ufeae\ufe93") == fold_for_match("عشرة")


def test_words_drop_punctuation_and_keep_proclitics_for_the_stemmer():
    assert words("وبالقاهرة، قال: \"السيسي\"!") == ["وبالقاهره", "قال", "السيسي"]


def test_light_stem_removes_definite_article_and_plural_suffixes():
    assert light_stem(fold_for_match("والمفاوضات")) == light_stem(fold_for_match("مفاوضات"))
    assert light_stem(fold_for_match("الليبيين")) == light_stem(fold_for_match("ليبي"))


@given(ARABIC)
def test_folding_twice_equals_folding_once(text):
    assert fold_for_match(fold_for_match(text)) == fold_for_match(text)


@given(ARABIC)
def test_fold_offsets_point_at_the_original_character(text):
    folded, offsets = fold_with_offsets(text)
    assert len(folded) == len(offsets)
    assert offsets == sorted(offsets)
    for ch, i in zip(folded, offsets):
        assert fold_for_match(text[i]) and ch in fold_for_match(text[i])


@given(ARABIC)
def test_folded_text_has_no_diacritics_tatweel_or_variant_letters(text):
    folded = fold_for_match(text)
    assert not set(folded) & set("أإآىةـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩")


@given(st.text(max_size=80) | ARABIC)
def test_fast_folding_equals_the_offset_tracking_folding(text):
    assert fold_for_match(text) == fold_with_offsets(text)[0]



LONG_ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
                      | st.sampled_from(" ،.ـ0123456789abcABZ\u200c\ufeff\u00a0ﻻﷺ"), min_size=64, max_size=400)


@given(LONG_ARABIC | st.text(min_size=64, max_size=300))
def test_long_texts_fold_the_same_by_replacements_as_by_translation(text):
    # fold_for_match replaces character by character from 64 characters on (faster on bodies)
    assert fold_for_match(text) == fold_with_offsets(text)[0]


@given(ARABIC)
def test_cached_light_stem_gives_what_the_stemmer_computes(text):
    for w in words(text):
        assert light_stem(w) == light_stem.__wrapped__(w)
        assert light_stem(w) == light_stem.__wrapped__(w)  # the second time from the cache


@given(LONG_ARABIC | ARABIC | st.text(max_size=300), st.integers(min_value=0, max_value=20))
def test_first_words_are_the_first_of_all_the_words(text, n):
    from marsad.normalize import first_words

    assert first_words(text, n) == words(text)[:n]
