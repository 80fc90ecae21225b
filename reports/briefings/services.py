"""Briefings: drafted by the system from a period's data (or an event's), edited by staff,
submitted, signed off by another leader (four eyes, ``reports.briefings.policies``), then sent to
the distribution list. Each change is archived inside its transaction; the signed text's SHA-256
is in the signed row and in its archive record. A signed briefing never changes (the model refuses,
and a PostgreSQL trigger backs it up).

The morning job (``briefings_draft_scheduled``) drafts yesterday's daily briefing, and on Mondays
last week's weekly one, for the office head; run twice it drafts each once (the (kind, first day)
of a scheduled draft is unique)."""

import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.routing import office_heads
from alerts.senders import SendFailed, robot_send
from alerts.services.delivery import LEASE, backoff
from archive.services import archive_record
from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import User
from bureau.notifications import notification_create
from events.models import Event
from events.selectors import event_page
from reports.briefings import text
from reports.briefings.policies import briefing_require
from reports.briefings.selectors import (
    briefing_default_day,
    briefing_figures,
    briefing_period,
    main_events,
    reports_upward,
)
from reports.dashboard.selectors import Period
from reports.models import Briefing, BriefingDelivery, BriefingRecipient, BriefingReturn

logger = logging.getLogger(__name__)

NOTICE_KIND = "reports.briefing"
RETURNED_NOTICE_KIND = "reports.briefing.returned"
SEND_DELIVERIES = "reports.tasks.briefing_deliveries_send_task"
PERIODIC_KINDS = (Briefing.Kind.DAILY, Briefing.Kind.WEEKLY, Briefing.Kind.MONTHLY)


def _locked(briefing: Briefing) -> Briefing:
    return Briefing.objects.select_for_update().get(pk=briefing.pk)


def _new_briefing(
    *,
    kind: str,
    period: Period,
    title: str,
    figures: dict,
    sections: dict,
    actor: User | None,
    now: datetime,
    by_schedule: bool = False,
    event: Event | None = None,
) -> Briefing:
    return Briefing.objects.create(
        kind=kind,
        event=event,
        first=period.first,
        last=period.last,
        title=title,
        figures=figures,
        sections=sections,
        drafted_at=now,
        drafted_by=actor,
        by_schedule=by_schedule,
        updated_at=now,
    )


def _draft_periodic(*, kind: str, day: date, actor: User | None, now: datetime, by_schedule: bool = False) -> Briefing:
    period = briefing_period(kind=kind, day=day)
    figures = briefing_figures(period=period, now=now)
    sections = text.periodic_sections(
        figures=figures, events=main_events(period=period), reports=reports_upward(period=period)
    )
    return _new_briefing(
        kind=kind,
        period=period,
        title=text.period_title(kind=kind, period=period),
        figures=figures.as_json(),
        sections=sections,
        actor=actor,
        now=now,
        by_schedule=by_schedule,
    )


def _unsigned(*, kind: str, period: Period, event: Event | None) -> Briefing | None:
    """The briefing of this kind and period (or this event's 专报) not yet signed off, if any: at
    most one, by the constraints ``briefing_unsigned_period_once`` and ``briefing_unsigned_event_once``."""
    unsigned = Briefing.objects.exclude(state=Briefing.State.SIGNED)
    if event is not None:
        return unsigned.filter(event=event).first()
    return unsigned.filter(kind=kind, first=period.first, last=period.last, event__isnull=True).first()


