"""Who acts or speaks in a headline (marsad/stories/agents.py): the forms Arabic headlines use.

The headlines are written for these tests (invented events), in the shapes the outlets of the
ANT corpus use: a speaker before a colon, a subject opening the sentence, a reporter or a
topic tag before the agent.
"""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from marsad.normalize import words
from marsad.stories.agents import headline_agent, subject


@pytest.mark.parametrize("title, agents", [
    ("روسيا: لن نسمح بتكرار الهجوم", ("RU",)),                       # speaker: a country
    ("موسكو: الصواريخ لم تصب أي هدف", ("RU",)),                      # a capital for its government
    ("دمشق: تصدينا للعدوان", ("SY",)),
    ("البيت الأبيض: لا خطط لزيارة جديدة", ("US",)),                   # a seat of government
    ("الجيش الروسي يعلن انتهاء المناورات", ("RU",)),                  # subject with an adjective of nationality
    ("السعودية تؤيد القرار الأممي", ("SA",)),                         # subject: a country
    ("مسؤولان بأمريكا: العملية لم تنته", ("US",)),                    # a reporter who names his country
    ("السفير الروسي بلندن: للعقوبات ثمن", ("RU",)),                   # where the agent is, not another agent
    ("مصدر: أميركا تنشر قطعا بحرية جديدة", ("US",)),                  # a reporter, then the agent
    ("فوكس نيوز: الولايات المتحدة تدرس الرد", ("US",)),               # a news outlet, then the agent
    ("الأزمة في الخليج: الجيش الإماراتي يرفع التأهب", ("AE",)),        # a topic tag, then the agent
    ("ليبيا: مقاتلات فرنسية تحلق فوق الساحل", ("FR",)),               # a place tag, then the agent
    ("ضربات جوية أمريكية بريطانية تستهدف مخازن", ("US", "GB")),       # adjectives after the noun
    ("اليمن.. تعرف على خريطة المعارك", ()),                           # a place tag and no agent
    ("شاهد.. لحظة انطلاق الصاروخ", ()),                               # a video page
    ("هل تنجح المفاوضات هذه المرة؟", ()),                              # a question, no agent
])
def test_headline_agent_finds_who_acts_or_speaks(title, agents):
    assert headline_agent(title) == agents


def test_a_name_takes_the_nationality_its_article_gives_it():
    body = ("قال وزير الخارجية الألماني هانس كلوبر إن بلاده ستدعم المبادرة. "
            "وأضاف كلوبر أن الاجتماع المقبل سيعقد في برلين.")
    assert headline_agent("كلوبر: سندعم المبادرة", body) == ("DE",)
    assert headline_agent("كلوبر: سندعم المبادرة") == ()  # without the body nothing says who he is


def test_an_everyday_word_is_not_looked_up_in_the_body_as_a_name():
    body = "ضربات جديدة استهدفت مواقع الجيش السوري قرب حمص."
    assert headline_agent("ضربات جديدة قرب حمص", body) == ()


def test_speaker_about_topic_keeps_the_speaker():
    assert subject("بوتين عن الأزمة في سوريا: عدوان على دولة ذات سيادة") == ["بوتين"]


@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة :.،؟?0123456789 ")),
               max_size=80),
       st.text(max_size=200))
def test_headline_agent_reads_any_text_and_names_only_countries(title, body):
    agents = headline_agent(title, body)
    assert isinstance(agents, tuple)
    assert all(len(c) == 2 and c.isupper() for c in agents)
    assert len(set(agents)) == len(agents)
    assert set(subject(title)) <= set(words(title))
