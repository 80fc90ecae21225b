"""Demands (诉求): every change of state, each locked, re-checked, written and archived in one
transaction. No view changes a demand by itself."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import Person, Role
from bureau.notifications import notification_create
from bureau.selectors import person_for
from opinions.models import Channel, Demand, DemandPress, FaqEntry, Post
from opinions.policies import demand_require
from opinions.services.calendar import needs_review, reply_deadline
from opinions.services.posts import post_handle

State = Demand.State


def _require(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


def _lock(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().get(pk=demand.pk)


def _refuse_unless(demand: Demand, states, message: str) -> None:
    if demand.state not in states:
        raise ValidationError(message)


def _notify(*, recipient_person: Person | None, demand: Demand, key: str, title: str, body: str = "", now) -> None:

    if recipient_person is None:
        return
    notification_create(
        recipient=recipient_person.user,
        kind=f"opinions.demand.{key.split(':')[0]}",
        dedupe_key=f"opinions.demand.{key}:{demand.pk}",
        title=title,
        body=body,
        link=demand.get_absolute_url(),
        now=now,
    )


def _record(action: str, *, actor, demand: Demand, before: dict, after: dict, summary: str = "", request, now):
    archive_record(
        action=f"opinions.demand.{action}",
        actor=actor,
        target=demand,
        summary=summary or demand.subject[:200],
        before=before,
        after=after,
        request=request,
        now=now,
    )


@transaction.atomic
def demand_create(
    *,
    actor,
    kind: str,
    channel: Channel,
    subject: str,
    content: str,
    citizen_name: str = "",
    citizen_contact: str = "",
    level: str = Demand.Level.III,
    department=None,
    section=None,
    about_bureau: bool = False,
    post: Post | None = None,
    received_at: datetime | None = None,
    request=None,
    now: datetime | None = None,
) -> Demand:
    """Record a demand (a hotline call, a letter, a petition, or a post). Its deadline is computed
    here, once, from the kind's reply window."""
    now = now or clock.now()
    _require(actor, "opinions.enter_demand")
    subject, content = subject.strip(), content.strip()
    if not subject or not content:
        raise ValidationError(_("A demand needs a subject and its content."))
    received_at = received_at or now
    if received_at > now:
        raise ValidationError(_("A demand cannot be received in the future."))
    demand = Demand.objects.create(
        kind=kind,
        channel=channel,
        post=post,
        section=section if section is not None else (post.section if post else channel.section),
        subject=subject[:300],
        content=content,
        citizen_name=citizen_name.strip(),
        citizen_contact=citizen_contact.strip(),
        level=level,
        department=department,
        about_bureau=about_bureau,
        received_at=received_at,
        due_at=reply_deadline(kind=kind, received_at=received_at),
        created_by=actor,
    )
    _record(
        "received",
        actor=actor,
        demand=demand,
        before={},
        after={"state": demand.state, "kind": kind, "due_at": demand.due_at.isoformat(), "post_id": demand.post_id},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_create_from_post(
    *, post: Post, actor, kind: str, subject: str = "", content: str = "", request=None, now=None, **fields
) -> Demand:
    """One click on a post: a demand prefilled from it (received when the post was found) and the
    post marked followed up. A post already turned into a demand is refused."""

    now = now or clock.now()
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.demands.exists():
        raise ValidationError(_("A demand has already been created from this post."))
    demand = demand_create(
        actor=actor,
        kind=kind,
        channel=post.channel,
        post=post,
        section=post.section,
        subject=subject or post.title,
        content=content or post.body or post.title,
        citizen_name=fields.pop("citizen_name", post.author),
        received_at=min(post.found_at, now),
        request=request,
        now=now,
        **fields,
    )
    if post.status in (Post.Status.NEW, Post.Status.READ):
        post_handle(post=post, actor=actor, status=Post.Status.FOLLOWED_UP, note=_("Demand created"), now=now)
    return demand


@transaction.atomic
def demand_claim(*, demand: Demand, actor, request=None, now=None) -> Demand:
    """The handler signs for (签收) an unassigned demand. Two at once: one wins, the other is told who."""
    now = now or clock.now()
    demand_require(actor, demand, "claim")
    person = person_for(actor)
    demand = _lock(demand)
    if demand.handler_id is not None and demand.state != State.RECEIVED:
        raise ValidationError(_("This demand has already been signed for by %(name)s.") % {"name": demand.handler.name})
    _refuse_unless(demand, (State.RECEIVED,), _("This demand can no longer be signed for."))
    before = {"state": demand.state, "handler_id": demand.handler_id}
    demand.state, demand.handler, demand.assigned_at = State.ASSIGNED, person, now
    demand.department_id = demand.department_id or person.department_id
    demand.save(update_fields=["state", "handler", "assigned_at", "department"])
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
def demand_assign(*, demand: Demand, actor, handler: Person, request=None, now=None) -> Demand:
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
        title=_("A demand was assigned to you: %(subject)s") % {"subject": demand.subject[:100]},
        now=now,
    )
    return demand


