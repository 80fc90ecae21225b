"""Fold text so that hidden words match their keyword (screening) and a search word finds its text
(bureau.search): both see the same folded characters.

``fold_table()`` (built once per process) says, per character, what matching sees: full-width →
half-width and other compatibility forms (NFKC), upper → lower case, traditional → simplified
characters (from OpenCC's own t2s conversion), and deletion of the spaces, punctuation, symbols
and invisible characters that people insert between the characters of a word (赌 博, 赌-博,
賭★博). ``fold()`` applies it with two regular expressions scanned in C. Since a character maps
to one character or is deleted, a position in the folded text maps back to the original
(``PositionMap``), so the page highlights exactly what was written.

Phrase-level differences between the scripts are handled on the keyword side: ``keyword_variants``
adds OpenCC's traditional renderings of each keyword, folded the same way."""

import bisect
import re
import unicodedata
from functools import cache

import opencc

# Beyond the Basic Multilingual Plane we only need the emoji and symbol blocks (they are deleted).
_EXTRA_RANGES = [(0x1F000, 0x1FAFF), (0xE0000, 0xE007F)]
_DELETED_CATEGORIES = ("P", "Z", "S", "C")  # punctuation, separators, symbols, control/format


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def fold_table() -> dict[int, str | None]:
    """The translation table (codepoint → replacement or None to delete), built once."""
    table: dict[int, str | None] = {}
    t2s = _converter("t2s")
    codepoints = list(range(0x10000))
    for start, end in _EXTRA_RANGES:
        codepoints.extend(range(start, end + 1))
    han: list[int] = []
    for cp in codepoints:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category[0] in _DELETED_CATEGORIES and category != "Co":
            table[cp] = None
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        if len(folded) == 1 and unicodedata.category(folded)[0] in _DELETED_CATEGORIES:
            table[cp] = None  # full-width punctuation and the like
        elif len(folded) == 1 and folded != ch:
            table[cp] = folded
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            han.append(cp)
    # Traditional → simplified, character by character, as OpenCC converts each one alone.
    # Converting all of them in one call keeps the build fast; a separator keeps them apart.
    originals = [table.get(cp) or chr(cp) for cp in han]
    converted = t2s.convert("\n".join(originals)).split("\n")
    if len(converted) == len(han):
        for cp, before, after in zip(han, originals, converted, strict=True):
            if len(after) == 1 and after != before:
                table[cp] = after
    return table


def _character_class(codepoints: list[int]) -> re.Pattern:
    """A compiled character class of the given codepoints, written as ranges."""
    ranges, start, previous = [], codepoints[0], codepoints[0]
    for cp in codepoints[1:]:
        if cp != previous + 1:
            ranges.append((start, previous))
            start = cp
        previous = cp
    ranges.append((start, previous))
    body = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{body}]")


@cache
def _deleted_pattern() -> re.Pattern:
    return _character_class(sorted(cp for cp, value in fold_table().items() if value is None))


@cache
def _mapped() -> tuple[re.Pattern, dict[str, str]]:
    replacements = {chr(cp): value for cp, value in fold_table().items() if value is not None}
    return _character_class(sorted(map(ord, replacements))), replacements


def fold(text: str) -> str:
    """The folded form of a text, used for matching only (never shown).

    Same result as ``text.translate(fold_table())``, several times faster: the regular-expression
    engine scans for the few characters to delete or replace in C, and ordinary simplified text
    has almost none to replace."""
    text = _deleted_pattern().sub("", text)
    pattern, replacements = _mapped()
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda match: replacements[match.group()], text)


class PositionMap:
    """Maps a position in ``fold(text)`` back to the original text, from the deleted positions only."""

    def __init__(self, text: str):
        self.deleted = [match.start() for match in _deleted_pattern().finditer(text)]

    def original(self, folded_index: int) -> int:
        # The original index is the folded one plus the deletions before it.
        skipped = bisect.bisect_right(self.deleted, folded_index)
        while skipped < len(self.deleted) and self.deleted[skipped] <= folded_index + skipped:
            skipped += 1
        return folded_index + skipped


def keyword_variants(keyword: str) -> set[str]:
    """The folded keyword plus its folded traditional renderings (mainland, Taiwan, Hong Kong)."""
    variants = {fold(keyword)}
    for config in ("s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2s", "hk2s"):
        variants.add(fold(_converter(config).convert(keyword)))
    variants.discard("")
    return variants
