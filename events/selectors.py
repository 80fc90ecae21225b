"""Reads for opinion events: the list, one event's page (a fixed number of queries whatever its
size), the grading suggestion, the overdue clocks. Nothing here writes."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone

from bureau import clock
from bureau.pagination import LastPagePaginator
from bureau.search import SEARCH_COLUMNS
from bureau.types import AnyUser
from events.filters import EventFilter
from events.models import (
    LEVEL_ORDER,
    Event,
    EventClock,
    EventDemand,
    EventPost,
    EventReport,
    EventResponse,
    EventTask,
    GradingRule,
    Level,
    clock_overdue_q,
    event_open_q,
)

TIMELINE_PAGE = 50
LINKED_LIMIT = 50


def events_visible(*, user: AnyUser) -> QuerySet[Event]:
    if not user.has_perm("events.view_events"):
        return Event.objects.none()
    return Event.objects.all()


def _count_of(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (correlated to the outer event by ``OuterRef``), as a
    scalar subquery: computed for the rows a page shows only, not grouped over every event."""
    counted = queryset.order_by().values("event").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def event_list(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> tuple[EventFilter, QuerySet[Event]]:
    """Events the user may read, newest first (``event_recent_idx``), with their item counts and
    overdue clocks. The counts are scalar subqueries per row, so a page of 30 (``quick_page``)
    reads 30 events and their links, whatever the number of events."""
    event = OuterRef("pk")
    queryset = (
        events_visible(user=user)
        .defer(*SEARCH_COLUMNS)
        .annotate(
            post_count=_count_of(EventPost.objects.filter(event=event)),
            demand_count=_count_of(EventDemand.objects.filter(event=event)),
            overdue_clocks=_count_of(EventClock.objects.filter(clock_overdue_q(clock.now()), event=event)),
        )
        .order_by("-first_seen_at", "-pk")
    )
    event_filter = EventFilter(filters or {}, queryset=queryset)
    return event_filter, (event_filter.qs if event_filter.is_valid() else event_filter.queryset)


def event_get(*, user: AnyUser, pk: int) -> Event | None:
    return (
        events_visible(user=user)
        .select_related("created_by__person", "confirmed_by__person", "graded_by__person")
        .filter(pk=pk)
        .first()
    )


def open_events(*, user: AnyUser) -> QuerySet[Event]:
    return events_visible(user=user).filter(event_open_q())


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    total: int  # items up to and including this bar
    x: int
    y: int
    height: int


@dataclass
class EventPage:
    timeline: Page
    channels: list[tuple[str, int]]
    per_day: list[tuple[str, int]]
    per_hour: list[tuple[str, int]]
    spread: dict[str, int | None]
    demands: list[EventDemand]
    demand_count: int
    tasks: list[EventTask]
    reports: list[EventReport]
    clocks: list[EventClock]
    responses: list[EventResponse]
    growth: list[Bar] = field(default_factory=list)
    item_count: int = 0

    @property
    def growth_width(self) -> int:
        """The chart's width in its own units: at least room for ten bars, so few bars stay narrow."""
        return max(len(self.growth), 10) * (BAR_WIDTH + 4)


def _timeline(event: Event) -> QuerySet:
    kind: CharField = CharField()
    posts = (
        EventPost.objects.filter(event=event)
        .annotate(
            at=F("post__found_at"),
            kind=Value("post", output_field=kind),
            item_id=F("post_id"),
            title=F("post__title"),
            channel=F("post__channel__name"),
        )
        .values_list("at", "kind", "item_id", "title", "channel")
    )
    demands = (
        EventDemand.objects.filter(event=event)
        .annotate(
            at=F("demand__received_at"),
            kind=Value("demand", output_field=kind),
            item_id=F("demand_id"),
            title=F("demand__subject"),
            channel=F("demand__channel__name"),
        )
        .values_list("at", "kind", "item_id", "title", "channel")
    )
    return posts.union(demands, all=True).order_by("at", "kind", "item_id")


def _hourly(event: Event) -> list[tuple[datetime, int]]:
    """Items per local hour, posts and demands together (two grouped reads)."""
    tz = timezone.get_current_timezone()
    counts: dict[datetime, int] = {}
    for model, at in ((EventPost, "post__found_at"), (EventDemand, "demand__received_at")):
        rows = (
            model.objects.filter(event=event)
            .annotate(hour=TruncHour(at, tzinfo=tz))
            .values("hour")
            .annotate(n=Count("pk"))
            .values_list("hour", "n")
        )
        for hour, n in rows:
            counts[hour] = counts.get(hour, 0) + n
    return sorted(counts.items())


def _channels(event: Event) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for model, name in ((EventPost, "post__channel__name"), (EventDemand, "demand__channel__name")):
        for channel, n in model.objects.filter(event=event).values(name).annotate(n=Count("pk")).values_list(name, "n"):
            counts[channel] = counts.get(channel, 0) + n
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


CHART_HEIGHT = 120
CHART_TOP = 12  # room for the top bar's figure
BAR_WIDTH = 14


def _growth(per_day: list[tuple[str, int]]) -> list[Bar]:
    """Bars of the cumulative item count per day, scaled to the chart's height."""
    bars, total = [], 0
    peak = sum(n for _day, n in per_day) or 1
    for i, (label, count) in enumerate(per_day):
        total += count
        height = max(1, round(CHART_HEIGHT * total / peak))
        bars.append(
            Bar(
                label=label,
                count=count,
                total=total,
                x=i * (BAR_WIDTH + 4),
                y=CHART_TOP + CHART_HEIGHT - height,
                height=height,
            )
        )
    return bars


def event_page(*, event: Event, page: int | str = 1) -> EventPage:
    """Everything the event's page shows, in a fixed number of queries whatever the item count."""
    paginator = LastPagePaginator(_timeline(event), TIMELINE_PAGE)
    timeline = paginator.get_page(page)
    hourly = _hourly(event)
    per_day: dict[str, int] = {}
    for hour, n in hourly:
        day = f"{timezone.localtime(hour):%m-%d}"
        per_day[day] = per_day.get(day, 0) + n
    per_hour = [(f"{timezone.localtime(hour):%m-%d %H:00}", n) for hour, n in hourly[-48:]]
    spread = EventPost.objects.filter(event=event).aggregate(
        replies=Sum("post__replies"),
        reposts=Sum("post__reposts"),
        views=Sum("post__views"),
        reporting=Count(
            "pk", filter=Q(post__replies__isnull=False) | Q(post__reposts__isnull=False) | Q(post__views__isnull=False)
        ),
    )
    demands_qs = EventDemand.objects.filter(event=event).select_related("demand__channel", "demand__handler")
    days = list(per_day.items())
    return EventPage(
        timeline=timeline,
        channels=_channels(event),
        per_day=days,
        per_hour=per_hour,
        spread=spread,
        demands=list(demands_qs.order_by("demand__received_at", "pk")[:LINKED_LIMIT]),
        demand_count=demands_qs.count(),
        tasks=list(EventTask.objects.filter(event=event).select_related("task")[:LINKED_LIMIT]),
        reports=list(EventReport.objects.filter(event=event).select_related("report")[:LINKED_LIMIT]),
        clocks=list(EventClock.objects.filter(event=event).order_by("due_at", "pk")),
        responses=list(
            EventResponse.objects.filter(event=event).select_related("recorded_by__person").order_by("responded_at")
        ),
        growth=_growth(days),
        item_count=paginator.count,
    )


# --- Grading suggestion -----------------------------------------------------------------------


@dataclass
class GradeSuggestion:
    level: str  # "" when no rule matches
    rules: list[GradingRule]
    items_in_window: dict[int, int]  # rule pk → items within its window of the first sighting
    channels: int

    @property
    def label(self) -> str:
        return str(Level(self.level).label) if self.level else ""


def event_grade_suggestion(*, event: Event) -> GradeSuggestion:
    """The highest level with an active rule every condition of which the event meets:
    items within ``window_hours`` of its first sighting, distinct channels reached, any watch term
    in an item's title or text, any of the rule's prohibited categories on one of its posts."""
    rules = list(GradingRule.objects.filter(is_active=True).prefetch_related("categories"))
    post_links = EventPost.objects.filter(event=event)
    demand_links = EventDemand.objects.filter(event=event)
    channels = set(post_links.order_by().values_list("post__channel_id", flat=True).distinct()) | set(
        demand_links.order_by().values_list("demand__channel_id", flat=True).distinct()
    )
    categories = set(
        post_links.exclude(post__category=None).order_by().values_list("post__category_id", flat=True).distinct()
    )
    in_window = _items_within_windows(event, rules)
    matched: dict[str, list[GradingRule]] = {}
    for rule in rules:
        if in_window[rule.pk] < rule.min_items or len(channels) < rule.min_channels:
            continue
        if rule.terms and not _has_term(event, rule.terms):
            continue
        wanted = {c.pk for c in rule.categories.all()}
        if wanted and not wanted & categories:
            continue
        matched.setdefault(rule.level, []).append(rule)
    level = next((lv for lv in LEVEL_ORDER if lv in matched), "")
    return GradeSuggestion(level=level, rules=matched.get(level, []), items_in_window=in_window, channels=len(channels))


def _items_within_windows(event: Event, rules: list[GradingRule]) -> dict[int, int]:
    """Rule pk → the event's items seen within the rule's window of its first sighting (a post by
    when it was found, a demand by when it was received; the window's last second counts), counted
    in the database: one aggregate for the posts and one for the demands, whatever the item count."""
    if not rules:
        return {}
    ends = {rule.pk: event.first_seen_at + timedelta(hours=rule.window_hours) for rule in rules}
    posts = EventPost.objects.filter(event=event).aggregate(
        **{f"rule_{pk}": Count("pk", filter=Q(post__found_at__lte=end)) for pk, end in ends.items()}
    )
    demands = EventDemand.objects.filter(event=event).aggregate(
        **{f"rule_{pk}": Count("pk", filter=Q(demand__received_at__lte=end)) for pk, end in ends.items()}
    )
    return {pk: posts[f"rule_{pk}"] + demands[f"rule_{pk}"] for pk in ends}


def _has_term(event: Event, terms: list[str]) -> bool:
    post_q, demand_q = Q(), Q()
    for term in terms:
        post_q |= Q(post__title__contains=term) | Q(post__body__contains=term)
        demand_q |= Q(demand__subject__contains=term) | Q(demand__content__contains=term)
    return (
        EventPost.objects.filter(event=event).filter(post_q).exists()
        or EventDemand.objects.filter(event=event).filter(demand_q).exists()
    )


# --- Clocks -----------------------------------------------------------------------------------


def overdue_clocks(*, at: datetime | None = None, limit: int = 20) -> QuerySet[EventClock]:
    """Clocks overdue at ``at`` (``due_at < at``, not met) on open events, the most overdue first."""
    at = at or clock.now()
    return (
        EventClock.objects.filter(clock_overdue_q(at), event_open_q("event"))
        .select_related("event")
        .order_by("due_at", "pk")[:limit]
    )


def overdue_clock_count(*, at: datetime | None = None) -> int:
    at = at or clock.now()
    return EventClock.objects.filter(clock_overdue_q(at), event_open_q("event")).count()


def event_of_item(*, post_id: int | None = None, demand_id: int | None = None) -> Event | None:
    """The event holding a post or a demand, if any."""
    if post_id:
        post_link = EventPost.objects.filter(post_id=post_id).select_related("event").first()
        return post_link.event if post_link else None
    if demand_id:
        demand_link = EventDemand.objects.filter(demand_id=demand_id).select_related("event").first()
        return demand_link.event if demand_link else None
    return None