def _draft_once(
    *, kind: str, period: Period, event: Event | None, make: Callable[[], Briefing]
) -> tuple[Briefing, bool]:
    """``make()`` the draft unless an unsigned one exists for the period (or event); (briefing, True)
    if made now, (the existing one, False) if not. Two requests at once (a double click): the
    second's INSERT waits for the first's commit, then breaks the unique constraint, and gets the
    first's briefing."""
    existing = _unsigned(kind=kind, period=period, event=event)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return make(), True
    except IntegrityError:
        existing = _unsigned(kind=kind, period=period, event=event)
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def briefing_draft(
    *, actor: User, kind: str, day: date, request: HttpRequest | None = None, now: datetime | None = None
) -> tuple[Briefing, bool]:
    """Draft a daily, weekly or monthly briefing for the period holding ``day``; (briefing, True).
    If the period already has one not signed off, nothing is drafted: (that briefing, False)."""
    briefing_require(actor, None, "draft")
    now = now or clock.now()
    if kind not in PERIODIC_KINDS:
        raise ValidationError(_("Choose a daily, weekly or monthly briefing."))

    def make() -> Briefing:
        briefing = _draft_periodic(kind=kind, day=day, actor=actor, now=now)
        archive_record(
            action="reports.briefing.drafted",
            actor=actor,
            request=request,
            target=briefing,
            after={"kind": kind, "first": briefing.first.isoformat(), "last": briefing.last.isoformat()},
            now=now,
        )
        return briefing

    return _draft_once(kind=kind, period=briefing_period(kind=kind, day=day), event=None, make=make)


@transaction.atomic
def briefing_draft_special(
    *, actor: User, event: Event, request: HttpRequest | None = None, now: datetime | None = None
) -> tuple[Briefing, bool]:
    """Draft a 专报 for one event, from its page's data, covering its first sighting to today;
    (briefing, True). If the event has a 专报 not signed off, nothing is drafted: (that one, False)."""
    briefing_require(actor, None, "draft")
    now = now or clock.now()
    first = timezone.localdate(event.first_seen_at)
    period = Period("range", first, max(first, timezone.localdate(now)))

    def make() -> Briefing:
        page = event_page(event=event)
        reports = [link.report for link in page.reports]
        briefing = _new_briefing(
            kind=Briefing.Kind.SPECIAL,
            period=period,
            title=text.special_title(event.title),
            figures={"items": page.item_count, "channels": page.channels, "spread": page.spread},
            sections=text.special_sections(event=event, page=page, reports=reports),
            actor=actor,
            now=now,
            event=event,
        )
        archive_record(
            action="reports.briefing.drafted",
            actor=actor,
            request=request,
            target=briefing,
            after={"kind": Briefing.Kind.SPECIAL, "event": event.pk},
            now=now,
        )
        return briefing

    return _draft_once(kind=Briefing.Kind.SPECIAL, period=period, event=event, make=make)