@transaction.atomic
def demand_reply(*, demand: Demand, actor, reply_text: str, notes: str = "", request=None, now=None) -> Demand:
    """Record the reply given publicly. If the kind's replies are reviewed, it waits for review and
    counts only once approved. A replied, merged or completed demand cannot be replied to again,
    so a double-clicked submit replies once."""
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
        action = "replied"
    demand.save(
        update_fields=["state", "reply_text", "internal_notes", "reply_submitted_by", "replied_at", "first_replied_at"]
    )
    _record(
        action,
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "reply": reply_text[:500]},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_review(*, demand: Demand, actor, approve: bool, opinion: str = "", request=None, now=None) -> Demand:
    """A spokesperson or leader in charge approves the reply (it now counts as given) or sends it
    back to the handler with an opinion."""
    now = now or clock.now()
    demand_require(actor, demand, "review")
    person = person_for(actor)
    demand = _lock(demand)
    _refuse_unless(demand, (State.IN_REVIEW,), _("There is no reply awaiting review."))
    if not approve and not opinion.strip():
        raise ValidationError(_("Say why the reply is sent back."))
    before = {"state": demand.state}
    demand.reviewed_by, demand.review_opinion = person, opinion.strip()
    if approve:
        demand.state, demand.replied_at = State.REPLIED, now
        demand.first_replied_at = demand.first_replied_at or now
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
    if not approve:
        _notify(
            recipient_person=demand.handler,
            demand=demand,
            key=f"review_refused:{now.isoformat()}",
            title=_("Your reply was sent back: %(subject)s") % {"subject": demand.subject[:100]},
            body=demand.review_opinion,
            now=now,
        )
    return demand


@transaction.atomic
def demand_sign_off(*, demand: Demand, actor, request=None, now=None) -> Demand:
    """A leader in charge signs off a criticism or complaint about the bureau before completion."""
    now = now or clock.now()
    demand_require(actor, demand, "sign-off")
    demand = _lock(demand)
    if not demand.needs_sign_off:
        raise ValidationError(_("This demand needs no leader's sign-off."))
    if demand.signed_off_at is not None:
        raise ValidationError(_("This demand has already been signed off."))
    _refuse_unless(demand, (State.REPLIED,), _("A demand is signed off after it has been replied to."))
    demand.signed_off_by, demand.signed_off_at = person_for(actor), now
    demand.save(update_fields=["signed_off_by", "signed_off_at"])
    _record("signed_off", actor=actor, demand=demand, before={}, after={"signed_off": True}, request=request, now=now)
    return demand


@transaction.atomic
def demand_complete(*, demand: Demand, actor, resolution: str, measures: str = "", request=None, now=None) -> Demand:
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
def demand_call_back(*, demand: Demand, actor, satisfaction: str, note: str = "", request=None, now=None) -> Demand:
    """Record the call-back (回访). Unsatisfied reopens the case for handling again (重办): it goes
    back to its handler with a fresh reply window, and the redo is counted."""
    now = now or clock.now()
    demand_require(actor, demand, "call-back")
    demand = _lock(demand)
    _refuse_unless(demand, (State.COMPLETED,), _("Only a completed demand can be called back."))
    if demand.called_back_at is not None:
        raise ValidationError(_("This demand has already been called back."))
    if satisfaction not in Demand.Satisfaction.values:
        raise ValidationError(_("Choose the citizen's satisfaction."))
    before = {"state": demand.state, "satisfaction": demand.satisfaction}
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
    _record(
        action,
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "satisfaction": satisfaction, "note": note.strip()},
        request=request,
        now=now,
    )
    if action == "reopened":
        _notify(
            recipient_person=demand.handler,
            demand=demand,
            key=f"reopened:{demand.redo_count}",
            title=_("A demand was reopened after an unsatisfied call-back: %(subject)s")
            % {"subject": demand.subject[:100]},
            now=now,
        )
    return demand


@transaction.atomic
def demand_hand_back(*, demand: Demand, actor, reason: str, request=None, now=None) -> Demand:
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
    _record(
        "handed_back",
        actor=actor,
        demand=demand,
        before={"state": State.ASSIGNED},
        after={"state": demand.state, "reason": demand.handback_reason},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_decide_hand_back(*, demand: Demand, actor, accept: bool, note: str = "", request=None, now=None) -> Demand:
    """Accepted: the demand is unassigned again, for someone else. Refused: it goes back to its handler."""
    now = now or clock.now()
    demand_require(actor, demand, "decide-hand-back")
    demand = _lock(demand)
    _refuse_unless(demand, (State.HANDED_BACK,), _("There is no hand-back to decide."))
    before = {"state": demand.state, "handler_id": demand.handler_id}
    handler = demand.handler
    if accept:
        demand.state, demand.handler, demand.assigned_at = State.RECEIVED, None, None
    else:
        demand.state = State.ASSIGNED
    demand.save(update_fields=["state", "handler", "assigned_at"])
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
        % {"subject": demand.subject[:100]},
        body=note.strip(),
        now=now,
    )
    return demand


