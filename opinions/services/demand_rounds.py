"""A demand's rounds, call-backs and hand-backs as the demand services keep them, and the backfill
of those records for demand rows written without them (rows from before the rounds existed, bulk
loads). The rules the figures count on them are in ``opinions.models.rounds``.

The demand services call these helpers inside their own transaction, after locking the demand, so a
round changes together with the demand and its archive record."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.dateparse import parse_datetime

from archive.models import ArchiveRecord
from bureau.config_cache import config_row
from bureau.models import Person
from opinions.models import Demand, DemandCallBack, DemandHandBack, DemandRound, DemandRules

BATCH = 2_000
# A legacy round whose deadline was never recorded (an intermediate redo, or round 0 of a redone
# demand without its "received" archive record) is given the default reply window.
LEGACY_WINDOW = timedelta(hours=24)


def sign_for_window() -> timedelta:
    """The sign-for limit (及时签收) admins set in ``DemandRules``; 2 hours without a row."""
    rules = config_row("demand_rules", _demand_rules)
    return rules.sign_for_window


def _demand_rules() -> DemandRules:
    return DemandRules.objects.filter(pk=1).first() or DemandRules()


def round_start(*, demand: Demand, number: int, started_at: datetime, due_at: datetime) -> DemandRound:
    """Open round ``number`` with its own deadline; round 0 is dispatched when received, a redo goes
    back to its handler (signed for at once)."""
    redo = number > 0
    return DemandRound.objects.create(
        demand=demand,
        number=number,
        started_at=started_at,
        due_at=due_at,
        dispatched_at=started_at,
        sign_for_due_at=started_at + sign_for_window(),
        signed_for_at=started_at if redo and demand.handler_id else None,
        department_id=demand.department_id,
        section_id=demand.section_id,
        handler_id=demand.handler_id,
    )


def round_current(demand: Demand) -> DemandRound:
    """The demand's current round, locked (the demand is already locked by the caller). A row that
    has none yet gets its rounds from its fields first."""
    current = DemandRound.objects.select_for_update().filter(demand=demand, number=demand.redo_count).first()
    if current is None:
        demand_rounds_backfill(demands=Demand.objects.filter(pk=demand.pk))
        current = DemandRound.objects.select_for_update().get(demand=demand, number=demand.redo_count)
    return current


def round_signed_for(*, demand: Demand, now: datetime, dispatched: bool) -> None:
    """Signed for (签收) by the demand's handler now. ``dispatched``: a supervisor's 派单, which
    dispatches and signs at once; claiming from the section is signing for what was dispatched."""
    current = round_current(demand)
    if dispatched or current.dispatched_at is None:
        current.dispatched_at, current.sign_for_due_at = now, now + sign_for_window()
    if current.signed_for_at is None or dispatched:
        current.signed_for_at = now
    current.handler_id, current.department_id = demand.handler_id, demand.department_id
    current.save(update_fields=["dispatched_at", "sign_for_due_at", "signed_for_at", "handler", "department"])


def round_replied(*, demand: Demand, now: datetime, by: Person | None) -> None:
    """The round's first reply (for reviewed kinds: its approval). A second reply in the same round
    changes nothing: the first decides on time or late."""
    current = round_current(demand)
    if current.replied_at is None:
        current.replied_at, current.replied_by = now, by
        current.save(update_fields=["replied_at", "replied_by"])


def round_extension_asked(*, demand: Demand, now: datetime, until: datetime, reason: str) -> None:
    current = round_current(demand)
    current.extension_asked_at, current.extension_until, current.extension_reason = now, until, reason
    current.save(update_fields=["extension_asked_at", "extension_until", "extension_reason"])


def round_extension_decided(*, demand: Demand, now: datetime, approve: bool) -> DemandRound:
    """Decide the pending request: the round it was asked in (an earlier round's, if the case was
    reopened before it was decided), else the current round."""
    current = (
        DemandRound.objects.select_for_update()
        .filter(demand=demand, extension_asked_at__isnull=False, extension_decision="")
        .order_by("-number")
        .first()
    ) or round_current(demand)
    if current.extension_asked_at is None:  # asked before the rounds were recorded: asked in time
        current.extension_asked_at = current.started_at
        current.extension_until, current.extension_reason = demand.extension_until, demand.extension_reason
    current.extension_decision = DemandRound.Decision.APPROVED if approve else DemandRound.Decision.REFUSED
    current.extension_decided_at = now
    current.save(
        update_fields=[
            "extension_asked_at",
            "extension_until",
            "extension_reason",
            "extension_decision",
            "extension_decided_at",
        ]
    )
    return current


def call_back_record(*, demand: Demand, now: datetime, result: str, by: Person | None, note: str) -> DemandCallBack:
    """One call-back attempt, numbered from 0 (the first) in the order they were made."""
    number = DemandCallBack.objects.filter(demand=demand).count()
    return DemandCallBack.objects.create(
        demand=demand, number=number, round=demand.redo_count, at=now, result=result, by=by, note=note
    )


def hand_back_record(*, demand: Demand, now: datetime, reason: str) -> DemandHandBack:
    return DemandHandBack.objects.create(
        demand=demand,
        round=demand.redo_count,
        asked_at=now,
        by_id=demand.handler_id,
        department_id=demand.department_id,
        section_id=demand.section_id,
        reason=reason,
    )


def hand_back_decided(*, demand: Demand, now: datetime, accept: bool, by: Person | None) -> None:
    """Record the decision on the pending hand-back. Accepted, the round is dispatched afresh to
    nobody yet: it counts for whoever handles it next."""
    pending = DemandHandBack.objects.select_for_update().filter(demand=demand, decision="").order_by("-pk").first()
    if pending is None:  # handed back before the records existed
        pending = hand_back_record(demand=demand, now=now, reason=demand.handback_reason)
    pending.decision = DemandHandBack.Decision.ACCEPTED if accept else DemandHandBack.Decision.REFUSED
    pending.decided_at, pending.decided_by = now, by
    pending.save(update_fields=["decision", "decided_at", "decided_by"])
    if accept:
        current = round_current(demand)
        current.handler = current.department = current.section = None
        current.dispatched_at, current.sign_for_due_at, current.signed_for_at = now, now + sign_for_window(), None
        current.save(
            update_fields=["handler", "department", "section", "dispatched_at", "sign_for_due_at", "signed_for_at"]
        )


# --- Backfill --------------------------------------------------------------------------------------
# The same mapping as migration 0012 (which may not import this module, so it holds a copy of
# ``legacy_records``, kept identical but for this copy's type hints): the rounds, call-backs and
# pending hand-back a demand row implies, replayed from its archive records where they exist, from
# its fields where they do not.

# An archive record as the backfill reads it: (created at, before, after).
ArchiveEntry = tuple[datetime, dict[str, Any], dict[str, Any]]

_ACTIONS = (
    "received",
    "reopened",
    "replied",
    "reply_approved",
    "extension_requested",
    "extension_approved",
    "extension_refused",
)


def _archive_times(demand_ids: list[int]) -> dict[int, dict[str, list[ArchiveEntry]]]:
    """Per demand, per action (of ``_ACTIONS``): its records' (time, before, after), oldest first."""
    found: dict[int, dict[str, list]] = {}
    records = (
        ArchiveRecord.objects.filter(
            target_type="opinions.demand",
            target_id__in=[str(pk) for pk in demand_ids],
            action__in=[f"opinions.demand.{action}" for action in _ACTIONS],
        )
        .order_by("pk")
        .values_list("target_id", "action", "created_at", "before", "after")
    )
    for target_id, action, created_at, before, after in records:
        entry = (created_at, before or {}, after or {})
        found.setdefault(int(target_id), {}).setdefault(action.rsplit(".", 1)[1], []).append(entry)
    return found


