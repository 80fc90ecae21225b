"""Screening: every evasion the issue lists, both scripts, highlighting, rebuilding on change."""

import pytest

from bureau.matching import Matcher
from bureau.normalise import fold
from opinions.models import ScreeningCategory
from opinions.screening.terms import Term
from opinions.services.screening import screen_text, screening_category_save, screening_matcher

GAMBLING = Term(1, "gambling", "prohibited", "赌博")
CASINO = Term(1, "gambling", "prohibited", "Casino")
GUNS = Term(2, "guns", "prohibited", "枪支")
WATCH = Term(9, "watch", "watch", "文广旅局")


@pytest.fixture(scope="module")
def matcher():
    return Matcher([GAMBLING, CASINO, GUNS, WATCH])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("这里有赌博网站", "赌博"),
        ("这里有赌 博网站", "赌 博"),
        ("这里有赌-博网站", "赌-博"),
        ("这里有赌　博网站", "赌\u3000博"),  # ideographic space
        ("这里有赌，。博网站", "赌，。博"),  # full-width punctuation
        ("这里有赌★博网站", "赌★博"),  # a symbol
        ("这里有赌\u200b博网站", "赌\u200b博"),  # an invisible zero-width space
        ("這裡有賭博網站", "賭博"),  # traditional script
        ("這裡有賭 - 博網站", "賭 - 博"),  # traditional with punctuation
        ("賭博 and 赌博", "賭博"),
    ],
)
def test_hidden_gambling_is_found(matcher, text, written):
    hits = matcher.scan(text)
    assert hits, text
    assert hits[0].term == GAMBLING
    assert hits[0].text == written
    assert text[hits[0].start : hits[0].end] == written


@pytest.mark.parametrize("text", ["CASINO开业", "ｃａｓｉｎｏ开业", "Ｃ Ａ Ｓ Ｉ Ｎ Ｏ", "c.a.s.i.n.o", "CaSiNo"])
def test_case_and_width_do_not_hide_a_word(matcher, text):
    assert [hit.term for hit in matcher.scan(text)] == [CASINO]


def test_traditional_keyword_finds_simplified_text_and_back():
    traditional_list = Matcher([Term(2, "guns", "prohibited", "槍支")])
    assert traditional_list.scan("出售枪支弹药")
    assert traditional_list.scan("出售槍支彈藥")


def test_clean_text_has_no_hits(matcher):
    assert matcher.scan("县图书馆周末开放时间调整，欢迎市民前来阅读。") == []
    assert matcher.scan("") == []


def test_every_occurrence_and_every_list_are_reported(matcher):
    hits = matcher.scan("文广旅局门口有人赌博，还有人卖枪支，又见赌博")
    assert [(hit.term.category_code, hit.text) for hit in hits] == [
        ("watch", "文广旅局"),
        ("gambling", "赌博"),
        ("guns", "枪支"),
        ("gambling", "赌博"),
    ]


def test_fold_is_one_to_one_or_deletes():
    text = "Ａ賭-博 x"
    assert fold(text) == "a赌博x"


def test_screen_text_sets_category_relevance_and_fields(db):
    result = screen_text(title="关于文广旅局的反映", body="有人在网吧里聚众賭 博")
    assert result.is_relevant
    gambling = ScreeningCategory.objects.get(code="gambling")
    assert result.category_id == gambling.pk
    assert {(hit["field"], hit["text"]) for hit in result.hits} == {("title", "文广旅局"), ("body", "賭 博")}


def test_matcher_is_rebuilt_only_when_a_list_changes(db, cast):
    first = screening_matcher()
    assert screening_matcher() is first
    assert not screen_text(title="出售弹弓", body="").is_prohibited
    guns = ScreeningCategory.objects.get(code="guns")
    screening_category_save(category=guns, actor=cast["admin"].user, added_text="弹弓\n钢珠")
    second = screening_matcher()
    assert second is not first
    assert screen_text(title="出售弹弓", body="").is_prohibited


def test_pasted_lines_are_split_and_deduplicated(db, cast):
    drugs = ScreeningCategory.objects.get(code="drugs")
    before = drugs.keyword_count
    screening_category_save(category=drugs, actor=cast["admin"].user, added_text="冰毒\n新型毒品、 笑气\r\n\n笑气")
    drugs.refresh_from_db()
    assert drugs.keyword_count == before + 2
    assert drugs.keyword_list[-2:] == ["新型毒品", "笑气"]


def test_inactive_lists_do_not_match(db):
    ScreeningCategory.objects.filter(code="gambling").update(is_active=False, revision=99)
    assert not screen_text(title="赌博", body="").is_prohibited
