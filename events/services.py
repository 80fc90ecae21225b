"""Every change to an opinion event: create (from a suggestion or chosen items), confirm, add and
remove items, split, merge, link tasks and reports, grade (with its response clocks), record a
response, close; and the clock sweep. Each change is archived inside its transaction; refusals by
``events.policies`` are PermissionDenied, refused inputs and states ValidationError."""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import CountyTask, IncidentReport
from bureau import clock
from bureau.models import Person, Role, User
from bureau.notifications import notification_create
from bureau.search import SEARCH_COLUMNS, search_fill
from bureau.types import AnyUser
from events.keywords import keywords_of
from events.models import (
    ClockKind,
    Event,
    EventClock,
    EventDemand,
    EventPost,
    EventReport,
    EventResponse,
    EventTask,
    Level,
    ResponseLimit,
    clock_overdue_q,
    event_open_q,
)
from events.policies import WHEN, event_require
from opinions.models import Demand, Post
from opinions.selectors.demands import demands_visible

TOP_KEYWORDS = 10


def _check_state(event: Event, action: str) -> None:
    if not WHEN[action](event):
        raise ValidationError(_("This event is closed or merged into another; it takes no more changes."))


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _visible_posts(actor: AnyUser, ids: Iterable[int]) -> list[Post]:
    ids = set(ids)
    if not ids:
        return []
    if not actor.has_perm("opinions.view_monitor"):
        raise ValidationError(_("Some of these posts do not exist or you may not see them."))
    posts = list(Post.objects.filter(pk__in=ids).only("pk", "title", "body", "found_at"))
    if len(posts) != len(ids):
        raise ValidationError(_("Some of these posts do not exist or you may not see them."))
    return posts


def _visible_demands(actor: AnyUser, ids: Iterable[int]) -> list[Demand]:
    ids = set(ids)
    if not ids:
        return []
    demands = list(demands_visible(user=actor).filter(pk__in=ids).only("pk", "subject", "content", "received_at"))
    if len(demands) != len(ids):
        raise ValidationError(_("Some of these demands do not exist or you may not see them."))
    return demands


def _refuse_taken(post_ids: Iterable[int], demand_ids: Iterable[int]) -> None:
    """An item is in at most one event."""
    taken_posts = EventPost.objects.filter(post_id__in=list(post_ids))
    taken_demands = EventDemand.objects.filter(demand_id__in=list(demand_ids))
    if taken_posts.exists() or taken_demands.exists():
        raise ValidationError(_("An item chosen is already in another event; remove it there first."))


def _attach(event: Event, posts: list[Post], demands: list[Demand], *, now: datetime) -> None:
    texts = [f"{p.title}\n{p.body}" for p in posts] + [f"{d.subject}\n{d.content}" for d in demands]
    words = keywords_of(texts) if texts else []
    EventPost.objects.bulk_create(
        EventPost(event=event, post=post, keywords=words[i], added_at=now) for i, post in enumerate(posts)
    )
    EventDemand.objects.bulk_create(
        EventDemand(event=event, demand=demand, keywords=words[len(posts) + i], added_at=now)
        for i, demand in enumerate(demands)
    )


def _refresh(event: Event) -> None:
    """The event's first sighting and top keywords, from its items (two reads, whatever their number)."""
    first_post = EventPost.objects.filter(event=event).aggregate(at=Min("post__found_at"))["at"]
    first_demand = EventDemand.objects.filter(event=event).aggregate(at=Min("demand__received_at"))["at"]
    seen = [at for at in (first_post, first_demand) if at is not None]
    counts: Counter[str] = Counter()
    for model in (EventPost, EventDemand):
        for words in model.objects.filter(event=event).values_list("keywords", flat=True):
            counts.update(set(words))
    event.keywords = [word for word, _count in counts.most_common(TOP_KEYWORDS)]
    if seen:
        event.first_seen_at = min(seen)
    event.save(update_fields=["keywords", "first_seen_at"])


def _items(event: Event) -> dict[str, list[int]]:
    return {
        "posts": sorted(EventPost.objects.filter(event=event).values_list("post_id", flat=True)),
        "demands": sorted(EventDemand.objects.filter(event=event).values_list("demand_id", flat=True)),
    }


