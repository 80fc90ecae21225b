"""Reads of the assignments app, each in a fixed number of queries, scoped to the user where it matters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from assignments import policies
from assignments.filters import CountyTaskFilter
from assignments.models import (
    CountyTask,
    CountyTaskQuerySet,
    HandoverNote,
    IncidentFollowUp,
    IncidentReport,
    Leave,
    ResponsePlan,
    Shift,
    ShiftAssignment,
    ShiftType,
    TaskAttachment,
    TaskNote,
)
from bureau import clock
from bureau.models import Person
from bureau.rates import rate
from bureau.selectors import person_for
from bureau.types import AnyUser
from opinions.selectors.demands import demands_visible
from opinions.selectors.posts import post_list

# Handover notes of shifts that ended this long before a shift starts are shown to it.
HANDOVER_LOOKBACK = timedelta(hours=24)


def shift_type_list(*, active_only: bool = True) -> QuerySet[ShiftType]:
    types = ShiftType.objects.all()
    return types.filter(is_active=True) if active_only else types


def duty_people() -> QuerySet[Person]:
    """The people who can be put on the roster."""
    return Person.objects.active().select_related("department")


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=ShiftAssignment.objects.select_related("person").order_by("person__sort_order", "person__name"),
    )


def shift_list(*, start: date, end: date) -> QuerySet[Shift]:
    """Shifts on days ``start``..``end`` with their people (for the calendars)."""
    return (
        Shift.objects.filter(on__gte=start, on__lte=end)
        .select_related("shift_type")
        .prefetch_related(_assignments_prefetch())
        .order_by("on", "shift_type__sort_order", "starts_at")
    )


def roster_shifts(*, start: date, end: date) -> QuerySet[Shift]:
    """Shifts on days ``start``..``end`` with their people, departments and phones (the printed
    and exported rosters)."""
    people = ShiftAssignment.objects.select_related("person", "person__department").order_by(
        "person__sort_order", "person__name"
    )
    return (
        Shift.objects.filter(on__gte=start, on__lte=end)
        .select_related("shift_type")
        .prefetch_related(Prefetch("assignments", queryset=people))
        .order_by("on", "shift_type__sort_order", "starts_at")
    )


def shift_detail(*, pk: int) -> Shift:
    return Shift.objects.select_related("shift_type").prefetch_related(_assignments_prefetch()).get(pk=pk)


def on_duty_now(*, now: datetime | None = None) -> QuerySet[ShiftAssignment]:
    """Who is on duty at this moment, with how to reach them."""
    now = now or clock.now()
    return (
        ShiftAssignment.objects.filter(shift__starts_at__lte=now, shift__ends_at__gt=now)
        .select_related("person", "person__department", "shift", "shift__shift_type")
        .order_by("shift__starts_at", "person__sort_order")
    )


def upcoming_assignments(*, person: Person, now: datetime | None = None, limit: int = 10) -> list[ShiftAssignment]:
    """The person's current and next shifts."""
    now = now or clock.now()
    return list(
        ShiftAssignment.objects.filter(person=person, shift__ends_at__gt=now)
        .select_related("shift", "shift__shift_type")
        .order_by("shift__starts_at")[:limit]
    )


def my_shifts_ahead(*, person: Person | None, now: datetime | None = None, days: int = 7) -> QuerySet[ShiftAssignment]:
    """The person's shifts now on or starting within ``days`` (their to-do list's "my shifts")."""
    now = now or clock.now()
    if person is None:
        return ShiftAssignment.objects.none()
    return (
        ShiftAssignment.objects.filter(
            person=person, shift__ends_at__gt=now, shift__starts_at__lt=now + timedelta(days=days)
        )
        .select_related("shift", "shift__shift_type")
        .order_by("shift__starts_at", "pk")
    )


def next_shifts(*, now: datetime | None = None) -> list[Shift]:
    """The shift (or the shifts, when several start together) that starts next after ``now``, each
    with its people and how to reach them: whom the person on duty calls. Two queries."""
    now = now or clock.now()
    upcoming = Shift.objects.filter(starts_at__gt=now).order_by("starts_at")
    starts_at = upcoming.values_list("starts_at", flat=True).first()
    if starts_at is None:
        return []
    people = ShiftAssignment.objects.select_related("person", "person__department").order_by(
        "person__sort_order", "person__name"
    )
    return list(
        Shift.objects.filter(starts_at=starts_at)
        .select_related("shift_type")
        .prefetch_related(Prefetch("assignments", queryset=people))
        .order_by("shift_type__sort_order", "pk")
    )


