"""Fill the rounds, call-backs and pending hand-backs that existing demand rows imply, from their
fields and, where it has them, the archive's times (the first deadline from the "received" record,
each redo's start from its "reopened" record, an extension's request and approval). What no record
kept is filled as ``opinions.services.demand_rounds.legacy_records`` does (the same mapping, copied
here because a migration may not import app code): an earlier redo round is taken as started at
receipt or its reopening, due 24 hours later and answered by then.

The stored daily aggregates gained columns they do not hold yet: the state is reset, so readers count
live and the next refresh rebuilds them. Reversing deletes the filled records."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils.dateparse import parse_datetime

BATCH = 2_000
LEGACY_WINDOW = timedelta(hours=24)
ACTIONS = ("received", "reopened", "extension_requested", "extension_approved")


def _parsed(value):
    return parse_datetime(value) if isinstance(value, str) else None


def _times(ArchiveRecord, demand_ids):
    found = {}
    records = (
        ArchiveRecord.objects.filter(
            target_type="opinions.demand",
            target_id__in=[str(pk) for pk in demand_ids],
            action__in=[f"opinions.demand.{action}" for action in ACTIONS],
        )
        .order_by("pk")
        .values_list("target_id", "action", "created_at", "after")
    )
    for target_id, action, created_at, after in records:
        found.setdefault(int(target_id), {}).setdefault(action.rsplit(".", 1)[1], []).append((created_at, after))
    return found


def _records(demand, times, window, DemandRound, DemandCallBack, DemandHandBack):
    redos = demand.redo_count
    reopened = [at for at, _after in times.get("reopened", [])][-redos:] if redos else []
    starts = [demand.received_at] + [reopened[i] if i < len(reopened) else demand.received_at for i in range(redos)]
    received = times.get("received", [])
    first_due = _parsed(received[0][1].get("due_at")) if received else None
    rounds = []
    for number, started in enumerate(starts):
        last = number == redos
        if number == 0:
            due = first_due or (demand.due_at if last else demand.received_at + LEGACY_WINDOW)
            replied, dispatched, signed = demand.first_replied_at, demand.received_at, demand.assigned_at
        else:
            due = demand.due_at if last else started + LEGACY_WINDOW
            replied = demand.replied_at if last else due
            dispatched, signed = started, started
        round_ = DemandRound(
            demand_id=demand.pk,
            number=number,
            started_at=started,
            due_at=due,
            dispatched_at=dispatched,
            sign_for_due_at=dispatched + window,
            signed_for_at=signed,
            replied_at=replied,
            replied_by_id=demand.reply_submitted_by_id if last and replied else None,
            department_id=demand.department_id,
            section_id=demand.section_id,
            handler_id=demand.handler_id,
        )
        if last and demand.due_at > due:
            asked = times.get("extension_requested", [])
            approved = times.get("extension_approved", [])
            round_.extension_asked_at = asked[-1][0] if asked else started
            round_.extension_until = demand.due_at
            round_.extension_decision = "approved"
            round_.extension_decided_at = approved[-1][0] if approved else None
        elif last and demand.extension_until is not None and demand.extension_until > round_.due_at:
            asked = times.get("extension_requested", [])
            round_.extension_asked_at = asked[-1][0] if asked else started
            round_.extension_until, round_.extension_reason = demand.extension_until, demand.extension_reason
        rounds.append(round_)
    call_backs = [
        DemandCallBack(demand_id=demand.pk, number=i, round=i, at=starts[i + 1], result="unsatisfied")
        for i in range(redos)
    ]
    reopened_waiting = redos and demand.called_back_at is None and demand.satisfaction == "unsatisfied"
    if demand.satisfaction and not reopened_waiting:
        at = demand.called_back_at or demand.completed_at or demand.replied_at or demand.received_at
        call_backs.append(
            DemandCallBack(demand_id=demand.pk, number=redos, round=redos, at=at, result=demand.satisfaction)
        )
    hand_backs = []
    if demand.state == "handed_back":
        hand_backs.append(
            DemandHandBack(
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
        times = _times(ArchiveRecord, [demand.pk for demand in batch])
        rounds, call_backs, hand_backs = [], [], []
        for demand in batch:
            made = _records(demand, times.get(demand.pk, {}), window, DemandRound, DemandCallBack, DemandHandBack)
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
