"""Reads of posts: the monitor, one post with its hits, the takedown queue, "my work"."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from archive.selectors import FoldedHistory, archive_history_folded
from bureau.models import Person
from bureau.search import SEARCH_COLUMNS
from bureau.selectors import owned_section_ids
from bureau.types import AnyUser
from opinions.filters import PostFilter
from opinions.models import Channel, Post, PostSnapshot, ScreeningCategory


def _base(user: AnyUser) -> QuerySet[Post]:
    if not user.has_perm("opinions.view_monitor"):
        return Post.objects.none()
    return Post.objects.select_related("channel", "section", "category").defer("body", "hits", *SEARCH_COLUMNS)


def post_list(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> tuple[PostFilter, QuerySet[Post]]:
    """The monitor: posts the user may read, newest first, narrowed by ``PostFilter``.

    Invalid filter values are ignored (the form shows them). Rows load their channel, section and
    category in the same query; the body is left out of the list."""
    post_filter = PostFilter(filters or {}, queryset=_base(user).order_by("-found_at", "-id"))
    queryset = post_filter.qs if post_filter.is_valid() else post_filter.queryset
    return post_filter, queryset


def post_get(*, user: AnyUser, pk: int) -> Post | None:
    if not user.has_perm("opinions.view_monitor"):
        return None
    return (
        Post.objects.select_related("channel", "section__owner", "category", "decided_by__person", "entered_by__person")
        .filter(pk=pk)
        .first()
    )


def takedown_queue(*, user: AnyUser) -> QuerySet[Post]:
    """Flagged posts, oldest first: the queue is worked from its front."""
    if not user.has_perm("opinions.take_down_post"):
        return Post.objects.none()
    return (
        Post.objects.filter(screening=Post.Screening.FLAGGED)
        .exclude(status=Post.Status.TAKEN_DOWN)
        .select_related("channel", "section", "category")
        .order_by("found_at", "id")
    )


def my_new_posts(*, user: AnyUser, person: Person | None, limit: int = 20) -> list[Post]:
    """New posts in the person's own sections, newest first."""
    if person is None or not user.has_perm("opinions.view_monitor"):
        return []
    sections = owned_section_ids(person)
    if not sections:
        return []
    return list(
        Post.objects.filter(section_id__in=sections, status=Post.Status.NEW)
        .select_related("channel", "section", "category")
        .defer("body", "hits", *SEARCH_COLUMNS)
        .order_by("-found_at", "-id")[:limit]
    )


@dataclass
class Segment:
    text: str
    hit: dict[str, Any] | None = None


def highlight(text: str, hits: list[dict[str, Any]], field: str) -> list[Segment]:
    """The text cut into plain and matched segments, for the template to wrap matches in <mark>
    (everything stays escaped). Overlapping hits merge into one highlighted stretch."""
    spans = sorted(
        (hit["start"], hit["end"], hit) for hit in hits if hit.get("field") == field and hit["end"] <= len(text)
    )
    segments: list[Segment] = []
    cursor = 0
    for start, end, hit in spans:
        if end <= cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], hit))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def hit_contexts(text: str, hits: list[dict[str, Any]], field: str, *, width: int = 30) -> list[list[Segment]]:
    """A short excerpt around each prohibited hit, for the takedown queue."""
    excerpts: list[list[Segment]] = []
    for hit in hits:
        if hit.get("field") != field or hit.get("purpose") != ScreeningCategory.Purpose.PROHIBITED:
            continue
        start, end = max(0, hit["start"] - width), min(len(text), hit["end"] + width)
        excerpt = text[start:end]
        shifted = [{**hit, "start": hit["start"] - start, "end": hit["end"] - start}]
        segments = highlight(excerpt, shifted, field)
        if start > 0:
            segments.insert(0, Segment("…"))
        if end < len(text):
            segments.append(Segment("…"))
        excerpts.append(segments)
    return excerpts


def hits_with_names(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A post's stored hits with the current name of each hit's list (one query)."""
    names: dict[Any, str] = dict(ScreeningCategory.objects.values_list("pk", "name"))
    return [{**hit, "category_name": names.get(hit.get("category_id"), hit.get("category"))} for hit in hits]


def post_history(*, post: Post, limit: int = 50) -> FoldedHistory:
    """The post's changes and, folded into one line, how often it was opened and by whom last."""
    return archive_history_folded(target=post, limit=limit)


def failing_channels() -> list[Channel]:
    return list(Channel.objects.failing().select_related("section"))


def post_snapshots(*, post: Post) -> list[PostSnapshot]:
    """The post's evidence snapshots, oldest first, each with its raw item as indented JSON text."""
    snapshots = list(PostSnapshot.objects.filter(post=post).order_by("fetched_at", "pk"))
    for snapshot in snapshots:
        snapshot.raw_text = json.dumps(snapshot.raw, ensure_ascii=False, indent=2, sort_keys=True)  # type: ignore[attr-defined]
    return snapshots