@transaction.atomic
def briefing_edit(
    *,
    actor: User,
    briefing: Briefing,
    sections: dict[str, str],
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Briefing:
    """Replace the text sections the briefing's kind has (others are ignored); the editor is noted
    (and may then not sign it)."""
    briefing = _locked(briefing)
    briefing_require(actor, briefing, "edit")
    now = now or clock.now()
    keys = [key for key, _heading in text.section_specs(briefing.kind)]
    before = {key: briefing.sections.get(key, "") for key in keys}
    after = {key: str(sections.get(key, before[key])).strip() for key in keys}
    changed = [key for key in keys if before[key] != after[key]]
    briefing.sections = {**briefing.sections, **after}
    briefing.updated_at = now
    briefing.save(update_fields=["sections", "updated_at"])
    briefing.editors.add(actor)
    archive_record(
        action="reports.briefing.edited",
        actor=actor,
        request=request,
        target=briefing,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
        now=now,
    )
    return briefing


def _state_change(
    *,
    actor: User,
    briefing: Briefing,
    action: str,
    state: str,
    request: HttpRequest | None,
    now: datetime,
    summary: str = "",
    after: dict[str, object] | None = None,
    **fields: object,
) -> Briefing:
    briefing = _locked(briefing)
    briefing_require(actor, briefing, action)
    before = briefing.state
    briefing.state = state
    briefing.updated_at = now
    for name, value in fields.items():
        setattr(briefing, name, value)
    briefing.save(update_fields=["state", "updated_at", *fields])
    archive_record(
        action=f"reports.briefing.{action}ed" if action != "submit" else "reports.briefing.submitted",
        actor=actor,
        request=request,
        target=briefing,
        summary=summary,
        before={"state": before},
        after={"state": state, **(after or {})},
        now=now,
    )
    return briefing


@transaction.atomic
def briefing_submit(
    *, actor: User, briefing: Briefing, request: HttpRequest | None = None, now: datetime | None = None
) -> Briefing:
    """The draft is ready: it waits for a leader's sign-off (and is on the leaders' to-do list). A
    return it answers is closed (kept as history, with when it was submitted again)."""
    now = now or clock.now()
    briefing = _state_change(
        actor=actor,
        briefing=briefing,
        action="submit",
        state=Briefing.State.SUBMITTED,
        request=request,
        now=now,
        submitted_at=now,
    )
    BriefingReturn.objects.filter(briefing=briefing, resubmitted_at__isnull=True).update(resubmitted_at=now)
    return briefing


def _writers(briefing: Briefing) -> list[User]:
    """Who wrote the briefing: its drafter (none for the morning job's) and its editors, active."""
    people = {user.pk: user for user in briefing.editors.all()}
    if briefing.drafted_by is not None:
        people[briefing.drafted_by.pk] = briefing.drafted_by
    return [people[pk] for pk in sorted(people) if people[pk].is_active]


@transaction.atomic
def briefing_return(
    *,
    actor: User,
    briefing: Briefing,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Briefing:
    """A leader sends a submitted briefing back to be edited, saying what must change (ValidationError
    without a reason). The return is kept with its reason and archived; whoever drafted or edited the
    briefing is told (a notice, e-mailed by the notifications outbox)."""
    now = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for returning it: say what must change."))
    briefing = _state_change(
        actor=actor,
        briefing=briefing,
        action="return",
        state=Briefing.State.DRAFT,
        request=request,
        now=now,
        summary=reason[:200],
        after={"reason": reason},
        submitted_at=None,
    )
    returned = BriefingReturn.objects.create(briefing=briefing, returned_at=now, returned_by=actor, reason=reason)
    for person in _writers(briefing):
        if person.pk == actor.pk:
            continue
        notification_create(
            recipient=person,
            kind=RETURNED_NOTICE_KIND,
            dedupe_key=f"reports.briefing.returned:{briefing.pk}:{returned.pk}",
            title=_("Briefing returned for changes: %(title)s") % {"title": briefing.title},
            body=reason,
            link=briefing.get_absolute_url(),
            now=now,
        )
    return briefing


def signed_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


@transaction.atomic
def briefing_sign(
    *, actor: User, briefing: Briefing, request: HttpRequest | None = None, now: datetime | None = None
) -> Briefing:
    """Sign a submitted briefing off (not one the leader drafted or edited): the text as signed and
    its SHA-256 are stored and archived, and the distribution list is told (a notice with a link,
    e-mailed by the notifications outbox; a message to each chat robot through the briefing's outbox)."""
    briefing = _locked(briefing)
    briefing_require(actor, briefing, "sign")
    now = now or clock.now()
    content = text.signed_text(briefing)
    digest = signed_hash(content)
    briefing.state = Briefing.State.SIGNED
    briefing.signed_at, briefing.signed_by = now, actor
    briefing.signed_text, briefing.signed_sha256 = content, digest
    briefing.updated_at = now
    briefing.save(update_fields=["state", "signed_at", "signed_by", "signed_text", "signed_sha256", "updated_at"])
    archive_record(
        action="reports.briefing.signed",
        actor=actor,
        request=request,
        target=briefing,
        summary=_("Signed off, SHA-256 %(sha)s") % {"sha": digest},
        before={"state": Briefing.State.SUBMITTED},
        after={"state": Briefing.State.SIGNED, "sha256": digest},
        now=now,
    )
    _distribute(briefing, now=now)
    return briefing


def _distribute(briefing: Briefing, *, now: datetime) -> None:
    recipients = list(BriefingRecipient.objects.filter(is_active=True).select_related("user", "robot"))
    title = _("Briefing signed: %(title)s") % {"title": briefing.title}
    body = _("%(title)s has been signed off. Read it: %(link)s") % {
        "title": briefing.title,
        "link": _absolute(briefing.get_absolute_url()),
    }
    robots = []
    for entry in recipients:
        if entry.user is not None and entry.user.is_active:
            notification_create(
                recipient=entry.user,
                kind=NOTICE_KIND,
                dedupe_key=f"reports.briefing.signed:{briefing.pk}",
                title=title,
                body=body,
                link=briefing.get_absolute_url(),
                now=now,
            )
        elif entry.robot is not None and entry.robot.is_active:
            robots.append(BriefingDelivery(briefing=briefing, robot=entry.robot, created_at=now, next_attempt_at=now))
    if robots:
        BriefingDelivery.objects.bulk_create(robots, ignore_conflicts=True)
        transaction.on_commit(_publish_deliveries)


def _publish_deliveries() -> None:
    try:
        celery_app.send_task(SEND_DELIVERIES)
    except Exception:  # noqa: BLE001 - the broker is down: the beat job sends within a minute
        logger.warning("reports.briefing_publish_failed (the beat job will send)")


# --- The robots' outbox ---------------------------------------------------------------------------


def _claimable_q(now: datetime) -> Q:
    return Q(sent_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    )


def briefing_delivery_send(*, delivery_id: int, now: datetime | None = None) -> bool:
    """Claim and send one robot message; True if this call sent it (a refusal is retried later)."""
    now = now or clock.now()
    if not BriefingDelivery.objects.filter(_claimable_q(now), pk=delivery_id).update(claimed_at=now):
        return False
    delivery = BriefingDelivery.objects.select_related("briefing", "robot").get(pk=delivery_id)
    briefing = delivery.briefing
    title = _("Briefing signed: %(title)s") % {"title": briefing.title}
    body = _("%(title)s has been signed off. Read it: %(link)s") % {
        "title": briefing.title,
        "link": _absolute(briefing.get_absolute_url()),
    }
    try:
        robot_send(url=delivery.robot.url, title=title, body=body)
    except SendFailed as error:
        attempts = delivery.attempts + 1
        BriefingDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
            claimed_at=None, attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=str(error)[:300]
        )
        logger.warning("reports.briefing_delivery_failed id=%s attempt=%s: %s", delivery_id, attempts, error)
        return False
    BriefingDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
        sent_at=clock.now(), attempts=delivery.attempts + 1, last_error=""
    )
    return True


