"""Reads for briefings: a period's figures (from the dashboard's own selectors, so a briefing's
numbers are the dashboard's for the same period), its main events and reports upward, the list and
one briefing. Nothing here writes."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assignments.models import IncidentReport
from bureau import clock
from bureau.types import AnyUser
from events.models import Event, EventPost, EventResponse, Level
from opinions.selectors.figures import daily_figures_stored_days, figures_snapshot
from reports.dashboard.selectors import Period, demand_breakdown, post_breakdown
from reports.models import Briefing, BriefingReturn

MAIN_EVENTS = 5
TIMELINE_ITEMS = 5
LIST_PAGE = 30


def briefing_period(*, kind: str, day: date) -> Period:
    """The period a briefing of ``kind`` covers for the day given: that day, its Monday-to-Sunday
    week, or its calendar month."""
    if kind == Briefing.Kind.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return Period("range", monday, monday + timedelta(days=6))
    if kind == Briefing.Kind.MONTHLY:
        first = day.replace(day=1)
        following = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
        return Period("range", first, following - timedelta(days=1))
    return Period("range", day, day)


def briefing_default_day(*, kind: str, today: date) -> date:
    """The day a briefing of ``kind`` is usually drafted for: yesterday for a daily one, a day of
    last week for a weekly one, the last day of last month for a monthly one (the morning job's
    periods, and the draft form's defaults)."""
    if kind == Briefing.Kind.WEEKLY:
        return today - timedelta(days=7)
    if kind == Briefing.Kind.MONTHLY:
        return today.replace(day=1) - timedelta(days=1)
    return today - timedelta(days=1)


@dataclass
class BriefingFigures:
    """The overview of a period: posts found, relevant and taken down by category; demands
    received, replied and overdue (of those received in the period, at ``as_of``); events first
    seen in the period by level. The same numbers as the dashboard's for the period."""

    posts_found: int
    posts_relevant: int
    posts_taken_down: int
    taken_down_by_category: list[tuple[str, int]]
    demands_received: int
    demands_replied: int
    demands_overdue: int
    events_by_level: dict[str, int]  # "I", "II", "III", "" (not graded yet)
    events_total: int
    reports_upward: int
    as_of: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _events_of(period: Period) -> QuerySet[Event]:
    """Events first seen in the period (merged ones are counted in the event they joined)."""
    return Event.objects.filter(first_seen_at__gte=period.start, first_seen_at__lt=period.end, merged_into__isnull=True)


def _reports_of(period: Period) -> QuerySet[IncidentReport]:
    return IncidentReport.objects.filter(reported_at__gte=period.start, reported_at__lt=period.end)


def briefing_figures(*, period: Period, now: datetime | None = None) -> BriefingFigures:
    """The period's overview, read through ``demand_breakdown`` and ``post_breakdown`` exactly as
    ``reports.dashboard.selectors.dashboard`` reads them (stored days, stale and current days live)."""
    now = now or clock.now()
    today = timezone.localdate(now)
    with figures_snapshot():
        stored_days = daily_figures_stored_days(now=now)
        demands = demand_breakdown(period=period, today=today, now=now, stored_days=stored_days).total
        posts = post_breakdown(period=period, today=today, stored_days=stored_days)
    levels = dict(_events_of(period).values_list("level").annotate(n=Count("pk")).order_by())
    by_level = {level: levels.get(level, 0) for level in (*Level.values, "")}
    return BriefingFigures(
        posts_found=posts.found,
        posts_relevant=posts.relevant,
        posts_taken_down=posts.taken_down,
        taken_down_by_category=[(name, count) for _pk, name, count in posts.by_category],
        demands_received=demands.received,
        demands_replied=demands.replied,
        demands_overdue=demands.overdue,
        events_by_level=by_level,
        events_total=sum(by_level.values()),
        reports_upward=_reports_of(period).count(),
        as_of=now.isoformat(),
    )


@dataclass
class MainEvent:
    event: Event
    items: int
    timeline: list[tuple[datetime, str, str]]  # (when, channel, title), the first few items
    responses: list[EventResponse]


LEVEL_RANK = {Level.I: 0, Level.II: 1, Level.III: 2, "": 3}


def main_events(*, period: Period, limit: int = MAIN_EVENTS) -> list[MainEvent]:
    """The period's events with items in it, the highest level and the most items first, each with
    its first items and its responses (handling). Four queries whatever the number of events."""
    item_in = Q(post_links__post__found_at__gte=period.start, post_links__post__found_at__lt=period.end)
    demand_in = Q(demand_links__demand__received_at__gte=period.start, demand_links__demand__received_at__lt=period.end)
    posts = dict(
        Event.objects.filter(item_in, merged_into__isnull=True).values_list("pk").annotate(n=Count("post_links"))
    )
    demands = dict(
        Event.objects.filter(demand_in, merged_into__isnull=True).values_list("pk").annotate(n=Count("demand_links"))
    )
    counts = {pk: posts.get(pk, 0) + demands.get(pk, 0) for pk in posts.keys() | demands.keys()}
    events = list(Event.objects.filter(pk__in=counts))
    events.sort(key=lambda event: (LEVEL_RANK.get(event.level, 3), -counts[event.pk], event.pk))
    events = events[:limit]
    if not events:
        return []
    timeline: dict[int, list[tuple[datetime, str, str]]] = {event.pk: [] for event in events}
    rows = (
        EventPost.objects.filter(event__in=events, post__found_at__gte=period.start, post__found_at__lt=period.end)
        .order_by("post__found_at", "pk")
        .values_list("event_id", "post__found_at", "post__channel__name", "post__title")
    )
    for event_id, at, channel, title in rows:
        if len(timeline[event_id]) < TIMELINE_ITEMS:
            timeline[event_id].append((at, channel, title))
    responses: dict[int, list[EventResponse]] = {event.pk: [] for event in events}
    for response in EventResponse.objects.filter(event__in=events).order_by("responded_at", "pk"):
        responses[response.event_id].append(response)
    return [MainEvent(event, counts[event.pk], timeline[event.pk], responses[event.pk]) for event in events]


def reports_upward(*, period: Period) -> list[IncidentReport]:
    """What was reported upward to the county in the period (上报), oldest first."""
    return list(_reports_of(period).select_related("reported_by").order_by("reported_at", "pk"))


# --- The pages -----------------------------------------------------------------------------------


def briefings_visible(*, user: AnyUser) -> QuerySet[Briefing]:
    if not user.has_perm("reports.view_briefings"):
        return Briefing.objects.none()
    return Briefing.objects.all()


RETURNED = "returned"  # the list's state filter: drafts sent back and not yet submitted again


def briefing_list(*, user: AnyUser, filters: Mapping[str, str]) -> QuerySet[Briefing]:
    """The briefings the user may read, newest period first, filtered by kind and state (or
    "returned": sent back and not yet submitted again). Each row has ``return_reason``, the reason
    of its open return ("" if none), and ``returned_at``."""
    open_return = BriefingReturn.objects.filter(briefing=OuterRef("pk"), resubmitted_at__isnull=True)
    queryset = (
        briefings_visible(user=user)
        .select_related("drafted_by__person", "signed_by__person", "event")
        .annotate(
            return_reason=Coalesce(Subquery(open_return.values("reason")[:1]), Value(""), output_field=TextField()),
            returned_at=Subquery(open_return.values("returned_at")[:1]),
        )
    )
    kind, state = filters.get("kind", ""), filters.get("state", "")
    if kind in Briefing.Kind.values:
        queryset = queryset.filter(kind=kind)
    if state == RETURNED:
        queryset = queryset.filter(returned_at__isnull=False)
    elif state in Briefing.State.values:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-first", "-pk")


def briefing_get(*, user: AnyUser, pk: int) -> Briefing | None:
    """One briefing with its editors and its returns (newest first)."""
    returns = BriefingReturn.objects.select_related("returned_by__person").order_by("-returned_at", "-pk")
    return (
        briefings_visible(user=user)
        .select_related("drafted_by__person", "signed_by__person", "event")
        .prefetch_related("editors__person", Prefetch("returns", queryset=returns))
        .filter(pk=pk)
        .first()
    )


def briefings_to_sign(*, user: AnyUser) -> QuerySet[Briefing]:
    """Briefings waiting for this leader's sign-off: submitted, and neither drafted nor edited by them."""
    if not user.has_perm("reports.sign_briefings"):
        return Briefing.objects.none()
    return (
        Briefing.objects.waiting_for_sign_off()
        .exclude(drafted_by=user)
        .exclude(editors=user)
        .order_by("submitted_at", "pk")
    )