@dataclass
class MyDuty:
    """The person's own duty, as the duty pages show it (``my_duty``)."""

    assignments: list[tuple[ShiftAssignment, bool]]  # current and coming shifts, each with "may sign in now"
    current: ShiftAssignment | None  # the shift the person is on at this moment
    may_hand_over: bool  # the current shift's handover note may be written now
    handover_for_me: list[HandoverNote]  # what the shifts before the current (or next) one passed on


def my_duty(*, user: AnyUser, person: Person | None, now: datetime | None = None) -> MyDuty:
    """The person's current and coming shifts, whether they may sign in or hand over (the policies
    decide), and the handover notes waiting for them."""
    now = now or clock.now()
    mine = upcoming_assignments(person=person, now=now) if person else []
    current = next((a for a in mine if a.shift.starts_at <= now), None)
    coming = current or (mine[0] if mine else None)
    return MyDuty(
        assignments=[(a, policies.sign_in_can(user, a, now=now)) for a in mine],
        current=current,
        may_hand_over=current is not None and policies.shift_actions(user, current.shift, now=now)["handover"],
        handover_for_me=list(handover_notes_for(shift=coming.shift)) if coming else [],
    )


def sign_in_open(*, assignment: ShiftAssignment, now: datetime | None = None) -> bool:
    """Whether the assignment can be signed in for now (``assignments.policies`` says when)."""
    return policies.sign_in_open(assignment, now=now or clock.now())


def handover_notes_for(*, shift: Shift) -> QuerySet[HandoverNote]:
    """What the shifts before this one passed on: notes of shifts that ended in the 24 hours
    before it started (or that overlap its start), newest first."""
    return (
        HandoverNote.objects.filter(
            shift__ends_at__gt=shift.starts_at - HANDOVER_LOOKBACK, shift__starts_at__lt=shift.starts_at
        )
        .exclude(shift=shift)
        .select_related("author", "shift", "shift__shift_type")
    )


def handover_notes_recent(*, now: datetime | None = None, hours: int = 24) -> QuerySet[HandoverNote]:
    now = now or clock.now()
    return HandoverNote.objects.filter(created_at__gt=now - timedelta(hours=hours), created_at__lte=now).select_related(
        "author", "shift", "shift__shift_type"
    )


def handover_notes_of(*, shift: Shift) -> QuerySet[HandoverNote]:
    return HandoverNote.objects.filter(shift=shift).select_related("author")


def leave_list(*, since: date | None = None) -> QuerySet[Leave]:
    leaves = Leave.objects.select_related("person", "person__department")
    if since is not None:
        leaves = leaves.filter(ends_on__gte=since)
    return leaves.order_by("starts_on", "person__sort_order")


def duty_gaps(*, now: datetime | None = None, days: int = 14) -> dict:
    """The gaps supervisors must see: missing or late sign-ins of the last ``days`` days and
    shifts (current or coming) with too few people."""
    now = now or clock.now()
    since = now - timedelta(days=days)
    unsigned = (
        ShiftAssignment.objects.filter(signed_in_at=None, shift__sign_in_due_at__lt=now, shift__starts_at__gte=since)
        .select_related("person", "shift", "shift__shift_type")
        .order_by("-shift__starts_at")
    )
    late = (
        ShiftAssignment.objects.filter(
            signed_in_at__isnull=False, shift__starts_at__gte=since, signed_in_at__gt=F("shift__sign_in_due_at")
        )
        .select_related("person", "shift", "shift__shift_type")
        .order_by("-shift__starts_at")
    )
    understaffed = (
        Shift.objects.filter(ends_at__gt=now, starts_at__lt=now + timedelta(days=days))
        .annotate(filled=Count("assignments"))
        .filter(filled__lt=F("people_needed"))
        .select_related("shift_type")
        .order_by("starts_at")
    )
    return {"unsigned": unsigned, "late": late, "understaffed": understaffed}


@dataclass(frozen=True)
class SignInFigures:
    """Sign-ins of the assignments on shifts starting in a period — the one definition of the
    sign-in rate (签到率), read by the dashboard, the assessment, the summary and the workbook alike:

    - on time: signed in by the shift's sign-in deadline; late: signed in after it;
    - missed: the shift ended without a sign-in; pending: not signed in, the shift not over yet;
    - due = on time + late + missed (a pending sign-in is not due yet);
    - sign-in rate = on time ÷ due, through ``bureau.rates.rate`` (None when nothing was due);
      late and missed are shown beside it."""

    on_time: int
    late: int
    missed: int
    pending: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def sign_in_rate(self) -> Decimal | None:
        return rate(self.on_time, self.due)


