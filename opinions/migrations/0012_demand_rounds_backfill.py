"""Fill the rounds, call-backs and pending hand-backs that existing demand rows imply: each round
replayed from the demand's archive records (its start, its own deadline, its first reply, its
extension request and decision), and from the row's fields where no record kept it. The functions
below are a copy of ``opinions.services.demand_rounds`` (``_archive_times``, ``legacy_records``),
because a migration may not import app code; keep the two identical.

The stored daily aggregates gained columns they do not hold yet: their state is reset, so readers
count live and the next refresh rebuilds them. Reversing deletes the filled records."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils.dateparse import parse_datetime

BATCH = 2_000
LEGACY_WINDOW = timedelta(hours=24)

_ACTIONS = (
    "received",
    "reopened",
    "replied",
    "reply_approved",
    "extension_requested",
    "extension_approved",
    "extension_refused",
)


def _archive_times(ArchiveRecord, demand_ids):  # noqa: N803 - the historical model
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


def legacy_records(demand, times, window, Round, CallBack, HandBack):  # noqa: N803 - model classes
    """The rounds, call-backs and pending hand-back one demand row implies (unsaved). Each round
    takes the archive records made between its start and the next round's: its first reply, its
    extension request (whose ``before`` is the round's own deadline) and decision. What no record
    kept comes from the fields: the last round's deadline in force is ``due_at``, the first reply
    ``first_replied_at``; an earlier redo without records is taken as due 24 hours after it started
    and answered by then."""

    def parsed(value):
        return parse_datetime(value) if isinstance(value, str) else None

    def within(action, start, end):
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


def fill(apps, schema_editor):
    Demand = apps.get_model("opinions", "Demand")
    DemandRound = apps.get_model("opinions", "DemandRound")
    DemandCallBack = apps.get_model("opinions", "DemandCallBack")
    DemandHandBack = apps.get_model("opinions", "DemandHandBack")
    DemandRules = apps.get_model("opinions", "DemandRules")
    DailyFiguresState = apps.get_model("opinions", "DailyFiguresState")
    ArchiveRecord = apps.get_model("archive", "ArchiveRecord")
    rules = DemandRules.objects.filter(pk=1).first()
    window = rules.sign_for_window if rules else timedelta(hours=2)
    queryset = Demand.objects.filter(~Exists(DemandRound.objects.filter(demand=OuterRef("pk"))))
    while batch := list(queryset.order_by("pk")[:BATCH]):
        times = _archive_times(ArchiveRecord, [demand.pk for demand in batch])
        rounds, call_backs, hand_backs = [], [], []
        for demand in batch:
            made = legacy_records(demand, times.get(demand.pk, {}), window, DemandRound, DemandCallBack, DemandHandBack)
            rounds += made[0]
            call_backs += made[1]
            hand_backs += made[2]
        DemandRound.objects.bulk_create(rounds, batch_size=BATCH)
        DemandCallBack.objects.bulk_create(call_backs, batch_size=BATCH)
        DemandHandBack.objects.bulk_create(hand_backs, batch_size=BATCH)
    DailyFiguresState.objects.update(rebuilt_at=None)


def unfill(apps, schema_editor):
    for name in ("DemandRound", "DemandCallBack", "DemandHandBack"):
        apps.get_model("opinions", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_check_permission"),
        ("opinions", "0011_demand_rounds_call_backs_hand_backs"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
