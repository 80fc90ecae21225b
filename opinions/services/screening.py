"""Screening posts against the keyword lists.

The matcher is built once per process and rebuilt only when a list changes: each batch asks the
database for the lists' version (one small aggregate) and compares it with the cached one."""

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import HttpRequest

from archive.services import archive_record
from bureau import clock
from bureau.matching import Matcher
from bureau.types import AnyUser
from opinions.models import ScreeningCategory
from opinions.screening.terms import Term, hit_json

ScreeningMatcher = Matcher[Term]

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "matcher": None}


def _lists_version() -> tuple[Any, ...]:
    summary = ScreeningCategory.objects.aggregate(
        count=Count("pk"), latest=Max("updated_at"), revisions=Sum("revision"), last=Max("pk")
    )
    return summary["count"], summary["latest"], summary["revisions"], summary["last"]


def build_matcher() -> ScreeningMatcher:
    categories = ScreeningCategory.objects.filter(is_active=True).only("pk", "code", "purpose", "keywords")
    terms = [
        Term(category.pk, category.code, category.purpose, keyword)
        for category in categories
        for keyword in category.keyword_list
    ]
    return Matcher(terms)


def screening_matcher() -> ScreeningMatcher:
    """The current matcher; rebuilt only if a list was added, removed or edited since the last build."""
    version = _lists_version()
    with _lock:
        if _cache["matcher"] is None or _cache["version"] != version:
            _cache["matcher"] = build_matcher()
            _cache["version"] = version
        return _cache["matcher"]  # type: ignore[return-value]


@dataclass
class ScreeningResult:
    hits: list[dict[str, Any]] = field(default_factory=list)
    category_id: int | None = None
    is_relevant: bool = False

    @property
    def is_prohibited(self) -> bool:
        return self.category_id is not None


def screen_text(*, title: str, body: str, matcher: ScreeningMatcher | None = None) -> ScreeningResult:
    """Screen a post's title and text. The category is that of the first prohibited hit."""
    matcher = matcher or screening_matcher()
    result = ScreeningResult()
    for field_name, text in (("title", title), ("body", body)):
        for hit in matcher.scan(text):
            result.hits.append(hit_json(hit, field_name))
            if hit.term.purpose == ScreeningCategory.Purpose.WATCH:
                result.is_relevant = True
            elif result.category_id is None:
                result.category_id = hit.term.category_id
    return result


def parse_keyword_lines(text: str) -> list[str]:
    """Keywords from pasted text or an uploaded file: one per line (commas and 、 also separate)."""
    keywords: list[str] = []
    seen: set[str] = set()
    for line in text.replace("\r", "\n").split("\n"):
        for part in line.replace("、", ",").replace("，", ",").split(","):
            keyword = part.strip()
            if keyword and keyword not in seen:
                seen.add(keyword)
                keywords.append(keyword)
    return keywords


@transaction.atomic
def screening_category_save(
    *,
    category: ScreeningCategory,
    actor: AnyUser,
    added_text: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> ScreeningCategory:
    """Save a list edited by an admin (plus lines pasted or imported), normalised to one keyword per
    line without duplicates. Bumps ``updated_at`` so every worker rebuilds its matcher."""
    now = now or clock.now()
    is_new = category.pk is None
    before = {}
    if not is_new:
        previous = ScreeningCategory.objects.select_for_update().get(pk=category.pk)
        before = {"name": previous.name, "keywords": previous.keyword_count, "is_active": previous.is_active}
        previous_keywords = set(previous.keyword_list)
    else:
        previous_keywords = set()
    keywords = parse_keyword_lines(category.keywords + "\n" + added_text)
    category.keywords = "\n".join(keywords)
    category.updated_at = now
    category.revision = (category.revision or 0) + 1
    category.save()
    added = [k for k in keywords if k not in previous_keywords]
    removed = sorted(previous_keywords - set(keywords))
    archive_record(
        action="opinions.screeningcategory." + ("created" if is_new else "changed"),
        actor=actor,
        request=request,
        target=category,
        summary=f"+{len(added)} -{len(removed)}",
        before=before,
        after={
            "name": category.name,
            "keywords": len(keywords),
            "is_active": category.is_active,
            "added": added[:200],
            "removed": removed[:200],
        },
        now=now,
    )
    return category
