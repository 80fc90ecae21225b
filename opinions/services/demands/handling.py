"""One handling round: sign for, assign, reply, review, sign off, complete and call back."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from bureau import clock
from bureau.models import Person
from bureau.search import SEARCH_COLUMNS, search_fill
from bureau.selectors import person_for
from bureau.types import AnyUser
from opinions.models import Demand, ReplyTemplate
from opinions.policies import demand_require
from opinions.selectors.proofing import demand_reply_texts
from opinions.services.calendar import needs_review, reply_deadline
from opinions.services.demand_rounds import call_back_record, round_replied, round_signed_for, round_start
from opinions.services.demands._common import State, _lock, _notify, _record, _refuse_unless, _require
from opinions.services.demands.waiting import demand_notify_waiting
from proofing.services import proof_acknowledge, proof_require_clear


@transaction.atomic
def demand_claim(
    *, demand: Demand, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """The handler signs for (签收) an unassigned demand. Two at once: one wins, the other is told who."""
    now = now or clock.now()
    demand_require(actor, demand, "claim")
    person = person_for(actor)
    assert person is not None  # demand_require: "claim" is refused to a login without a person
    demand = _lock(demand)
    if demand.handler_id is not None and demand.state != State.RECEIVED:
        assert demand.handler is not None  # its handler_id is set
        raise ValidationError(_("This demand has already been signed for by %(name)s.") % {"name": demand.handler.name})
    _refuse_unless(demand, (State.RECEIVED,), _("This demand can no longer be signed for."))
    before = {"state": demand.state, "handler_id": demand.handler_id}
    demand.state, demand.handler, demand.assigned_at = State.ASSIGNED, person, now
    demand.department_id = demand.department_id or person.department_id
    demand.save(update_fields=["state", "handler", "assigned_at", "department"])
    round_signed_for(demand=demand, now=now, dispatched=False)
    _record(
        "claimed",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "handler_id": person.pk},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_assign(
    *, demand: Demand, actor: AnyUser, handler: Person, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """A supervisor assigns (派单) or reassigns an open demand; the new handler is told."""
    now = now or clock.now()
    demand_require(actor, demand, "assign")
    demand = _lock(demand)
    _refuse_unless(
        demand, (State.RECEIVED, State.ASSIGNED, State.HANDED_BACK), _("Only an open demand can be assigned.")
    )
    if not handler.is_active:
        raise ValidationError(_("This person is no longer active."))
    if demand.handler_id == handler.pk and demand.state == State.ASSIGNED:
        raise ValidationError(_("This demand is already assigned to %(name)s.") % {"name": handler.name})
    action = "reassigned" if demand.handler_id else "assigned"
    before = {"state": demand.state, "handler_id": demand.handler_id}
    demand.state, demand.handler, demand.assigned_at = State.ASSIGNED, handler, now
    demand.department_id = handler.department_id
    demand.handback_reason = ""
    demand.save(update_fields=["state", "handler", "assigned_at", "department", "handback_reason"])
    round_signed_for(demand=demand, now=now, dispatched=True)
    _record(
        action,
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "handler_id": handler.pk},
        request=request,
        now=now,
    )
    _notify(
        recipient_person=handler,
        demand=demand,
        key=f"assigned:{handler.pk}:{now.isoformat()}",
        title=_("A demand was assigned to you: %(subject)s") % {"subject": demand.notice_subject},
        now=now,
    )
    return demand


@transaction.atomic
def demand_reply(
    *,
    demand: Demand,
    actor: AnyUser,
    reply_text: str,
    notes: str = "",
    reply_template: ReplyTemplate | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Record the reply given publicly. If the kind's replies are reviewed, it waits for review and
    counts only once approved. A replied, merged or completed demand cannot be replied to again,
    so a double-clicked submit replies once. Proofreading hits in the reply warn, never block, here
    (the page shows them); a reviewed reply is not approved while one is open (``demand_review``).
    ``reply_template``: the template (答复口径) the reply was built from; it is counted as used once
    more (the reply form's list puts the most used first)."""
    now = now or clock.now()
    _require(actor, "opinions.handle_demand")
    demand = _lock(demand)
    if demand.state in (State.REPLIED, State.COMPLETED, State.IN_REVIEW):
        raise ValidationError(_("This demand has already been answered."))
    _refuse_unless(demand, Demand.REPLYABLE_STATES, _("Sign for this demand before replying."))
    demand_require(actor, demand, "reply")
    person = person_for(actor)
    reply_text = reply_text.strip()
    if not reply_text:
        raise ValidationError(_("Write the reply that was given."))
    before = {"state": demand.state}
    demand.reply_text, demand.internal_notes, demand.reply_submitted_by = reply_text, notes.strip(), person
    if needs_review(demand.kind):
        demand.state = State.IN_REVIEW
        action = "reply_submitted"
    else:
        demand.state, demand.replied_at = State.REPLIED, now
        demand.first_replied_at = demand.first_replied_at or now
        round_replied(demand=demand, now=now, by=person)
        action = "replied"
    search_fill(demand)  # the reply is searched with the demand
    demand.save(
        update_fields=[
            "state",
            "reply_text",
            "internal_notes",
            "reply_submitted_by",
            "replied_at",
            "first_replied_at",
            *SEARCH_COLUMNS,
        ]
    )
    after: dict[str, object] = {"state": demand.state, "reply": reply_text[:500]}
    if reply_template is not None:
        # F(): two replies at once from one template both count.
        ReplyTemplate.objects.filter(pk=reply_template.pk).update(use_count=F("use_count") + 1)
        after["reply_template_id"] = reply_template.pk
    _record(action, actor=actor, demand=demand, before=before, after=after, request=request, now=now)
    if demand.state == State.IN_REVIEW:
        demand_notify_waiting(demand=demand, step="review", occasion=now.isoformat(), actor=actor, now=now)
    elif demand.needs_sign_off:
        demand_notify_waiting(
            demand=demand, step="sign-off", occasion=f"round{demand.redo_count}", actor=actor, now=now
        )
    return demand


