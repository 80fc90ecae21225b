"""The one search box (搜索): one word searched at once in posts, demands, events, county tasks and
the archive, each through its own list's selector and search filter (``bureau.search``), so a
person finds here exactly what each list's own text box finds for them, and nothing of a list they
may not open.

Each kind shows its ``PER_KIND`` newest matches (one more is read to know whether there are more:
no COUNT) and a link to its own list with the word in its search filter. The matched stretches are
found on the folded text (``bureau.normalise.fold``, as the search folds it: 賭場 finds 赌场, 噪-音
finds 噪音) and mapped back to what was written (``PositionMap``), so the page marks exactly the
characters the person typed or their traditional forms; the template escapes every piece.

Queries: per kind the search's id probe and one read of the rows, whatever the table's size."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.selectors import archive_record_list
from archive.views import ArchiveRecordListView
from assignments.selectors import county_task_list
from assignments.views.tasks import TaskListView
from bureau.normalise import PositionMap, fold
from bureau.search import search_word
from bureau.types import AnyUser
from events.selectors import event_list
from events.views import EventListView
from opinions.selectors.demands import demand_list
from opinions.selectors.posts import Segment, highlight, post_list
from opinions.views.demands import DEMAND_READERS
from opinions.views.monitor import MonitorView

PER_KIND = 5
# Characters of a long text shown around its first match.
EXCERPT_BEFORE, EXCERPT_LENGTH = 30, 120


@dataclass(frozen=True)
class Kind:
    """One searched list: who may open it (its view's permission), its rows for a filter (its
    selector), the fields shown and where its list lives."""

    key: str
    label: Any
    may_read: Callable[[AnyUser], bool]
    rows: Callable[[AnyUser, dict[str, str]], QuerySet[Any]]
    fields: tuple[str, ...]  # loaded; the first is the title, the rest are excerpted
    newest_first: tuple[str, ...]
    when: str
    list_url: str  # URL name of the list, whose text filter is ``q``
    url: Callable[[Any], str] = lambda row: row.get_absolute_url()
    extra: tuple[str, ...] = ()  # loaded for the prefix
    prefix: Callable[[Any], str] = lambda row: ""


def _has(permission: str) -> Callable[[AnyUser], bool]:
    return lambda user: user.has_perm(permission)


def _rows_of(selector: Callable[..., Any]) -> Callable[[AnyUser, dict[str, str]], QuerySet[Any]]:
    def rows(user: AnyUser, filters: dict[str, str]) -> QuerySet[Any]:
        found = selector(user=user, filters=filters)
        return found[1] if isinstance(found, tuple) else found  # (filter, queryset) or a queryset

    return rows


KINDS = (
    Kind(
        key="posts",
        label=_("Posts"),
        may_read=_has(MonitorView.permission_required),
        rows=_rows_of(post_list),
        fields=("title", "body", "author"),
        newest_first=("-found_at", "-pk"),
        when="found_at",
        list_url="opinions:monitor",
    ),
    Kind(
        key="demands",
        label=_("Demands"),
        may_read=lambda user: any(user.has_perm(permission) for permission in DEMAND_READERS),
        rows=_rows_of(demand_list),
        fields=("subject", "content", "reply_text"),
        newest_first=("-received_at", "-pk"),
        when="received_at",
        list_url="opinions:demand-list",
        extra=("number",),
        prefix=lambda demand: f"{demand.number} ",
    ),
    Kind(
        key="events",
        label=_("Opinion events"),
        may_read=_has(EventListView.permission_required),
        rows=_rows_of(event_list),
        fields=("title", "summary"),
        newest_first=("-first_seen_at", "-pk"),
        when="first_seen_at",
        list_url="events:event-list",
    ),
    Kind(
        key="tasks",
        label=_("Tasks handed down"),
        may_read=_has(TaskListView.permission_required),
        rows=_rows_of(county_task_list),
        fields=("title", "reference", "content"),
        newest_first=("-received_at", "-pk"),
        when="received_at",
        list_url="assignments:task-list",
    ),
    Kind(
        key="archive",
        label=_("Archive"),
        may_read=_has(ArchiveRecordListView.permission_required),
        rows=_rows_of(archive_record_list),
        fields=("summary", "target_text", "actor_name"),
        newest_first=("-pk",),
        when="created_at",
        list_url="archive:record-list",
        url=lambda record: reverse("archive:record-detail", args=[record.pk]),
    ),
)


@dataclass(frozen=True)
class Found:
    """One matching row: its title and, when the word is in another field, an excerpt there."""

    prefix: str
    title: list[Segment]
    excerpt: list[Segment]
    when: datetime
    url: str


@dataclass(frozen=True)
class KindFound:
    key: str
    label: Any
    items: list[Found]
    more: bool  # more matches than shown: the list has them
    list_url: str  # the kind's own list with the word in its search filter


def marked(text: str, word: str) -> list[Segment]:
    """``text`` cut into plain and matched segments for the folded ``word`` (every occurrence)."""
    return highlight(text, _spans(text, word), "text")


def _spans(text: str, word: str) -> list[dict[str, Any]]:
    folded = fold(text)
    if not word or word not in folded:
        return []
    positions, spans, start = PositionMap(text), [], folded.find(word)
    while start != -1:
        end = positions.original(start + len(word) - 1) + 1
        spans.append({"field": "text", "start": positions.original(start), "end": end})
        start = folded.find(word, start + len(word))
    return spans


def excerpt(text: str, word: str) -> list[Segment]:
    """A short piece of a long ``text`` around the word's first occurrence, marked; empty when the
    word is not in it."""
    spans = _spans(text, word)
    if not spans:
        return []
    begin = max(0, spans[0]["start"] - EXCERPT_BEFORE)
    end = min(len(text), begin + EXCERPT_LENGTH)
    shifted = [
        {**span, "start": span["start"] - begin, "end": min(span["end"], end) - begin}
        for span in spans
        if span["start"] < end
    ]
    segments = highlight(text[begin:end], shifted, "text")
    if begin > 0:
        segments.insert(0, Segment("…"))
    if end < len(text):
        segments.append(Segment("…"))
    return segments


def _found(kind: Kind, row: Model, word: str) -> Found:
    title_field, *other_fields = kind.fields
    title = str(getattr(row, title_field) or "")
    piece: list[Segment] = []
    for name in other_fields:
        if piece := excerpt(str(getattr(row, name) or ""), word):
            break
    return Found(
        prefix=kind.prefix(row),
        title=marked(title, word),
        excerpt=piece,
        when=getattr(row, kind.when),
        url=kind.url(row),
    )


def kinds_readable(*, user: AnyUser) -> list[Kind]:
    """The kinds whose list the user may open: only those are searched and shown."""
    return [kind for kind in KINDS if kind.may_read(user)]


def site_search(*, user: AnyUser, query: str, kinds: Iterable[Kind] | None = None) -> list[KindFound]:
    """Each readable kind's newest ``PER_KIND`` rows matching ``query`` (as its list's text filter
    finds them), in the order of ``KINDS``. ``query`` is what was typed; an empty one finds nothing."""
    word = search_word(query)
    if not word:
        return []
    results = []
    for kind in kinds if kinds is not None else kinds_readable(user=user):
        rows = (
            kind.rows(user, {"q": query})
            .select_related(None)
            .defer(None)  # the lists leave out their long texts; the excerpts need them
            .only("pk", kind.when, *kind.fields, *kind.extra)
            .order_by(*kind.newest_first)[: PER_KIND + 1]
        )
        found = [_found(kind, row, word) for row in rows]
        results.append(
            KindFound(
                key=kind.key,
                label=kind.label,
                items=found[:PER_KIND],
                more=len(found) > PER_KIND,
                list_url=f"{reverse(kind.list_url)}?{urlencode({'q': query})}",
            )
        )
    return results
