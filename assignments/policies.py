"""Who may do what, and when, to a task handed down, a report upward and the duty roster, written
once. The services call the ``*_require`` functions (a person who may not gets a PermissionDenied, a
403; a task or shift in the wrong state or time a ValidationError saying why); the detail pages ask
the ``*_actions`` functions which buttons to show, so a button appears exactly when the service
would accept.

Each rule answers None when it allows, or the sentence that says why not."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    HANDOVER_LATE_WINDOW,
    SIGN_IN_EARLY_WINDOW,
    CountyTask,
    IncidentReport,
    Shift,
    ShiftAssignment,
)
from bureau.selectors import person_for
from bureau.types import AnyUser

Refusal = str | Promise | None
State = CountyTask.State


def _require(who: Refusal, when: Callable[[], Refusal]) -> None:
    if who is not None:
        raise PermissionDenied(str(who))
    refusal = when()
    if refusal is not None:
        raise ValidationError(str(refusal))


def _permission(permission: str, message: Promise) -> Callable[[AnyUser, Any], Refusal]:
    return lambda user, obj: None if user.has_perm(permission) else message


# --- Tasks handed down ---------------------------------------------------------------------------


def _handles(message: Promise) -> Callable[[AnyUser, CountyTask], Refusal]:
    """The task's handler, or a supervisor who manages tasks."""

    def rule(user: AnyUser, task: CountyTask) -> Refusal:
        if task.handler.user_id == getattr(user, "pk", None) or user.has_perm("assignments.manage_tasks"):
            return None
        return message

    return rule


def _not_own_task(rule: Callable[[AnyUser, CountyTask], Refusal]) -> Callable[[AnyUser, CountyTask], Refusal]:
    """Four eyes: nobody approves (or sends back) the feedback on a task they handle themselves."""

    def checked(user: AnyUser, task: CountyTask) -> Refusal:
        if task.handler.user_id == getattr(user, "pk", None):
            return _("Nobody approves their own work: another leader approves this feedback.")
        return rule(user, task)

    return checked


def _task_state(test: Callable[[CountyTask], bool], message: Promise) -> Callable[[CountyTask], Refusal]:
    return lambda task: None if test(task) else message


TASK_WHO: dict[str, Callable[[AnyUser, CountyTask], Refusal]] = {
    "note": _handles(_("Only the handler or a supervisor can record progress.")),
    "attach": _handles(_("Only the handler or a supervisor can add files to this task.")),
    "feedback": _handles(_("Only the handler or a supervisor can submit the feedback.")),
    "link": _handles(_("Only the handler or a supervisor can link posts and demands to this task.")),
    "approve": _not_own_task(
        _permission("assignments.approve_feedback", _("Only a leader in charge can approve the feedback."))
    ),
    "send-back": _not_own_task(
        _permission("assignments.approve_feedback", _("Only a leader in charge can send the feedback back."))
    ),
    "close": _permission("assignments.manage_tasks", _("Only a supervisor can close a task.")),
    "reassign": _permission("assignments.manage_tasks", _("Only a supervisor can reassign a task.")),
}

_AWAITING_APPROVAL = _("There is no feedback awaiting approval on this task.")

TASK_WHEN: dict[str, Callable[[CountyTask], Refusal]] = {
    "note": _task_state(lambda task: task.is_open, _("The feedback on this task has already been approved.")),
    "attach": _task_state(
        lambda task: task.state != State.CLOSED, _("This task is closed: no more files can be added.")
    ),
    "feedback": _task_state(lambda task: task.is_with_handler, _("Feedback has already been submitted for this task.")),
    "link": lambda task: None,
    "approve": _task_state(lambda task: task.state == State.FEEDBACK_SUBMITTED, _AWAITING_APPROVAL),
    "send-back": _task_state(lambda task: task.state == State.FEEDBACK_SUBMITTED, _AWAITING_APPROVAL),
    "close": _task_state(
        lambda task: task.state == State.FEEDBACK_APPROVED,
        _("A task is closed after its feedback has been approved."),
    ),
    "reassign": _task_state(lambda task: task.is_open, _("This task is no longer open.")),
}


def county_task_may(user: AnyUser, task: CountyTask, action: str) -> bool:
    """Whether ``user`` may do ``action`` to this task at all, whatever its state."""
    return TASK_WHO[action](user, task) is None


def county_task_require(user: AnyUser, task: CountyTask, action: str) -> None:
    """PermissionDenied unless ``user`` may do ``action`` to this task; then ValidationError unless
    the task is in a state for it."""
    _require(TASK_WHO[action](user, task), lambda: TASK_WHEN[action](task))