@transaction.atomic
def demand_review(
    *,
    demand: Demand,
    actor: AnyUser,
    approve: bool,
    opinion: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """A spokesperson or leader in charge approves the reply (it now counts as given) or sends it
    back to the handler with an opinion."""
    now = now or clock.now()
    demand_require(actor, demand, "review")
    person = person_for(actor)
    demand = _lock(demand)
    demand_require(actor, demand, "review")  # again on the locked row: who wrote the reply is known now
    _refuse_unless(demand, (State.IN_REVIEW,), _("There is no reply awaiting review."))
    if not approve and not opinion.strip():
        raise ValidationError(_("Say why the reply is sent back."))
    if approve:
        proof_require_clear(subject=demand, texts=demand_reply_texts(demand))  # checked again, as it stands
    before = {"state": demand.state}
    demand.reviewed_by, demand.review_opinion = person, opinion.strip()
    if approve:
        demand.state, demand.replied_at = State.REPLIED, now
        demand.first_replied_at = demand.first_replied_at or now
        round_replied(demand=demand, now=now, by=demand.reply_submitted_by)
    else:
        demand.state = State.ASSIGNED
    demand.save(update_fields=["state", "reviewed_by", "review_opinion", "replied_at", "first_replied_at"])
    _record(
        "reply_approved" if approve else "reply_refused",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "opinion": demand.review_opinion},
        request=request,
        now=now,
    )
    if approve:
        step = "sign-off" if demand.needs_sign_off else "complete"
        demand_notify_waiting(demand=demand, step=step, occasion=f"round{demand.redo_count}", actor=actor, now=now)
    if not approve:
        _notify(
            recipient_person=demand.handler,
            demand=demand,
            key=f"review_refused:{now.isoformat()}",
            title=_("Your reply was sent back: %(subject)s") % {"subject": demand.notice_subject},
            body=demand.review_opinion,
            now=now,
        )
    return demand


