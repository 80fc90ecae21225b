"""A screening term: one keyword of one list, as the shared matcher (``bureau.matching``) sees it."""

from dataclasses import dataclass

from bureau.matching import Hit


@dataclass(frozen=True)
class Term:
    """One keyword of one list."""

    category_id: int
    category_code: str
    purpose: str
    keyword: str

    @property
    def group(self) -> int:
        # Two keywords of one list hitting the same place are one hit.
        return self.category_id


def hit_json(hit: Hit[Term], field: str) -> dict:
    """A hit as it is stored on the post (``Post.hits``) and shown on its page."""
    return {
        "field": field,
        "category_id": hit.term.category_id,
        "category": hit.term.category_code,
        "purpose": hit.term.purpose,
        "keyword": hit.term.keyword,
        "start": hit.start,
        "end": hit.end,
        "text": hit.text,
    }