def legacy_records(  # noqa: N803 - model classes
    demand: Demand,
    times: dict[str, list[ArchiveEntry]],
    window: timedelta,
    Round: type[DemandRound],
    CallBack: type[DemandCallBack],
    HandBack: type[DemandHandBack],
) -> tuple[list[DemandRound], list[DemandCallBack], list[DemandHandBack]]:
    """The rounds, call-backs and pending hand-back one demand row implies (unsaved). Each round
    takes the archive records made between its start and the next round's: its first reply, its
    extension request (whose ``before`` is the round's own deadline) and decision. What no record
    kept comes from the fields: the last round's deadline in force is ``due_at``, the first reply
    ``first_replied_at``; an earlier redo without records is taken as due 24 hours after it started
    and answered by then."""

    def parsed(value: Any) -> datetime | None:
        return parse_datetime(value) if isinstance(value, str) else None

    def within(action: str, start: datetime, end: datetime | None) -> list[ArchiveEntry]:
        return [entry for entry in times.get(action, []) if start <= entry[0] and (end is None or entry[0] < end)]

    redos = demand.redo_count
    reopened = [entry[0] for entry in times.get("reopened", [])][-redos:] if redos else []
    starts = [demand.received_at] + [reopened[i] if i < len(reopened) else demand.received_at for i in range(redos)]
    received = times.get("received", [])
    rounds = []
    for number, started in enumerate(starts):
        last = number == redos
        end = None if last else starts[number + 1]
        if number > 0 and not last and started == starts[number + 1]:
            end = None  # no reopening time recorded: the records cannot be told apart
        asked = within("extension_requested", started, end)
        decided = sorted(
            [(entry, "approved") for entry in within("extension_approved", started, end)]
            + [(entry, "refused") for entry in within("extension_refused", started, end)],
            key=lambda item: item[0][0],
        )
        replies = within("replied", started, end) + within("reply_approved", started, end)
        own_due = parsed(asked[0][1].get("due_at")) if asked else None
        if number == 0:
            own_due = own_due or (parsed(received[0][2].get("due_at")) if received else None)
        if own_due is None:
            own_due = demand.due_at if last else started + LEGACY_WINDOW
        if number == 0:
            replied = demand.first_replied_at
        elif last:
            replied = demand.replied_at or (min(entry[0] for entry in replies) if replies else None)
        else:
            replied = min(entry[0] for entry in replies) if replies else own_due
        dispatched = demand.received_at if number == 0 else started
        round_ = Round(
            demand_id=demand.pk,
            number=number,
            started_at=started,
            due_at=own_due,
            dispatched_at=dispatched,
            sign_for_due_at=dispatched + window,
            signed_for_at=demand.assigned_at if number == 0 else started,
            replied_at=replied,
            replied_by_id=demand.reply_submitted_by_id if last and replied else None,
            department_id=demand.department_id,
            section_id=demand.section_id,
            handler_id=demand.handler_id,
        )
        if asked:
            round_.extension_asked_at = asked[0][0]
            round_.extension_until = parsed(asked[0][2].get("until"))
            round_.extension_reason = asked[0][2].get("reason", "")
            if decided:
                round_.extension_decided_at, round_.extension_decision = decided[0][0][0], decided[0][1]
        elif last and demand.due_at > own_due:  # moved without a request on record: an approved extension
            round_.extension_asked_at, round_.extension_until = started, demand.due_at
            round_.extension_decision = "approved"
        elif last and demand.extension_until is not None:  # asked, undecided, without a record
            round_.extension_asked_at = started
            round_.extension_until, round_.extension_reason = demand.extension_until, demand.extension_reason
        if round_.extension_until is not None and round_.extension_until <= round_.due_at:
            round_.extension_asked_at = round_.extension_until = round_.extension_decided_at = None
            round_.extension_decision, round_.extension_reason = "", ""
        rounds.append(round_)
    call_backs = [
        CallBack(demand_id=demand.pk, number=i, round=i, at=starts[i + 1], result="unsatisfied") for i in range(redos)
    ]
    reopened_waiting = redos and demand.called_back_at is None and demand.satisfaction == "unsatisfied"
    if demand.satisfaction and not reopened_waiting:
        at = demand.called_back_at or demand.completed_at or demand.replied_at or demand.received_at
        call_backs.append(CallBack(demand_id=demand.pk, number=redos, round=redos, at=at, result=demand.satisfaction))
    hand_backs = []
    if demand.state == "handed_back":
        hand_backs.append(
            HandBack(
                demand_id=demand.pk,
                round=redos,
                asked_at=demand.assigned_at or demand.received_at,
                by_id=demand.handler_id,
                department_id=demand.department_id,
                section_id=demand.section_id,
                reason=demand.handback_reason,
            )
        )
    return rounds, call_backs, hand_backs


def demand_rounds_backfill(*, demands: QuerySet[Demand] | None = None) -> int:
    """Give every demand without rounds (of ``demands``, default all) the records its row implies.
    Idempotent: a demand that has rounds is left alone. Returns the demands filled."""
    queryset = (demands if demands is not None else Demand.objects.all()).filter(
        ~Exists(DemandRound.objects.filter(demand=OuterRef("pk")))
    )
    window, filled = sign_for_window(), 0
    while batch := list(queryset.order_by("pk")[:BATCH]):
        times = _archive_times([demand.pk for demand in batch])
        rounds, call_backs, hand_backs = [], [], []
        for demand in batch:
            made = legacy_records(demand, times.get(demand.pk, {}), window, DemandRound, DemandCallBack, DemandHandBack)
            rounds += made[0]
            call_backs += made[1]
            hand_backs += made[2]
        DemandRound.objects.bulk_create(rounds, batch_size=BATCH)
        DemandCallBack.objects.bulk_create(call_backs, batch_size=BATCH)
        DemandHandBack.objects.bulk_create(hand_backs, batch_size=BATCH)
        filled += len(batch)
    return filled
