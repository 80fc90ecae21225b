"""Keyword extraction with jieba (TF-IDF over its bundled dictionary and IDF table: nothing is
downloaded), with the bureau's own terms (``BureauTerm``) added to the dictionary so that its
name, places, services and leaders come out whole.

The segmenter is loaded once per process, on first use (``_segmenter``): loading jieba's dictionary
takes about a second. The terms are re-read on each call (one query) and the dictionary follows
them, so an administrator's new term counts from the next extraction."""

import copy
import logging
import threading
from collections.abc import Iterable

from events.models import BureauTerm

TOP_K = 8
# Words of any complaint that say nothing about which issue it is.
STOP_WORDS = frozenset(
    [
        "问题",
        "反映",
        "情况",
        "希望",
        "请求",
        "要求",
        "能否",
        "怎么",
        "什么",
        "没有",
        "已经",
        "现在",
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "一下",
        "相关",
        "部门",
        "领导",
        "解决",
        "处理",
        "回复",
        "谢谢",
        "您好",
        "请问",
        "为什么",
        "是否",
        "可以",
        "还是",
        "一直",
        "多次",
        "目前",
    ]
)

_lock = threading.Lock()
_state: dict = {}


class _Segmenter:
    def __init__(self) -> None:
        # imported here: jieba's import builds nothing, but keep its cost off processes that never extract
        import jieba  # type: ignore[import-untyped]
        import jieba.analyse  # type: ignore[import-untyped]

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        # A copy of the extractor jieba.analyse builds on import, sharing its IDF table (read only
        # by extract_tags): a TFIDF() of our own would read the same table again, 0.4 s.
        self.extractor = copy.copy(jieba.analyse.default_tfidf)
        self.extractor.stop_words = set(self.extractor.stop_words)
        self.extractor.tokenizer = self.tokenizer
        self.terms: frozenset[str] = frozenset()

    def follow(self, terms: frozenset[str]) -> None:
        """Make the dictionary hold exactly the bureau's current terms (beside jieba's own words)."""
        if terms == self.terms:
            return
        for word in self.terms - terms:
            self.tokenizer.del_word(word)
        for word in terms - self.terms:
            self.tokenizer.add_word(word, freq=10_000)
        self.terms = terms


def _segmenter() -> _Segmenter:
    """The process's one segmenter, built on first use."""
    with _lock:
        if "segmenter" not in _state:
            _state["segmenter"] = _Segmenter()
        return _state["segmenter"]


def bureau_terms() -> frozenset[str]:
    return frozenset(BureauTerm.objects.values_list("word", flat=True))


def keywords_of(texts: Iterable[str], *, terms: frozenset[str] | None = None, top_k: int = TOP_K) -> list[list[str]]:
    """The top keywords of each text, most weighty first (bureau terms always count as keywords)."""
    segmenter = _segmenter()
    terms = bureau_terms() if terms is None else terms
    with _lock:
        segmenter.follow(terms)
        result = []
        for text in texts:
            words = [
                word
                for word in segmenter.extractor.extract_tags(text, topK=top_k * 2)
                # Dates and numbers ("12月01日" gives 12, 01) say nothing about the issue.
                if word not in STOP_WORDS and len(word) > 1 and not any(ch.isdigit() for ch in word)
            ]
            found = [term for term in sorted(terms) if term in text and term not in words]
            result.append((words + found)[: top_k + len(found)])
        return result
