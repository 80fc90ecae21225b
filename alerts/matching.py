"""The keyword scheme (关键词方案), a pure function of plain data: subject words AND event words,
NOT excluded words, in the title, the text or either. Text and words are folded as screening folds
them (``bureau.normalise``: traditional → simplified, width, case, and the spaces and
punctuation inserted between characters), and each word also matches its traditional renderings."""

from dataclasses import dataclass

from bureau.normalise import fold, keyword_variants


def _variants(words: list[str]) -> list[tuple[str, frozenset[str]]]:
    found = ((word, frozenset(keyword_variants(word))) for word in words)
    return [(word, variants) for word, variants in found if variants]


@dataclass(frozen=True)
class KeywordScheme:
    subjects: list[tuple[str, frozenset[str]]]
    events: list[tuple[str, frozenset[str]]]
    excluded: list[tuple[str, frozenset[str]]]
    in_title: bool
    in_body: bool

    @classmethod
    def build(
        cls, *, subjects: list[str], events: list[str], excluded: list[str], in_title: bool = True, in_body: bool = True
    ) -> "KeywordScheme":
        return cls(_variants(subjects), _variants(events), _variants(excluded), in_title, in_body)

    def match(self, *, title: str, body: str) -> str | None:
        """The first subject word found (the alert's subject), or None when the scheme does not match.
        A scheme with no subject word or no event word matches nothing."""
        if not self.subjects or not self.events:
            return None
        texts = ([fold(title)] if self.in_title else []) + ([fold(body)] if self.in_body else [])

        def found(variants: frozenset[str]) -> bool:
            return any(variant in text for text in texts for variant in variants)

        if any(found(variants) for _word, variants in self.excluded):
            return None
        if not any(found(variants) for _word, variants in self.events):
            return None
        for word, variants in self.subjects:
            if found(variants):
                return word
        return None