def briefing_deliveries_send(*, now: datetime | None = None, limit: int = 100) -> int:
    now = now or clock.now()
    due = list(
        BriefingDelivery.objects.filter(_claimable_q(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(briefing_delivery_send(delivery_id=pk, now=now) for pk in due)


# --- The morning job ------------------------------------------------------------------------------


def _scheduled(kind: str, day: date, now: datetime) -> Briefing | None:
    """Draft the scheduled briefing of ``kind`` for ``day`` unless it exists; None if it did."""
    period = briefing_period(kind=kind, day=day)
    if Briefing.objects.filter(kind=kind, first=period.first, by_schedule=True).exists():
        return None
    if _unsigned(kind=kind, period=period, event=None) is not None:  # staff drafted it already
        return None
    try:
        with transaction.atomic():
            briefing = _draft_periodic(kind=kind, day=day, actor=None, now=now, by_schedule=True)
            archive_record(
                action="reports.briefing.drafted",
                target=briefing,
                actor_name=_("Morning job"),
                after={"kind": kind, "first": briefing.first.isoformat(), "last": briefing.last.isoformat()},
                now=now,
            )
            for person in office_heads():
                notification_create(
                    recipient=person.user,
                    kind=NOTICE_KIND,
                    dedupe_key=f"reports.briefing.drafted:{briefing.pk}",
                    title=_("Briefing drafted: %(title)s") % {"title": briefing.title},
                    body=_("The system has drafted %(title)s. Check it, write the next steps and submit it.")
                    % {"title": briefing.title},
                    link=briefing.get_absolute_url(),
                    now=now,
                )
    except IntegrityError:  # drafted at the same moment by another delivery of the job, or by staff
        return None
    return briefing


def briefings_draft_scheduled(*, now: datetime | None = None) -> list[int]:
    """Yesterday's daily briefing, and on Monday last week's weekly one; the ids drafted now."""
    now = now or clock.now()
    today = timezone.localdate(now)
    drafted = [_scheduled(Briefing.Kind.DAILY, briefing_default_day(kind=Briefing.Kind.DAILY, today=today), now)]
    if today.weekday() == 0:
        weekly = briefing_default_day(kind=Briefing.Kind.WEEKLY, today=today)
        drafted.append(_scheduled(Briefing.Kind.WEEKLY, weekly, now))
    return [briefing.pk for briefing in drafted if briefing is not None]
