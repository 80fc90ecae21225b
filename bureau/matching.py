"""The multi-pattern matcher over folded text (Aho-Corasick), shared by screening (opinions) and
proofreading (proofing); each builds one per version of its lists and keeps it.

``Matcher.scan(text)`` folds the text with one translate call (``bureau.normalise.fold``), runs one
automaton over it and maps each hit back to the original text, so the page can highlight exactly
what was written. A term is any hashable value with a ``keyword`` (what is looked for) and a
``group``: hits of terms of one group at the same place are reported once (two keywords of one
screening list that fold alike, say).

``scan`` reports every hit, overlapping ones too (screening wants each list that matched);
``leftmost_longest(hits)`` keeps what a reader counts as one place in the text (proofreading)."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import ahocorasick_rs

from bureau.normalise import PositionMap, fold, keyword_variants


class Keyword(Protocol):
    @property
    def keyword(self) -> str: ...

    @property
    def group(self) -> Hashable: ...


T = TypeVar("T", bound=Keyword)


@dataclass(frozen=True)
class Hit(Generic[T]):
    term: T
    start: int  # in the original text
    end: int  # exclusive, in the original text
    text: str  # what was written there, e.g. "賭 博"


class Matcher(Generic[T]):
    def __init__(self, terms: Iterable[T]):
        patterns: list[str] = []
        owners: list[list[T]] = []
        index_of: dict[str, int] = {}
        for term in terms:
            for variant in keyword_variants(term.keyword):
                if variant not in index_of:
                    index_of[variant] = len(patterns)
                    patterns.append(variant)
                    owners.append([])
                if term not in owners[index_of[variant]]:
                    owners[index_of[variant]].append(term)
        self.pattern_count = len(patterns)
        self._owners = owners
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                patterns,
                matchkind=ahocorasick_rs.MatchKind.Standard,
            )
            if patterns
            else None
        )

    def raw_matches(self, folded: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) in the folded text; overlapping hits are all reported."""
        if self._automaton is None or not folded:
            return []
        return self._automaton.find_matches_as_indexes(folded, overlapping=True)

    def scan(self, text: str) -> list[Hit[T]]:
        """Every hit in ``text``, positions in the original text, in order of position."""
        if self._automaton is None or not text:
            return []
        matches = self.raw_matches(fold(text))
        if not matches:
            return []
        positions = PositionMap(text)
        hits: list[Hit[T]] = []
        seen: set[tuple[Hashable, int, int]] = set()
        for pattern, start, end in matches:
            original_start, original_end = positions.original(start), positions.original(end - 1) + 1
            for term in self._owners[pattern]:
                key = (term.group, original_start, original_end)
                if key in seen:
                    continue
                seen.add(key)
                hits.append(Hit(term, original_start, original_end, text[original_start:original_end]))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits


def leftmost_longest(hits: Iterable[Hit[T]]) -> list[Hit[T]]:
    """The hits a reader sees, overlapping ones collapsed: from the left, the longest hit starting
    at the leftmost place wins and every hit overlapping it is dropped (旅游局 inside 文广旅游局 is
    one hit, 文广旅游局); hits merely next to each other both stay. Hits of different terms on
    exactly the winner's span stay too: one place, each list's advice. Positions are those in the
    original text (folding maps them in order, so nesting and overlap are the same in both)."""
    kept: list[Hit[T]] = []
    for hit in sorted(hits, key=lambda hit: (hit.start, -hit.end)):
        if kept and hit.start < kept[-1].end:
            if (hit.start, hit.end) == (kept[-1].start, kept[-1].end):
                kept.append(hit)
            continue
        kept.append(hit)
    return kept