def county_task_can(user: AnyUser, task: CountyTask, action: str) -> bool:
    """Whether ``user`` may do ``action`` now: they may, and the task is in a state for it."""
    return TASK_WHEN[action](task) is None and county_task_may(user, task, action)


def county_task_actions(user: AnyUser, task: CountyTask) -> dict[str, bool]:
    """For the detail page: every action name (with ``_`` for ``-``) → shown or not."""
    return {action.replace("-", "_"): county_task_can(user, task, action) for action in TASK_WHO}


# --- Reports upward ------------------------------------------------------------------------------

REPORT_WHO: dict[str, Callable[[AnyUser, IncidentReport], Refusal]] = {
    "follow-up": _permission("assignments.manage_reports", _("Only the office can add to a report upward.")),
    "link": _permission("assignments.manage_reports", _("Only the office can add to a report upward.")),
}


def incident_report_require(user: AnyUser, report: IncidentReport, action: str) -> None:
    """PermissionDenied unless ``user`` may do ``action`` to this report."""
    _require(REPORT_WHO[action](user, report), lambda: None)


def incident_report_actions(user: AnyUser, report: IncidentReport) -> dict[str, bool]:
    return {action.replace("-", "_"): REPORT_WHO[action](user, report) is None for action in REPORT_WHO}


# --- Duty ----------------------------------------------------------------------------------------

_MANAGES_ROSTER = _permission("assignments.manage_roster", _("Only the office head can change the roster."))


def roster_require(user: AnyUser) -> None:
    """PermissionDenied unless ``user`` may change the roster (assign, take off, swap, leave)."""
    _require(_MANAGES_ROSTER(user, None), lambda: None)


def _still_off_record(assignment: ShiftAssignment) -> Refusal:
    if assignment.signed_in_at is None:
        return None
    return _("%(person)s has already signed in for this shift.") % {"person": assignment.person}


def unassign_require(user: AnyUser, assignment: ShiftAssignment) -> None:
    """Taking someone off a shift: the office head, and only before they signed in (then they stay on record)."""
    _require(_MANAGES_ROSTER(user, assignment), lambda: _still_off_record(assignment))


def unassign_can(user: AnyUser, assignment: ShiftAssignment) -> bool:
    return _MANAGES_ROSTER(user, assignment) is None and _still_off_record(assignment) is None


def _sign_in_time(assignment: ShiftAssignment, now: datetime) -> Refusal:
    shift = assignment.shift
    if assignment.signed_in_at is not None:
        return _("You have already signed in for this shift.")
    if now < shift.starts_at - SIGN_IN_EARLY_WINDOW:
        return _("This shift has not started yet.")
    if now >= shift.ends_at:
        return _("This shift is over: it is too late to sign in.")
    return None


def _own(user: AnyUser, assignment: ShiftAssignment) -> Refusal:
    if assignment.person.user_id == getattr(user, "pk", None):
        return None
    return _("You can only sign in for your own shift.")


def sign_in_require(user: AnyUser, assignment: ShiftAssignment, *, now: datetime) -> None:
    """Signing in (签到): only for one's own shift, during it (or just before), once."""
    _require(_own(user, assignment), lambda: _sign_in_time(assignment, now))


def sign_in_open(assignment: ShiftAssignment, *, now: datetime) -> bool:
    """Whether the assignment can be signed in for now, whoever asks."""
    return _sign_in_time(assignment, now) is None


def sign_in_can(user: AnyUser, assignment: ShiftAssignment, *, now: datetime) -> bool:
    """The sign-in button: ``user``'s own assignment, and open for signing in now."""
    return _own(user, assignment) is None and sign_in_open(assignment, now=now)


def _on_shift(user: AnyUser, shift: Shift) -> Refusal:
    person = person_for(user)
    if person is None:
        return _("Your login is not linked to a person of the bureau.")
    if not ShiftAssignment.objects.filter(shift=shift, person=person).exists():
        return _("Only the people on this shift can write its handover note.")
    return None


def _handover_time(shift: Shift, now: datetime) -> Refusal:
    if shift.starts_at <= now <= shift.ends_at + HANDOVER_LATE_WINDOW:
        return None
    return _("A handover note is written during the shift or just after it.")


def handover_require(user: AnyUser, shift: Shift, *, now: datetime) -> None:
    """A handover note: only someone on the shift, while it runs or shortly after it ends."""
    _require(_on_shift(user, shift), lambda: _handover_time(shift, now))


def shift_actions(user: AnyUser, shift: Shift, *, now: datetime) -> dict[str, bool]:
    """For the shift's page: write the handover note, change who is on it."""
    return {
        "handover": _on_shift(user, shift) is None and _handover_time(shift, now) is None,
        "manage": _MANAGES_ROSTER(user, shift) is None,
    }
