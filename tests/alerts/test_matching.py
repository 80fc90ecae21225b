"""The keyword scheme: subject words AND event words, NOT excluded words, folded as screening folds."""

from alerts.matching import KeywordScheme

SCHEME = KeywordScheme.build(subjects=["图书馆", "文化馆"], events=["停水", "关闭"], excluded=["演练"])


def test_subject_and_event_both_needed():
    assert SCHEME.match(title="县图书馆突然停水", body="") == "图书馆"
    assert SCHEME.match(title="县图书馆今天开放", body="") is None  # no event word
    assert SCHEME.match(title="小区停水三天", body="") is None  # no subject word


def test_an_excluded_word_vetoes_the_match():
    assert SCHEME.match(title="文化馆关闭", body="消防演练期间") is None
    assert SCHEME.match(title="文化馆关闭", body="原因不明") == "文化馆"


def test_traditional_forms_width_and_inserted_punctuation_match():
    assert SCHEME.match(title="縣圖書館停水", body="") == "图书馆"  # traditional
    assert SCHEME.match(title="文 化-館★關閉", body="") == "文化馆"  # spaces, symbols, traditional
    assert SCHEME.match(title="文化馆关闭", body="消防演練") is None  # the excluded word in traditional


def test_subject_in_the_title_and_event_in_the_text_match_in_either():
    assert SCHEME.match(title="关于图书馆", body="今天下午停水") == "图书馆"


def test_scope_title_only_or_text_only():
    title_only = KeywordScheme.build(subjects=["图书馆"], events=["停水"], excluded=[], in_body=False)
    assert title_only.match(title="图书馆", body="停水") is None
    assert title_only.match(title="图书馆停水", body="") == "图书馆"
    body_only = KeywordScheme.build(subjects=["图书馆"], events=["停水"], excluded=[], in_title=False)
    assert body_only.match(title="图书馆停水", body="") is None
    assert body_only.match(title="", body="图书馆停水") == "图书馆"


def test_a_scheme_without_event_words_matches_nothing():
    assert KeywordScheme.build(subjects=["图书馆"], events=[], excluded=[]).match(title="图书馆", body="") is None