@transaction.atomic
def event_create(
    *,
    actor: User,
    post_ids: Iterable[int] = (),
    demand_ids: Iterable[int] = (),
    title: str = "",
    summary: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """A new event of the chosen posts and demands (at least one), none of them in another event.
    Its title defaults to its top keywords."""
    event_require(actor, None, "create")
    now = now or clock.now()
    posts, demands = _visible_posts(actor, post_ids), _visible_demands(actor, demand_ids)
    if not posts and not demands:
        raise ValidationError(_("Choose at least one post or demand."))
    _refuse_taken([p.pk for p in posts], [d.pk for d in demands])
    seen = [p.found_at for p in posts] + [d.received_at for d in demands]
    event = Event(
        title=title.strip()[:200] or "…", summary=summary, first_seen_at=min(seen), created_at=now, created_by=actor
    )
    search_fill(event).save(force_insert=True)  # with its search columns (bureau.search)
    _attach(event, posts, demands, now=now)
    _refresh(event)
    if not title.strip():
        event.title = "、".join(event.keywords[:3]) or (posts[0].title if posts else demands[0].subject)[:200]
        search_fill(event).save(update_fields=["title", *SEARCH_COLUMNS])
    archive_record(
        action="events.event.created",
        actor=actor,
        request=request,
        target=event,
        summary=_("Event created with %(posts)s posts and %(demands)s demands")
        % {"posts": len(posts), "demands": len(demands)},
        after={"title": event.title, **_items(event)},
        now=now,
    )
    return event


@transaction.atomic
def event_confirm(
    *, event: Event, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> Event:
    """Staff confirm that the items are one event: it moves from 待研判 to 处置中."""
    event_require(actor, event, "confirm")
    now = now or clock.now()
    event = _locked(event)
    if event.is_confirmed:
        raise ValidationError(_("This event has already been confirmed."))
    _check_state(event, "confirm")
    before = {"state": event.state}
    event.confirmed_at, event.confirmed_by, event.state = now, actor, Event.State.HANDLING
    event.save(update_fields=["confirmed_at", "confirmed_by", "state"])
    archive_record(
        action="events.event.confirmed",
        actor=actor,
        request=request,
        target=event,
        before=before,
        after={"state": event.state},
        now=now,
    )
    return event


@transaction.atomic
def event_item_add(
    *,
    event: Event,
    actor: User,
    post_id: int | None = None,
    demand_id: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Add one post or demand (加入事件). Refused if it is already in an event (this one or another)."""
    event_require(actor, event, "add")
    now = now or clock.now()
    event = _locked(event)
    _check_state(event, "add")
    posts = _visible_posts(actor, [post_id] if post_id else [])
    demands = _visible_demands(actor, [demand_id] if demand_id else [])
    if not posts and not demands:
        raise ValidationError(_("Choose a post or a demand."))
    _refuse_taken([p.pk for p in posts], [d.pk for d in demands])
    before = _items(event)
    _attach(event, posts, demands, now=now)
    _refresh(event)
    archive_record(
        action="events.event.item_added",
        actor=actor,
        request=request,
        target=event,
        summary=(posts[0].title if posts else demands[0].subject)[:200],
        before=before,
        after=_items(event),
        now=now,
    )
    return event


@transaction.atomic
def event_item_remove(
    *,
    event: Event,
    actor: User,
    post_id: int | None = None,
    demand_id: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Take one item out of the event; the event keeps at least one."""
    event_require(actor, event, "remove")
    now = now or clock.now()
    event = _locked(event)
    _check_state(event, "remove")
    before = _items(event)
    if post_id and post_id not in before["posts"] or demand_id and demand_id not in before["demands"]:
        raise ValidationError(_("That item is not in this event."))
    if len(before["posts"]) + len(before["demands"]) <= 1:
        raise ValidationError(_("An event keeps at least one item; close it instead."))
    if post_id:
        EventPost.objects.filter(event=event, post_id=post_id).delete()
    if demand_id:
        EventDemand.objects.filter(event=event, demand_id=demand_id).delete()
    _refresh(event)
    archive_record(
        action="events.event.item_removed",
        actor=actor,
        request=request,
        target=event,
        before=before,
        after=_items(event),
        now=now,
    )
    return event


@transaction.atomic
def event_split(
    *,
    event: Event,
    actor: User,
    post_ids: Iterable[int] = (),
    demand_ids: Iterable[int] = (),
    title: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Move the chosen items to a new event (returned); both keep at least one item."""
    event_require(actor, event, "split")
    now = now or clock.now()
    event = _locked(event)
    _check_state(event, "split")
    post_ids, demand_ids = sorted(set(post_ids)), sorted(set(demand_ids))
    before = _items(event)
    if not set(post_ids) <= set(before["posts"]) or not set(demand_ids) <= set(before["demands"]):
        raise ValidationError(_("Choose items of this event."))
    moved = len(post_ids) + len(demand_ids)
    if moved == 0 or moved >= len(before["posts"]) + len(before["demands"]):
        raise ValidationError(_("Choose some of the event's items, not none and not all."))
    new = Event(
        title=title.strip()[:200] or event.title, first_seen_at=event.first_seen_at, created_at=now, created_by=actor
    )
    search_fill(new).save(force_insert=True)
    EventPost.objects.filter(event=event, post_id__in=post_ids).update(event=new)
    EventDemand.objects.filter(event=event, demand_id__in=demand_ids).update(event=new)
    _refresh(event)
    _refresh(new)
    archive_record(
        action="events.event.split",
        actor=actor,
        request=request,
        target=event,
        summary=_("Items moved to event %(id)s") % {"id": new.pk},
        before=before,
        after={**_items(event), "new_event": new.pk},
        now=now,
    )
    archive_record(
        action="events.event.created",
        actor=actor,
        request=request,
        target=new,
        summary=_("Split from event %(id)s") % {"id": event.pk},
        after={"title": new.title, "split_from": event.pk, **_items(new)},
        now=now,
    )
    return new


@transaction.atomic
def event_merge(
    *,
    event: Event,
    other: Event,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Merge ``other`` into ``event``: its items, tasks and reports move over, it is closed and
    points to ``event``. Returns ``event``."""
    event_require(actor, event, "merge")
    now = now or clock.now()
    if other.pk == event.pk:
        raise ValidationError(_("An event cannot be merged into itself."))
    first, second = sorted([event.pk, other.pk])  # lock in one order: two opposite merges never deadlock
    locked = {e.pk: e for e in Event.objects.select_for_update().filter(pk__in=[first, second])}
    event, other = locked[event.pk], locked[other.pk]
    _check_state(event, "merge")
    _check_state(other, "merge")
    before, taken = _items(event), _items(other)
    EventPost.objects.filter(event=other).update(event=event)
    EventDemand.objects.filter(event=other).update(event=event)
    known_tasks = set(EventTask.objects.filter(event=event).values_list("task_id", flat=True))
    EventTask.objects.filter(event=other).exclude(task_id__in=known_tasks).update(event=event)
    known_reports = set(EventReport.objects.filter(event=event).values_list("report_id", flat=True))
    EventReport.objects.filter(event=other).exclude(report_id__in=known_reports).update(event=event)
    other.merged_into, other.state = event, Event.State.CLOSED
    other.save(update_fields=["merged_into", "state"])
    _refresh(event)
    archive_record(
        action="events.event.merged",
        actor=actor,
        request=request,
        target=event,
        summary=_("Event %(id)s merged into this one") % {"id": other.pk},
        before=before,
        after={**_items(event), "merged": other.pk},
        now=now,
    )
    archive_record(
        action="events.event.merged_away",
        actor=actor,
        request=request,
        target=other,
        before=taken,
        after={"merged_into": event.pk, "state": other.state},
        now=now,
    )
    return event


@transaction.atomic
def event_link(
    *,
    event: Event,
    actor: User,
    task_id: int | None = None,
    report_id: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Link a task handed down or a report upward to the event (twice changes nothing)."""
    event_require(actor, event, "link")
    _check_state(event, "link")
    now = now or clock.now()
    after: dict[str, int] = {}
    if task_id:
        task = CountyTask.objects.filter(pk=task_id).first()
        if task is None:
            raise ValidationError(_("That task does not exist."))
        EventTask.objects.get_or_create(event=event, task=task)
        after["task"] = task.pk
    if report_id:
        report = IncidentReport.objects.filter(pk=report_id).first()
        if report is None:
            raise ValidationError(_("That report does not exist."))
        EventReport.objects.get_or_create(event=event, report=report)
        after["report"] = report.pk
    if not after:
        raise ValidationError(_("Choose a task or a report."))
    archive_record(action="events.event.linked", actor=actor, request=request, target=event, after=after, now=now)
    return event


@transaction.atomic
def event_close(*, event: Event, actor: User, request: HttpRequest | None = None, now: datetime | None = None) -> Event:
    event_require(actor, event, "close")
    now = now or clock.now()
    event = _locked(event)
    _check_state(event, "close")
    before = {"state": event.state}
    event.state = Event.State.CLOSED
    event.save(update_fields=["state"])
    archive_record(
        action="events.event.closed",
        actor=actor,
        request=request,
        target=event,
        before=before,
        after={"state": event.state},
        now=now,
    )
    return event


# --- Grading and clocks -----------------------------------------------------------------------


def clock_hours(level: str) -> dict[str, int]:
    """The response limits of a level, kind → hours (the admins' ResponseLimit rows)."""
    return dict(ResponseLimit.objects.filter(level=level).values_list("kind", "hours"))


@transaction.atomic
def event_grade(
    *,
    event: Event,
    actor: User,
    level: str,
    reason: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Event:
    """Set the level (研判) and its response clocks: each kind the level has is due its hours after
    the event was first seen. Regrading keeps met and escalated clocks, moves the others to the new
    level's limits and removes the unmet ones the new level does not have."""
    event_require(actor, event, "grade")
    now = now or clock.now()
    if level not in Level.values:
        raise ValidationError(_("Choose a level."))
    event = _locked(event)
    _check_state(event, "grade")
    before = {"level": event.level, "clocks": _clocks(event)}
    event.level, event.graded_at, event.graded_by, event.grading_reason = level, now, actor, reason.strip()
    if event.state == Event.State.ASSESSING:
        event.state = Event.State.HANDLING
    event.save(update_fields=["level", "graded_at", "graded_by", "grading_reason", "state"])
    hours = clock_hours(level)
    existing = {c.kind: c for c in EventClock.objects.filter(event=event)}
    for kind, clock_ in existing.items():
        if kind not in hours and clock_.met_at is None and clock_.escalated_at is None:
            clock_.delete()
    for kind, limit in hours.items():
        due_at = event.first_seen_at + timedelta(hours=limit)
        running = existing.get(kind)
        if running is None:
            EventClock.objects.create(event=event, kind=kind, due_at=due_at)
        elif running.met_at is None and running.escalated_at is None and running.due_at != due_at:
            running.due_at = due_at
            running.save(update_fields=["due_at"])
    archive_record(
        action="events.event.graded",
        actor=actor,
        request=request,
        target=event,
        summary=event.get_level_display(),
        before=before,
        after={"level": level, "reason": event.grading_reason, "clocks": _clocks(event)},
        now=now,
    )
    return event


def _clocks(event: Event) -> dict[str, str]:
    return {kind: due.isoformat() for kind, due in EventClock.objects.filter(event=event).values_list("kind", "due_at")}


@transaction.atomic
def event_respond(
    *,
    event: Event,
    actor: User,
    kind: str,
    responded_at: datetime,
    text: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> EventResponse:
    """Record a response (首次回应 / 权威信息发布 / 新闻回应); it meets the clock of its kind, if
    one runs and is not met yet, at the moment of the response."""
    event_require(actor, event, "respond")
    now = now or clock.now()
    if kind not in ClockKind.values:
        raise ValidationError(_("Choose the kind of response."))
    if not text.strip():
        raise ValidationError(_("Say what was published."))
    if responded_at > now:
        raise ValidationError(_("A response cannot be recorded before it is made."))
    event = _locked(event)
    _check_state(event, "respond")
    response = EventResponse.objects.create(
        event=event, kind=kind, responded_at=responded_at, text=text.strip(), recorded_by=actor, recorded_at=now
    )
    met = EventClock.objects.filter(event=event, kind=kind, met_at__isnull=True).update(met_at=responded_at)
    archive_record(
        action="events.event.responded",
        actor=actor,
        request=request,
        target=event,
        summary=f"{response.get_kind_display()}: {response.text[:150]}",
        after={"kind": kind, "responded_at": responded_at.isoformat(), "clock_met": bool(met)},
        now=now,
    )
    return response


CLOCK_TITLES = {
    ClockKind.FIRST_RESPONSE: lambda: _("Event first response overdue: %(title)s"),
    ClockKind.AUTHORITATIVE: lambda: _("Event authoritative information overdue: %(title)s"),
    ClockKind.PRESS: lambda: _("Event press response overdue: %(title)s"),
}


@transaction.atomic
def event_clocks_sweep(*, now: datetime | None = None) -> int:
    """Escalate every clock overdue at ``now`` (``due_at < now``, not met) of an open event, once:
    a conditional UPDATE claims it (``escalated_at`` set), so a second or concurrent sweep finds
    nothing. Each escalation notifies the office heads and the leaders in charge and is archived.
    Returns the number escalated."""
    now = now or clock.now()
    candidates = list(
        EventClock.objects.filter(clock_overdue_q(now), event_open_q("event"), escalated_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    EventClock.objects.filter(pk__in=candidates, escalated_at__isnull=True).update(escalated_at=now)
    clocks = list(EventClock.objects.filter(pk__in=candidates, escalated_at=now).select_related("event"))
    recipients = list(
        Person.objects.filter(role__in=[Role.OFFICE_HEAD, Role.LEADER], is_active=True, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for clock_ in clocks:
        event = clock_.event
        title = CLOCK_TITLES[ClockKind(clock_.kind)]() % {"title": event.title}
        for person in recipients:
            notification_create(
                recipient=person.user,
                kind=f"events.clock.{clock_.kind}",
                dedupe_key=f"events.clock:{clock_.pk}:{int(clock_.due_at.timestamp())}",
                title=title,
                body=_("Due %(due)s. Open the event: %(link)s")
                % {"due": clock_.due_at.isoformat(timespec="minutes"), "link": event.get_absolute_url()},
                link=reverse("events:event-detail", args=[event.pk]),
                now=now,
            )
        archive_record(
            action="events.eventclock.escalated",
            target=event,
            summary=title,
            after={
                "clock": clock_.pk,
                "kind": clock_.kind,
                "due_at": clock_.due_at.isoformat(),
                "recipients": [p.pk for p in recipients],
            },
            now=now,
        )
    return len(clocks)
