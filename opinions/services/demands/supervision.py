"""What the office head decides beside the round: hand-backs, extensions, merging duplicates, pressing."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from bureau import clock
from bureau.selectors import person_for
from bureau.types import AnyUser
from opinions.models import Demand, DemandPress
from opinions.policies import demand_require, press_recipient
from opinions.services.demand_rounds import (
    hand_back_decided,
    hand_back_record,
    round_current,
    round_extension_asked,
    round_extension_decided,
)
from opinions.services.demands._common import State, _lock, _notify, _record, _refuse_unless, _require
from opinions.services.demands.waiting import demand_notify_waiting


@transaction.atomic
def demand_hand_back(
    *, demand: Demand, actor: AnyUser, reason: str, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """The handler hands the demand back (退单) as not theirs; a supervisor accepts or refuses."""
    now = now or clock.now()
    _require(actor, "opinions.handle_demand")
    demand = _lock(demand)
    _refuse_unless(demand, (State.ASSIGNED,), _("Only a demand you have signed for can be handed back."))
    demand_require(actor, demand, "hand-back")
    if not reason.strip():
        raise ValidationError(_("Give the reason for handing the demand back."))
    demand.state, demand.handback_reason = State.HANDED_BACK, reason.strip()
    demand.save(update_fields=["state", "handback_reason"])
    hand_back_record(demand=demand, now=now, reason=demand.handback_reason)
    _record(
        "handed_back",
        actor=actor,
        demand=demand,
        before={"state": State.ASSIGNED},
        after={"state": demand.state, "reason": demand.handback_reason},
        request=request,
        now=now,
    )
    demand_notify_waiting(demand=demand, step="decide-hand-back", occasion=now.isoformat(), actor=actor, now=now)
    return demand


@transaction.atomic
def demand_decide_hand_back(
    *,
    demand: Demand,
    actor: AnyUser,
    accept: bool,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Accepted: the demand is unassigned again and taken off the department and section that handed
    it back, for someone else (it counts for whoever handles it next). Refused: it goes back to its
    handler and stays theirs. The hand-back record keeps who handed it back and the decision."""
    now = now or clock.now()
    demand_require(actor, demand, "decide-hand-back")
    demand = _lock(demand)
    _refuse_unless(demand, (State.HANDED_BACK,), _("There is no hand-back to decide."))
    before = {"state": demand.state, "handler_id": demand.handler_id}
    handler = demand.handler
    hand_back_decided(demand=demand, now=now, accept=accept, by=person_for(actor))
    if accept:
        demand.state, demand.handler, demand.assigned_at = State.RECEIVED, None, None
        demand.department = demand.section = None
    else:
        demand.state = State.ASSIGNED
    demand.save(update_fields=["state", "handler", "assigned_at", "department", "section"])
    _record(
        "hand_back_accepted" if accept else "hand_back_refused",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "note": note.strip()},
        request=request,
        now=now,
    )
    _notify(
        recipient_person=handler,
        demand=demand,
        key=f"hand_back_decided:{now.isoformat()}",
        title=(_("Hand-back accepted: %(subject)s") if accept else _("Hand-back refused: %(subject)s"))
        % {"subject": demand.notice_subject},
        body=note.strip(),
        now=now,
    )
    return demand


