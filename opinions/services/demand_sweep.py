"""The deadline sweep (every minute): due-soon warnings, overdue flags and the two escalation steps.

One ORM path for PostgreSQL and SQLite. Each step locks its candidate rows
(``SELECT ... FOR UPDATE SKIP LOCKED``, a no-op on SQLite, whose writers are serialised anyway), claims
them with a conditional ``UPDATE ... WHERE <flag> IS NULL`` (PostgreSQL re-checks the condition for
rows a concurrent sweep changed, so two sweeps never claim one row), then writes their pressing
records and notices with ``bulk_create(ignore_conflicts=True)``, both also guarded by unique
constraints: a repeat finds nothing to do and sends nothing twice. The notices' e-mails are queued
right after commit (the outbox sweep catches any the broker could not take). "Overdue" is
``opinions.models.overdue_q``, the definition every reader uses: the current round, first or redo,
unanswered with its deadline in force (``Demand.due_at``, the round's copy) strictly passed; each
pressing record names the round it was about."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau import clock
from bureau.models import Notification, Person, Role
from bureau.notifications import notifications_send_after_commit
from opinions.models import Demand, DemandPress, DemandRules, due_soon_q, open_q, overdue_q

# Rows claimed per UPDATE (and per bulk insert): bounded memory, and under SQLite's variable limit.
BATCH = 2_000


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    supervisor: int = 0
    leader: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SweepStep:
    """One step of the sweep: which open demands it claims and how, and whom it tells."""

    field: str  # the SweepResult count it fills
    step: str  # DemandPress.Step
    title: str  # the notice's title, with %(subject)s
    claim: Q  # the rows the step may claim; the UPDATE repeats it, so a claimed row no longer matches
    update: dict[str, Any]  # what claiming sets
    role: str | None  # None: the handler, else the section's owner, else the office heads


@dataclass(frozen=True)
class Candidate:
    """A locked row, with what its pressing record and notices need."""

    pk: int
    subject: str
    due_at: datetime
    round: int  # the current round (redo_count): a redo's deadline is flagged as its own
    handler_id: int | None
    section_id: int | None
    handler_user_id: int | None
    owner_user_id: int | None


def _rules() -> DemandRules:
    return DemandRules.objects.filter(pk=1).first() or DemandRules()


def _escalation_q(level: int, cutoff: datetime) -> Q:
    """Flagged overdue, at ``level``, and the deadline at least the step's period ago (``due_at <= cutoff``)."""
    return open_q() & Q(overdue_at__isnull=False, escalation_level=level, due_at__lte=cutoff)


def sweep_steps(*, now: datetime, rules: DemandRules) -> list[SweepStep]:
    return [
        SweepStep(
            field="due_soon",
            step=DemandPress.Step.DUE_SOON,
            title=_("Reply due soon: %(subject)s"),
            claim=due_soon_q(now, rules.due_soon_window) & Q(overdue_at=None, due_soon_at=None),
            update={"due_soon_at": now},
            role=None,
        ),
        SweepStep(
            field="overdue",
            step=DemandPress.Step.OVERDUE,
            title=_("Overdue, reply now: %(subject)s"),
            claim=overdue_q(now) & Q(overdue_at=None),
            update={"overdue_at": now, "escalation_level": 1, "was_overdue": True},
            role=None,
        ),
        SweepStep(
            field="supervisor",
            step=DemandPress.Step.SUPERVISOR,
            title=_("Overdue demand not yet answered: %(subject)s"),
            claim=_escalation_q(1, now - rules.supervisor_after),
            update={"escalation_level": F("escalation_level") + 1},
            role=Role.OFFICE_HEAD,
        ),
        SweepStep(
            field="leader",
            step=DemandPress.Step.LEADER,
            title=_("Demand long overdue, for the leader in charge: %(subject)s"),
            claim=_escalation_q(2, now - rules.leader_after),
            update={"escalation_level": F("escalation_level") + 1},
            role=Role.LEADER,
        ),
    ]


def _lock_batch(step: SweepStep) -> list[Candidate]:
    rows = (
        Demand.objects.filter(step.claim)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
        .values_list(
            "pk",
            "subject",
            "due_at",
            "redo_count",
            "handler_id",
            "section_id",
            "handler__user_id",
            "section__owner__user_id",
        )[:BATCH]
    )
    return [Candidate(*row) for row in rows]


def _recipients(candidate: Candidate, *, role: str | None, role_users: list[int]) -> list[int]:
    if role is not None:
        return role_users
    user_id = candidate.handler_user_id or candidate.owner_user_id
    if user_id:
        return [user_id]
    if candidate.handler_id is None and candidate.section_id is None:
        return role_users  # nobody owns it yet: the office heads
    return []


def _step_run(step: SweepStep, *, now: datetime) -> int:
    """Claim the step's rows batch by batch; record and notify exactly the claimed ones."""
    kind = f"opinions.demand.{step.step}"
    role_users = list(
        Person.objects.filter(role=step.role or Role.OFFICE_HEAD, is_active=True, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    claimed_total = 0
    while batch := _lock_batch(step):
        claimed = Demand.objects.filter(step.claim, pk__in=[row.pk for row in batch]).update(**step.update)
        if claimed == 0:
            break  # only without row locks (SQLite): another writer took them
        claimed_total += claimed
        DemandPress.objects.bulk_create(
            [
                DemandPress(demand_id=row.pk, step=step.step, round=row.round, due_at=row.due_at, created_at=now)
                for row in batch
            ],
            ignore_conflicts=True,
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    dedupe_key=f"{kind}:{row.pk}:{int(row.due_at.timestamp())}",
                    title=step.title.replace("%(subject)s", row.subject)[:200],
                    link=reverse("opinions:demand-detail", args=[row.pk]),
                    created_at=now,
                )
                for row in batch
                for user_id in _recipients(row, role=step.role, role_users=role_users)
            ],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
    return claimed_total


@transaction.atomic
def demands_sweep_deadlines(*, now: datetime | None = None) -> SweepResult:
    """Warn, flag and escalate. Safe to run twice or from two schedulers at once."""
    now = now or clock.now()
    result = SweepResult()
    for step in sweep_steps(now=now, rules=_rules()):
        setattr(result, step.field, _step_run(step, now=now))
    if any(result.as_dict().values()):
        # The notices were bulk-inserted, not made by notification_create: nothing queued their e-mails.
        notifications_send_after_commit()
    return result