@transaction.atomic
def demand_proof_acknowledge(
    *,
    demand: Demand,
    actor: AnyUser,
    reasons: Mapping[str, str],
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """The handler or a reviewer records that proofreading hits in the reply awaiting review stay
    as written, and why (``reasons``: each hit's key and its reason; all or none). Who may:
    ``proof-acknowledge`` in ``opinions/policies.py``."""
    demand = _lock(demand)
    demand_require(actor, demand, "proof-acknowledge")
    _refuse_unless(demand, (State.IN_REVIEW,), _("There is no reply awaiting review."))
    proof_acknowledge(
        actor=actor, subject=demand, texts=demand_reply_texts(demand), reasons=reasons, request=request, now=now
    )
    return demand


@transaction.atomic
def demand_sign_off(
    *, demand: Demand, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> Demand:
    """A leader in charge signs off a criticism or complaint about the bureau before completion."""
    now = now or clock.now()
    demand_require(actor, demand, "sign-off")
    demand = _lock(demand)
    demand_require(actor, demand, "sign-off")  # again on the locked row: whose work it is is known now
    if not demand.needs_sign_off:
        raise ValidationError(_("This demand needs no leader's sign-off."))
    if demand.signed_off_at is not None:
        raise ValidationError(_("This demand has already been signed off."))
    _refuse_unless(demand, (State.REPLIED,), _("A demand is signed off after it has been replied to."))
    demand.signed_off_by, demand.signed_off_at = person_for(actor), now
    demand.save(update_fields=["signed_off_by", "signed_off_at"])
    _record("signed_off", actor=actor, demand=demand, before={}, after={"signed_off": True}, request=request, now=now)
    demand_notify_waiting(demand=demand, step="complete", occasion=f"round{demand.redo_count}", actor=actor, now=now)
    return demand


@transaction.atomic
def demand_complete(
    *,
    demand: Demand,
    actor: AnyUser,
    resolution: str,
    measures: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Complete (办结) a replied demand with how it was resolved. Criticism and complaints about
    the bureau need a leader's sign-off first."""
    now = now or clock.now()
    _require(actor, "opinions.handle_demand")
    demand = _lock(demand)
    _refuse_unless(demand, (State.REPLIED,), _("Only a replied demand can be completed."))
    demand_require(actor, demand, "complete")
    if demand.needs_sign_off and demand.signed_off_at is None:
        raise ValidationError(_("A leader in charge must sign this demand off before it is completed."))
    if not resolution.strip():
        raise ValidationError(_("Say how the demand was resolved."))
    before = {"state": demand.state}
    demand.state, demand.completed_at = State.COMPLETED, now
    demand.resolution, demand.measures = resolution.strip(), measures.strip() or demand.measures
    demand.save(update_fields=["state", "completed_at", "resolution", "measures"])
    _record(
        "completed",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "resolution": demand.resolution[:500]},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_call_back(
    *,
    demand: Demand,
    actor: AnyUser,
    satisfaction: str,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Record a call-back attempt (回访), each its own record. Unreachable: the citizen may be called
    again. Unsatisfied reopens the case for handling again (重办): a new round, back to its handler
    with its own deadline from a fresh reply window; the earlier rounds' deadlines stay as they were."""
    now = now or clock.now()
    demand_require(actor, demand, "call-back")
    demand = _lock(demand)
    _refuse_unless(demand, (State.COMPLETED,), _("Only a completed demand can be called back."))
    if demand.called_back_at is not None and demand.satisfaction != Demand.Satisfaction.UNREACHABLE:
        raise ValidationError(_("This demand has already been called back."))
    if satisfaction not in Demand.Satisfaction.values:
        raise ValidationError(_("Choose the citizen's satisfaction."))
    before = {"state": demand.state, "satisfaction": demand.satisfaction}
    call_back_record(demand=demand, now=now, result=satisfaction, by=person_for(actor), note=note.strip())
    demand.satisfaction, demand.called_back_at = satisfaction, now
    fields = ["satisfaction", "called_back_at"]
    action = "called_back"
    if satisfaction == Demand.Satisfaction.UNSATISFIED:
        action = "reopened"
        demand.state = State.ASSIGNED
        demand.redo_count += 1
        demand.replied_at = demand.completed_at = demand.signed_off_at = demand.signed_off_by = None
        demand.called_back_at = None  # the archive keeps the unsatisfied call-back
        demand.overdue_at = demand.due_soon_at = None
        demand.escalation_level = 0
        demand.due_at = reply_deadline(kind=demand.kind, received_at=now)
        fields += [
            "state",
            "redo_count",
            "replied_at",
            "completed_at",
            "signed_off_at",
            "signed_off_by",
            "overdue_at",
            "due_soon_at",
            "escalation_level",
            "due_at",
        ]
    demand.save(update_fields=fields)
    if action == "reopened":
        round_start(demand=demand, number=demand.redo_count, started_at=now, due_at=demand.due_at)
    _record(
        action,
        actor=actor,
        demand=demand,
        before=before,
        # A redo's deadline is recorded with it: the handling form's history of rounds reads it.
        after={"state": demand.state, "satisfaction": satisfaction, "note": note.strip()}
        | ({"due_at": demand.due_at.isoformat()} if action == "reopened" else {}),
        request=request,
        now=now,
    )
    if action == "reopened":
        _notify(
            recipient_person=demand.handler,
            demand=demand,
            key=f"reopened:{demand.redo_count}",
            title=_("A demand was reopened after an unsatisfied call-back: %(subject)s")
            % {"subject": demand.notice_subject},
            now=now,
        )
    return demand