@transaction.atomic
def demand_request_extension(
    *,
    demand: Demand,
    actor: AnyUser,
    until: datetime,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """The handler asks, before the deadline has passed (at its second at the latest, the boundary of
    ``overdue_q``), for a later one; a supervisor decides. One request per round: a deadline once
    set is never replaced by a second request."""
    now = now or clock.now()
    _require(actor, "opinions.handle_demand")
    demand = _lock(demand)
    _refuse_unless(demand, (State.ASSIGNED,), _("Only a demand being handled can be extended."))
    demand_require(actor, demand, "extension")
    if now > demand.due_at:
        raise ValidationError(_("An extension must be asked for before the deadline."))
    if demand.extension_until is not None or round_current(demand).extension_asked_at is not None:
        raise ValidationError(_("An extension has already been asked for."))
    if until <= demand.due_at:
        raise ValidationError(_("The new deadline must be later than the current one."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."))
    demand.extension_until, demand.extension_reason = until, reason.strip()
    demand.save(update_fields=["extension_until", "extension_reason"])
    round_extension_asked(demand=demand, now=now, until=until, reason=demand.extension_reason)
    _record(
        "extension_requested",
        actor=actor,
        demand=demand,
        before={"due_at": demand.due_at.isoformat()},
        after={"until": until.isoformat(), "reason": demand.extension_reason},
        request=request,
        now=now,
    )
    demand_notify_waiting(demand=demand, step="decide-extension", occasion=now.isoformat(), actor=actor, now=now)
    return demand


@transaction.atomic
def demand_decide_extension(
    *,
    demand: Demand,
    actor: AnyUser,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Approved: the deadline in force moves (the only way it does; the round keeps its own deadline
    beside the extension), and a flag raised before is withdrawn if the new deadline is still ahead.
    Approved after the deadline passed, even after the reply, the extension still counts, as it was
    asked before: a request asked in time is decided whenever it is decided, so it never stays
    pending because the handler answered meanwhile. Refused: the deadline stands."""
    now = now or clock.now()
    demand_require(actor, demand, "decide-extension")
    demand = _lock(demand)
    if demand.extension_until is None:
        raise ValidationError(_("There is no extension request to decide."))
    _refuse_unless(demand, (*Demand.OPEN_STATES, State.REPLIED, State.COMPLETED), _("This demand is no longer open."))
    before = {"due_at": demand.due_at.isoformat()}
    decided = round_extension_decided(demand=demand, now=now, approve=approve)
    if approve and decided.number == demand.redo_count:  # the current round's deadline in force moves
        demand.due_at = demand.extension_until
        if demand.due_at > now:
            demand.overdue_at = demand.due_soon_at = None
            demand.escalation_level = 0
    demand.extension_until = None
    demand.save(update_fields=["due_at", "overdue_at", "due_soon_at", "escalation_level", "extension_until"])
    _record(
        "extension_approved" if approve else "extension_refused",
        actor=actor,
        demand=demand,
        before=before,
        after={"due_at": demand.due_at.isoformat(), "note": note.strip()},
        request=request,
        now=now,
    )
    _notify(
        recipient_person=demand.handler,
        demand=demand,
        key=f"extension_decided:{now.isoformat()}",
        title=(_("Extension approved: %(subject)s") if approve else _("Extension refused: %(subject)s"))
        % {"subject": demand.notice_subject},
        now=now,
    )
    return demand


@transaction.atomic
def demand_merge(
    *, demand: Demand, actor: AnyUser, into: Demand, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """并单: close the repeat ``demand`` as a duplicate (重复件) of ``into``, the original (which must
    not itself be merged). The repeat leaves the open and overdue lists and the sweep, and is counted
    only as 重复件 (``merged_q``); ``demand_unmerge`` gives it back its state."""
    now = now or clock.now()
    demand_require(actor, demand, "merge")
    if demand.pk == into.pk:
        raise ValidationError(_("A demand cannot be merged into itself."))
    first, second = sorted([demand.pk, into.pk])
    locked = {d.pk: d for d in Demand.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    demand, into = locked[demand.pk], locked[into.pk]
    _refuse_unless(demand, Demand.OPEN_STATES, _("Only an open demand can be merged."))
    if into.state == State.MERGED:
        raise ValidationError(_("That demand has itself been merged; merge into the one it was merged into."))
    before = {"state": demand.state}
    demand.state_before_merge, demand.state = demand.state, State.MERGED
    demand.duplicate_of, demand.merged_at = into, now
    demand.save(update_fields=["state", "state_before_merge", "duplicate_of", "merged_at"])
    _record(
        "merged",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "into": into.pk, "into_number": into.number},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_unmerge(
    *, demand: Demand, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """取消并单: a merged repeat becomes a demand of its own again, in the state it had when merged,
    with its own deadline (overdue at once if that passed meanwhile). Who may: as for merging."""
    now = now or clock.now()
    demand_require(actor, demand, "unmerge")
    demand = _lock(demand)
    _refuse_unless(demand, (State.MERGED,), _("Only a merged demand can be split off again."))
    into_id = demand.duplicate_of_id
    demand.state = demand.state_before_merge or State.RECEIVED
    demand.state_before_merge, demand.duplicate_of, demand.merged_at = "", None, None
    demand.save(update_fields=["state", "state_before_merge", "duplicate_of", "merged_at"])
    _record(
        "unmerged",
        actor=actor,
        demand=demand,
        before={"state": State.MERGED, "into": into_id},
        after={"state": demand.state},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_press(
    *, demand: Demand, actor: AnyUser, note: str = "", request: HttpRequest | None = None, now: datetime | None = None
) -> DemandPress:
    """A supervisor presses (督办) an open demand: its handler (or, unassigned, its section's owner)
    is told and the press recorded. With nobody to tell, the press is refused (ValidationError)."""
    now = now or clock.now()
    demand_require(actor, demand, "press")
    demand = _lock(demand)
    _refuse_unless(demand, Demand.OPEN_STATES, _("Only an open demand can be pressed."))
    recipient = press_recipient(demand)
    if recipient is None:
        raise ValidationError(_("Nobody handles this demand yet and its section has no owner: assign it first."))
    press = DemandPress.objects.create(
        demand=demand,
        step=DemandPress.Step.PRESSED,
        round=demand.redo_count,
        due_at=demand.due_at,
        created_at=now,
        by=person_for(actor),
        note=note.strip(),
    )
    _record("pressed", actor=actor, demand=demand, before={}, after={"note": press.note}, request=request, now=now)
    _notify(
        recipient_person=recipient,
        demand=demand,
        key=f"pressed:{press.pk}",
        title=_("Pressed by the office: %(subject)s") % {"subject": demand.notice_subject},
        body=press.note,
        now=now,
    )
    return press