@dataclass(frozen=True)
class DutyFigures(SignInFigures):
    """Duty figures for a period: shifts whose start falls in it, and their sign-ins."""

    shifts: int
    understaffed_shifts: int
    assignments: int


def _assignments_in(start: datetime, end: datetime) -> QuerySet[ShiftAssignment]:
    return ShiftAssignment.objects.filter(shift__starts_at__gte=start, shift__starts_at__lt=end)


def _sign_in_counts(now: datetime) -> dict:
    """The counts of ``SignInFigures``, defined once (plus the assignments' total)."""
    signed = Q(signed_in_at__isnull=False)
    due = F("shift__sign_in_due_at")
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=signed & Q(signed_in_at__lte=due)),
        "late": Count("pk", filter=signed & Q(signed_in_at__gt=due)),
        "missed": Count("pk", filter=Q(signed_in_at=None, shift__ends_at__lte=now)),
        "pending": Count("pk", filter=Q(signed_in_at=None, shift__ends_at__gt=now)),
    }


# The department a shift or task counted for when it happened (stored on the row when the person
# was put on it); a row written without one (bulk loads) falls back to the person's department now.
SHIFT_DEPARTMENT = Coalesce("department_id", "person__department_id")
TASK_DEPARTMENT = Coalesce("department_id", "handler__department_id")


def sign_ins_by_department(
    *, start: datetime, end: datetime, now: datetime | None = None
) -> dict[int | None, SignInFigures]:
    """``duty_figures``' sign-ins per department the shift was worked for at the time (a person who
    moved later does not take last year's sign-ins along): {department id: figures}. One query."""
    rows = (
        _assignments_in(start, end)
        .annotate(counted_for=SHIFT_DEPARTMENT)
        .values("counted_for")
        .annotate(**_sign_in_counts(now or clock.now()))
        .order_by()
    )
    return {
        row["counted_for"]: SignInFigures(
            on_time=row["on_time"], late=row["late"], missed=row["missed"], pending=row["pending"]
        )
        for row in rows
    }


def duty_figures(*, start: datetime, end: datetime, now: datetime | None = None) -> DutyFigures:
    """Shifts, sign-ins on time, late and missed for shifts starting in [start, end). Three queries."""
    now = now or clock.now()
    in_period = Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
    shifts = {
        "total": in_period.count(),
        "understaffed": in_period.annotate(filled=Count("assignments")).filter(filled__lt=F("people_needed")).count(),
    }
    counts = _assignments_in(start, end).aggregate(**_sign_in_counts(now))
    return DutyFigures(
        shifts=shifts["total"],
        understaffed_shifts=shifts["understaffed"],
        assignments=counts["total"],
        on_time=counts["on_time"],
        late=counts["late"],
        missed=counts["missed"],
        pending=counts["pending"],
    )


# --- Tasks handed down ----------------------------------------------------------------------------


def county_task_list(*, user: AnyUser, filters: dict | None = None) -> QuerySet[CountyTask]:
    """The tasks the user may see: all of them with ``view_all_tasks``, else the ones they handle;
    ``filters`` (query parameters) go through ``CountyTaskFilter``."""
    if not user.is_authenticated or not user.has_perm("assignments.view_tasks"):
        return CountyTask.objects.none()
    tasks = CountyTask.objects.select_related("handler", "handler__department")
    if not user.has_perm("assignments.view_all_tasks"):
        tasks = tasks.filter(handler__user=user)
    if filters:
        tasks = CountyTaskFilter(filters, queryset=tasks).qs
    return tasks.annotate(attachment_count=Count("attachments", distinct=True)).order_by("-received_at", "-pk")


def county_task_for_user(*, user: AnyUser, pk: int) -> CountyTask:
    """One task the user may see, with its notes and attachments; raises DoesNotExist otherwise."""
    return (
        county_task_list(user=user)
        .select_related("feedback_approved_by", "created_by")
        .prefetch_related(
            Prefetch("notes", queryset=TaskNote.objects.select_related("author")),
            Prefetch("attachments", queryset=TaskAttachment.objects.select_related("uploaded_by")),
            "posts",
            "demands",
        )
        .get(pk=pk)
    )


def task_attachment_for_user(*, user: AnyUser, pk: int) -> TaskAttachment:
    """An attachment of a task the user may see; raises DoesNotExist otherwise."""
    visible = county_task_list(user=user).filter(pk=OuterRef("task_id"))
    return TaskAttachment.objects.filter(Exists(visible)).get(pk=pk)


