"""The history a handling form (处理单) prints: the case's rounds — the first handling and each redo
after an unsatisfied call-back — with their deadlines, dispatch and sign-for, reply, review,
completion, call-back and presses.

Read today from what is recorded: the archive records of the demand (each step of the loop writes
one) and its pressing records (催办记录). This is the one reader of that history, so when the rounds
are stored in a table of their own only this function changes."""

from dataclasses import dataclass, field
from datetime import datetime

from archive.models import ArchiveRecord
from archive.selectors import archive_history_for
from bureau.models import Person
from opinions.models import Demand, DemandPress


@dataclass
class HandlingRound:
    number: int  # 0: the first handling; 1, 2…: each redo
    started_at: datetime
    due_at: datetime | None = None  # the deadline in force for the round (as extended)
    handler: str = ""
    dispatched_at: datetime | None = None  # 派单: assigned by the office
    signed_for_at: datetime | None = None  # 签收: claimed by the handler, or the office's assignment
    replied_at: datetime | None = None  # the round's first reply that counted (approved, if reviewed)
    replied_by: str = ""
    reply: str = ""
    reviewed_by: str = ""
    review_opinion: str = ""
    extension_until: datetime | None = None  # an extension asked for in the round
    extension_approved: bool | None = None  # None while undecided
    completed_at: datetime | None = None
    resolution: str = ""
    called_back_at: datetime | None = None
    satisfaction: str = ""  # the label of the call-back's result
    call_back_note: str = ""
    presses: int = 0  # 督办 by a supervisor in this round
    notices: int = 0  # the deadline sweep's warnings and escalations in this round

    @property
    def is_redo(self) -> bool:
        return self.number > 0


@dataclass
class HandlingHistory:
    rounds: list[HandlingRound] = field(default_factory=list)

    @property
    def current(self) -> HandlingRound:
        return self.rounds[-1]

    @property
    def first(self) -> HandlingRound:
        return self.rounds[0]

    @property
    def dispatched_at(self) -> datetime | None:
        """The latest dispatch (派单) of the case; a redo goes back to its handler undispatched."""
        return next((r.dispatched_at for r in reversed(self.rounds) if r.dispatched_at), None)

    @property
    def signed_for_at(self) -> datetime | None:
        """When the case was last signed for (签收), whichever round."""
        return next((r.signed_for_at for r in reversed(self.rounds) if r.signed_for_at), None)


def _name(record: ArchiveRecord) -> str:
    person = getattr(record.actor, "person", None) if record.actor_id else None
    return person.name if person else (str(record.actor) if record.actor_id else "")


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def demand_handling_history(*, demand: Demand) -> HandlingHistory:
    """The rounds of one demand, oldest first; never empty (a demand has at least its first round).
    Three queries: the archive records, the handlers' names, the pressing records."""
    records = list(archive_history_for(target=demand).order_by("pk"))
    handler_ids = {record.after.get("handler_id") for record in records if record.after}
    names = dict(Person.objects.filter(pk__in=handler_ids - {None}).values_list("pk", "name"))
    history = HandlingHistory(rounds=[HandlingRound(number=0, started_at=demand.received_at)])
    for record in records:
        current, after, step = history.current, record.after or {}, record.action.rsplit(".", 1)[-1]
        if step == "received":
            current.due_at = _moment(after.get("due_at")) or current.due_at
        elif step in ("assigned", "reassigned"):
            current.dispatched_at = current.signed_for_at = record.created_at
            current.handler = names.get(after.get("handler_id"), "")
        elif step == "claimed":
            current.signed_for_at = record.created_at
            current.handler = names.get(after.get("handler_id"), "") or _name(record)
        elif step == "hand_back_accepted":
            current.handler, current.signed_for_at = "", None
        elif step in ("replied", "reply_submitted"):
            current.reply = after.get("reply", current.reply)
            current.replied_by = _name(record)
            if step == "replied" and current.replied_at is None:
                current.replied_at = record.created_at
        elif step in ("reply_approved", "reply_refused"):
            current.reviewed_by, current.review_opinion = _name(record), after.get("opinion", "")
            if step == "reply_approved" and current.replied_at is None:
                current.replied_at = record.created_at
        elif step == "extension_requested":
            current.extension_until, current.extension_approved = _moment(after.get("until")), None
        elif step in ("extension_approved", "extension_refused"):
            current.extension_approved = step == "extension_approved"
            if current.extension_approved:
                current.due_at = _moment(after.get("due_at")) or current.due_at
        elif step == "completed":
            current.completed_at, current.resolution = record.created_at, after.get("resolution", "")
        elif step in ("called_back", "reopened"):
            current.called_back_at, current.call_back_note = record.created_at, after.get("note", "")
            satisfaction = after.get("satisfaction", "")
            current.satisfaction = str(Demand.Satisfaction(satisfaction).label) if satisfaction else ""
            if step == "reopened":
                history.rounds.append(
                    HandlingRound(
                        number=current.number + 1,
                        started_at=record.created_at,
                        due_at=_moment(after.get("due_at")),
                        handler=current.handler,
                        signed_for_at=record.created_at,  # it goes straight back to its handler
                    )
                )
    history.current.due_at = demand.due_at  # the current round's deadline in force is stored
    for press in DemandPress.objects.filter(demand=demand).only("round", "step"):
        if press.round < len(history.rounds):
            handling_round = history.rounds[press.round]
            if press.step == DemandPress.Step.PRESSED:
                handling_round.presses += 1
            else:
                handling_round.notices += 1
    return history