@transaction.atomic
def demand_request_extension(*, demand: Demand, actor, until: datetime, reason: str, request=None, now=None) -> Demand:
    """The handler asks, before the deadline, for a later one; a supervisor decides."""
    now = now or clock.now()
    _require(actor, "opinions.handle_demand")
    demand = _lock(demand)
    _refuse_unless(demand, (State.ASSIGNED,), _("Only a demand being handled can be extended."))
    demand_require(actor, demand, "extension")
    if now >= demand.due_at:
        raise ValidationError(_("An extension must be asked for before the deadline."))
    if demand.extension_until is not None:
        raise ValidationError(_("An extension has already been asked for."))
    if until <= demand.due_at:
        raise ValidationError(_("The new deadline must be later than the current one."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."))
    demand.extension_until, demand.extension_reason = until, reason.strip()
    demand.save(update_fields=["extension_until", "extension_reason"])
    _record(
        "extension_requested",
        actor=actor,
        demand=demand,
        before={"due_at": demand.due_at.isoformat()},
        after={"until": until.isoformat(), "reason": demand.extension_reason},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_decide_extension(*, demand: Demand, actor, approve: bool, note: str = "", request=None, now=None) -> Demand:
    """Approved: the deadline moves (the only way it does), and a flag raised before is withdrawn if
    the new deadline is still ahead. Refused: the deadline stands."""
    now = now or clock.now()
    demand_require(actor, demand, "decide-extension")
    demand = _lock(demand)
    if demand.extension_until is None:
        raise ValidationError(_("There is no extension request to decide."))
    _refuse_unless(demand, Demand.OPEN_STATES, _("This demand is no longer open."))
    before = {"due_at": demand.due_at.isoformat()}
    if approve:
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
        % {"subject": demand.subject[:100]},
        now=now,
    )
    return demand


@transaction.atomic
def demand_merge(*, demand: Demand, actor, into: Demand, request=None, now=None) -> Demand:
    """Close ``demand`` as a duplicate of ``into`` (which must not itself be merged)."""
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
    demand.state, demand.duplicate_of = State.MERGED, into
    demand.save(update_fields=["state", "duplicate_of"])
    _record(
        "merged",
        actor=actor,
        demand=demand,
        before=before,
        after={"state": demand.state, "into": into.pk},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_press(*, demand: Demand, actor, note: str = "", request=None, now=None) -> DemandPress:
    """A supervisor presses (督办) an open demand: the handler is told and the press recorded."""
    now = now or clock.now()
    demand_require(actor, demand, "press")
    demand = _lock(demand)
    _refuse_unless(demand, Demand.OPEN_STATES, _("Only an open demand can be pressed."))
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
        recipient_person=demand.handler,
        demand=demand,
        key=f"pressed:{press.pk}",
        title=_("Pressed by the office: %(subject)s") % {"subject": demand.subject[:100]},
        body=press.note,
        now=now,
    )
    return press


@transaction.atomic
def faq_entry_create_from_demand(*, demand: Demand, actor, question: str, answer: str, request=None, now=None):
    """Turn a replied consultation into a policy FAQ entry, linked to it."""
    now = now or clock.now()
    demand_require(actor, demand, "faq-create")
    demand = _lock(demand)
    if demand.kind != "consultation" or demand.first_replied_at is None:
        raise ValidationError(_("Only a replied consultation can become a policy entry."))
    entry = FaqEntry.objects.create(
        question=question.strip() or demand.subject,
        answer=answer.strip() or demand.reply_text,
        created_at=now,
        created_by=actor,
    )
    demand.faq_entry = entry
    demand.save(update_fields=["faq_entry"])
    archive_record(
        action="opinions.faqentry.created", actor=actor, target=entry, summary=entry.question, request=request, now=now
    )
    return entry


@transaction.atomic
def demand_link_faq(*, demand: Demand, actor, entry: FaqEntry, request=None, now=None) -> Demand:
    """Link a consultation to the FAQ entry that answers it (ranks the entry as a hot issue)."""
    now = now or clock.now()
    demand_require(actor, demand, "faq-link")
    demand = _lock(demand)
    if demand.kind != "consultation":
        raise ValidationError(_("Only consultations are linked to policy entries."))
    before = {"faq_entry_id": demand.faq_entry_id}
    demand.faq_entry = entry
    demand.save(update_fields=["faq_entry"])
    _record(
        "faq_linked",
        actor=actor,
        demand=demand,
        before=before,
        after={"faq_entry_id": entry.pk},
        request=request,
        now=now,
    )
    return demand


def supervisors() -> list[Person]:
    return list(Person.objects.active().filter(role=Role.OFFICE_HEAD).select_related("user"))