def county_task_figures(*, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """Tasks received in [start, end): by type, handled (feedback approved), on time, overdue. One query."""
    return _tasks_in(start, end).aggregate(**_task_counts(now or clock.now()))


def county_tasks_by_department(*, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """``county_task_figures`` per department the task was handled for at the time (see
    ``TASK_DEPARTMENT``): {department id: counts}. One query."""
    rows = (
        _tasks_in(start, end)
        .annotate(counted_for=TASK_DEPARTMENT)
        .values("counted_for")
        .annotate(**_task_counts(now or clock.now()))
    )
    return {row.pop("counted_for"): row for row in rows.order_by()}


def _tasks_in(start: datetime, end: datetime) -> QuerySet[CountyTask]:
    return CountyTask.objects.filter(received_at__gte=start, received_at__lt=end)


def _task_counts(now: datetime) -> dict:
    """The figures of tasks handed down, defined once."""
    approved = Q(feedback_approved_at__isnull=False)
    return {
        "received": Count("pk"),
        "special_reports": Count("pk", filter=Q(kind=CountyTask.Kind.SPECIAL_REPORT)),
        "assignments": Count("pk", filter=Q(kind=CountyTask.Kind.ASSIGNMENT)),
        "other": Count("pk", filter=Q(kind=CountyTask.Kind.OTHER)),
        "handled": Count("pk", filter=approved),
        "on_time": Count("pk", filter=approved & Q(feedback_approved_at__lte=F("due_at"))),
        "overdue": Count("pk", filter=CountyTaskQuerySet.overdue_q(at=now)),
    }


# --- Reports upward -----------------------------------------------------------------------------


def incident_report_list(*, user: AnyUser) -> QuerySet[IncidentReport]:
    if not user.is_authenticated or not user.has_perm("assignments.view_reports"):
        return IncidentReport.objects.none()
    return (
        IncidentReport.objects.select_related("reported_by", "response_plan")
        .annotate(follow_up_count=Count("follow_ups"))
        .order_by("-reported_at", "-pk")
    )


def incident_report_for_user(*, user: AnyUser, pk: int) -> IncidentReport:
    return (
        incident_report_list(user=user)
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=IncidentFollowUp.objects.select_related("reported_by"),
            ),
            "posts",
            "demands",
        )
        .get(pk=pk)
    )


# A major (重大) report upward stays on the leaders' to-do list this long after it was recorded.
MAJOR_REPORT_TODO_DAYS = 7


def major_reports_recent(*, user: AnyUser, now: datetime | None = None) -> QuerySet[IncidentReport]:
    """Major (重大) incidents reported upward in the last ``MAJOR_REPORT_TODO_DAYS`` days, for leaders."""
    now = now or clock.now()
    person = person_for(user) if user.is_authenticated else None
    if person is None or not person.is_leader:
        return IncidentReport.objects.none()
    return (
        incident_report_list(user=user)
        .filter(level=IncidentReport.Level.MAJOR, created_at__gte=now - timedelta(days=MAJOR_REPORT_TODO_DAYS))
        .order_by("-reported_at", "-pk")
    )


def feedback_to_approve(*, user: AnyUser) -> QuerySet[CountyTask]:
    """Tasks handed down whose feedback waits for a leader's approval, longest waiting first."""
    if not user.is_authenticated or not user.has_perm("assignments.approve_feedback"):
        return CountyTask.objects.none()
    return (
        CountyTask.objects.filter(state=CountyTask.State.FEEDBACK_SUBMITTED)
        .select_related("handler")
        .order_by("feedback_submitted_at", "pk")
    )


def response_plan_list(*, active_only: bool = False) -> QuerySet[ResponsePlan]:
    plans = ResponsePlan.objects.all()
    return plans.filter(is_active=True) if active_only else plans


def response_plan_for_user(*, user: AnyUser, pk: int) -> ResponsePlan:
    if not user.has_perm("assignments.view_reports"):
        raise ResponsePlan.DoesNotExist
    return ResponsePlan.objects.get(pk=pk)


def opinion_link_choices(*, user: AnyUser, limit: int = 200) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The recent posts and demands a user may link to a task or report, newest first."""
    _filter, posts = post_list(user=user)
    post_choices = [
        (pk, f"#{pk} {found_at:%Y-%m-%d} {title}")
        for pk, found_at, title in posts.values_list("pk", "found_at", "title")[:limit]
    ]
    demand_choices = [
        (pk, f"#{pk} {received_at:%Y-%m-%d} {subject}")
        for pk, received_at, subject in demands_visible(user=user)
        .order_by("-received_at", "-pk")
        .values_list("pk", "received_at", "subject")[:limit]
    ]
    return post_choices, demand_choices
