"""The deadline sweep (every minute): due-soon warnings, overdue flags and the two escalation steps.

Each open demand the sweep has something to do for is claimed once, with its final state: one
conditional ``UPDATE`` sets the due-soon warning, the overdue flag and the escalation level the
deadline has reached (a backlog a day late goes from 0 to the leader's level in one write, not three
UPDATEs of the same row in turn). What was claimed and set is ``claim_q`` and ``claim_values``,
ORM expressions both engines run.

The pressing records (催办记录) follow from the rows' new state: a row at level 3 implies its
overdue, office-head and leader records for its deadline, a warned row its due-soon record. They
are inserted with ``ON CONFLICT DO NOTHING`` against their unique constraint (demand, step,
deadline), so the records actually inserted are exactly the steps this sweep took: once per level
and deadline, however often or concurrently the sweep runs. On PostgreSQL the claim, the records
and the per-recipient counts are one statement (``UPDATE ... RETURNING`` feeding ``INSERT ...
SELECT ... RETURNING``); the UPDATE's condition is re-checked on a row a concurrent sweep changed,
so two sweeps never claim one row; on SQLite (writers serialised) the same expressions run as an
ORM UPDATE and the records already present are read before the insert.

Notices: each recipient gets one per sweep. A recipient with a single step to hear about gets that
demand's notice (its case number and subject, a link to it); one with more gets one digest with
the count per step and a link to the filtered list, not one e-mail per demand. The notices' e-mails are queued right
after commit (the outbox sweep catches any the broker could not take). "Overdue" is
``opinions.models.overdue_q``, the definition every reader uses."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Case, DateTimeField, F, PositiveSmallIntegerField, Q, Value, When
from django.db.models.sql import UpdateQuery
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau import clock
from bureau.config_cache import config_row
from bureau.models import Notification, Person, Role, Section
from bureau.notifications import notifications_send_after_commit
from opinions.models import Demand, DemandPress, DemandRules, due_soon_q, open_q, overdue_q

# Rows claimed per batch on SQLite (under its variable limit); PostgreSQL claims all in one statement.
BATCH = 2_000

# The sweep's steps in order, with the escalation level each stands for (due soon: none).
STEP_LEVELS = (
    (DemandPress.Step.DUE_SOON, 0),
    (DemandPress.Step.OVERDUE, 1),
    (DemandPress.Step.SUPERVISOR, 2),
    (DemandPress.Step.LEADER, 3),
)
# Who hears of a step: None the handler (else the section's owner, else the office heads).
STEP_ROLES: dict[str, str | None] = {
    DemandPress.Step.DUE_SOON: None,
    DemandPress.Step.OVERDUE: None,
    DemandPress.Step.SUPERVISOR: Role.OFFICE_HEAD,
    DemandPress.Step.LEADER: Role.LEADER,
}
DIGEST_KIND = "opinions.demand.digest"


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    supervisor: int = 0
    leader: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class StepGroup:
    """Demands that took one step in this sweep, for one handler and section: whom to tell."""

    step: str
    handler_id: int | None
    section_id: int | None
    count: int
    first_id: int  # the demand named when a recipient has only this one to hear about


def _rules() -> DemandRules:
    return config_row("demand_rules", lambda: DemandRules.objects.filter(pk=1).first() or DemandRules())


def _escalation_q(level: int, cutoff: datetime) -> Q:
    """Flagged overdue, at ``level``, and the deadline at least the step's period ago (``due_at <= cutoff``)."""
    return open_q() & Q(overdue_at__isnull=False, escalation_level=level, due_at__lte=cutoff)


def _warn_q(now: datetime, rules: DemandRules) -> Q:
    return due_soon_q(now, rules.due_soon_window) & Q(overdue_at=None, due_soon_at=None)


def _flag_q(now: datetime) -> Q:
    return overdue_q(now) & Q(overdue_at=None)


def claim_q(*, now: datetime, rules: DemandRules) -> Q:
    """The open demands with a step to take at ``now``: to warn, to flag, or to escalate. Once
    claimed with ``claim_values`` a row no longer matches (the UPDATE repeats it). The first term
    is implied by the others; it lets the planner read one range of the open demands' index."""
    latest = max(now + rules.due_soon_window, now - rules.supervisor_after, now - rules.leader_after)
    return (open_q() & Q(due_at__lte=latest)) & (
        _warn_q(now, rules)
        | _flag_q(now)
        | _escalation_q(1, now - rules.supervisor_after)
        | _escalation_q(2, now - rules.leader_after)
    )


def claim_values(*, now: datetime, rules: DemandRules) -> dict[str, Any]:
    """What claiming sets: the warning, the flag, and the final escalation level at ``now`` (the
    office head's level once the deadline is ``supervisor_after`` past, the leader's once it is also
    ``leader_after`` past; each level only after the one before, as the steps go)."""
    supervisor_cut, leader_cut = now - rules.supervisor_after, now - rules.leader_after
    flag = _flag_q(now)
    at_one = flag | Q(overdue_at__isnull=False, escalation_level=1)  # level 1, or about to be
    at_two = Q(overdue_at__isnull=False, escalation_level=2)
    return {
        "due_soon_at": Case(
            When(_warn_q(now, rules), then=Value(now)), default=F("due_soon_at"), output_field=DateTimeField()
        ),
        "overdue_at": Case(When(flag, then=Value(now)), default=F("overdue_at"), output_field=DateTimeField()),
        "was_overdue": Case(When(flag, then=Value(True)), default=F("was_overdue"), output_field=BooleanField()),
        "escalation_level": Case(
            When(at_one & Q(due_at__lte=supervisor_cut) & Q(due_at__lte=leader_cut), then=Value(3)),
            When(at_two & Q(due_at__lte=leader_cut), then=Value(3)),
            When(at_one & Q(due_at__lte=supervisor_cut), then=Value(2)),
            When(flag, then=Value(1)),
            default=F("escalation_level"),
            output_field=PositiveSmallIntegerField(),
        ),
    }


STEP_TITLES: dict[str, Callable[[], str]] = {
    DemandPress.Step.DUE_SOON: lambda: _("Reply due soon: %(subject)s"),
    DemandPress.Step.OVERDUE: lambda: _("Overdue, reply now: %(subject)s"),
    DemandPress.Step.SUPERVISOR: lambda: _("Overdue demand not yet answered: %(subject)s"),
    DemandPress.Step.LEADER: lambda: _("Demand long overdue, for the leader in charge: %(subject)s"),
}
DIGEST_LINES: dict[str, Callable[[], str]] = {
    DemandPress.Step.DUE_SOON: lambda: _("Reply due soon: %(count)s"),
    DemandPress.Step.OVERDUE: lambda: _("Overdue, reply now: %(count)s"),
    DemandPress.Step.SUPERVISOR: lambda: _("Overdue and not yet answered (for the office head): %(count)s"),
    DemandPress.Step.LEADER: lambda: _("Long overdue (for the leader in charge): %(count)s"),
}

# The pressing records a claimed row's new state implies: warned or flagged in this claim (the
# column holds this sweep's moment), or at or past the step's escalation level. The unique
# constraint keeps those already recorded out, so what is inserted is what this sweep did.
_IMPLIED_PRESSES_SQL = """
    SELECT u.id, s.step, u.redo_count, u.due_at, %(now)s, ''
    FROM u CROSS JOIN LATERAL unnest(ARRAY[
        CASE WHEN u.due_soon_at = %(now)s THEN 'due_soon' END,
        CASE WHEN u.overdue_at = %(now)s THEN 'overdue' END,
        CASE WHEN u.escalation_level >= 2 THEN 'supervisor' END,
        CASE WHEN u.escalation_level >= 3 THEN 'leader' END
    ]) AS s (step)
    WHERE s.step IS NOT NULL
"""


def _implied_steps(
    *, due_soon_at: datetime | None, overdue_at: datetime | None, level: int, now: datetime
) -> list[str]:
    """``_IMPLIED_PRESSES_SQL`` for one row (the SQLite path)."""
    return [
        step
        for step, step_level in STEP_LEVELS
        if (step_level == 0 and due_soon_at == now)
        or (step_level == 1 and overdue_at == now)
        or (step_level > 1 and level >= step_level)
    ]


def _claim_postgresql(*, now: datetime, rules: DemandRules) -> list[StepGroup]:
    """One statement: claim the rows, insert their pressing records, count what was inserted per
    step and owner. A row a concurrent sweep holds is waited for and re-checked on its new version
    (PostgreSQL's rule for a conditional UPDATE): claimed by the other, it no longer matches."""
    query = Demand.objects.filter(claim_q(now=now, rules=rules)).query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)  # chain(klass) gives that class; the stubs say Query
    query.add_update_values(claim_values(now=now, rules=rules))
    update_sql, update_params = query.get_compiler(connection=connection).as_sql()
    table = connection.ops.quote_name(Demand._meta.db_table)
    presses = connection.ops.quote_name(DemandPress._meta.db_table)
    returned = ", ".join(
        f"{table}.{column}"
        for column in ("id", "due_at", "redo_count", "due_soon_at", "overdue_at", "escalation_level", "handler_id")
    )
    implied = _IMPLIED_PRESSES_SQL.replace("%(now)s", "%s")
    # Only identifiers and Django's compiled UPDATE are formatted in; every value is a parameter.
    statement = (
        f"WITH u AS ({update_sql} RETURNING {returned}, {table}.section_id),"  # noqa: S608
        f" p AS (INSERT INTO {presses} (demand_id, step, round, due_at, created_at, note)"
        f" {implied} ON CONFLICT DO NOTHING RETURNING demand_id, step)"
        " SELECT p.step, u.handler_id, u.section_id, count(*), min(u.id)"
        " FROM p JOIN u ON u.id = p.demand_id GROUP BY p.step, u.handler_id, u.section_id"
    )
    with connection.cursor() as cursor:
        # One large statement, compiled once: JIT costs more than it saves here, and the CTEs' sorts
        # spill to disk at the default work_mem. Both only for this transaction.
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        cursor.execute(statement, [*update_params, now, now, now])
        return [StepGroup(*row) for row in cursor.fetchall()]


def _claim_sqlite(*, now: datetime, rules: DemandRules) -> list[StepGroup]:
    """The same claim batch by batch through the ORM; SQLite serialises writers, so the records
    read before the insert are all there are."""
    claim, values = claim_q(now=now, rules=rules), claim_values(now=now, rules=rules)
    counts: dict[tuple[str, int | None, int | None], list[int]] = defaultdict(list)
    while ids := list(Demand.objects.filter(claim).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        if not Demand.objects.filter(claim, pk__in=ids).update(**values):
            break  # another writer took them
        rows = Demand.objects.filter(pk__in=ids).values_list(
            "pk", "due_at", "redo_count", "due_soon_at", "overdue_at", "escalation_level", "handler_id", "section_id"
        )
        recorded = set(
            DemandPress.objects.filter(demand_id__in=ids)
            .exclude(step=DemandPress.Step.PRESSED)
            .values_list("demand_id", "step", "due_at")
        )
        new = []
        for pk, due_at, round_, due_soon_at, overdue_at, level, handler_id, section_id in rows:
            for step in _implied_steps(due_soon_at=due_soon_at, overdue_at=overdue_at, level=level, now=now):
                if (pk, step, due_at) not in recorded:
                    new.append(DemandPress(demand_id=pk, step=step, round=round_, due_at=due_at, created_at=now))
                    counts[(step, handler_id, section_id)].append(pk)
        DemandPress.objects.bulk_create(new, ignore_conflicts=True)
    return [StepGroup(step, handler, section, len(pks), min(pks)) for (step, handler, section), pks in counts.items()]


@dataclass
class _Tidings:
    """What one recipient hears of in one sweep."""

    counts: dict[str, int] = field(default_factory=dict)
    first: tuple[str, int] | None = None  # a (step, demand) told of: the one when there is one

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _tidings(groups: list[StepGroup]) -> dict[int, _Tidings]:
    """Per recipient (user id), the steps they hear of: the handler's steps go to the handler, else
    the section's owner, else (nobody owns the case yet) the office heads; the escalation steps to
    every active office head or leader in charge."""
    handler_users = dict(
        Person.objects.filter(pk__in={g.handler_id for g in groups if g.handler_id}, user__isnull=False).values_list(
            "pk", "user_id"
        )
    )
    owner_users = dict(
        Section.objects.filter(
            pk__in={g.section_id for g in groups if g.section_id}, owner__user__isnull=False
        ).values_list("pk", "owner__user_id")
    )
    role_users: dict[str, list[int]] = {}

    def holders(role: str) -> list[int]:
        if role not in role_users:
            role_users[role] = list(
                Person.objects.filter(role=role, is_active=True, user__isnull=False).values_list("user_id", flat=True)
            )
        return role_users[role]

    tidings: dict[int, _Tidings] = defaultdict(_Tidings)
    for group in groups:
        role = STEP_ROLES[group.step]
        if role is not None:
            recipients = holders(role)
        elif user_id := handler_users.get(group.handler_id or 0) or owner_users.get(group.section_id or 0):
            recipients = [user_id]
        elif group.handler_id is None and group.section_id is None:
            recipients = holders(Role.OFFICE_HEAD)
        else:
            recipients = []
        for user_id in recipients:
            told = tidings[user_id]
            told.counts[group.step] = told.counts.get(group.step, 0) + group.count
            told.first = (group.step, group.first_id)
    return tidings


def _digest_link(counts: dict[str, int]) -> str:
    """The list the digest opens: overdue cases if any are among its steps, else every case in
    deadline order (the soonest first)."""
    url = reverse("opinions:demand-list")
    return f"{url}?overdue=true" if set(counts) - {DemandPress.Step.DUE_SOON} else url


def _notices(tidings: dict[int, _Tidings], *, now: datetime) -> list[Notification]:
    singles = {told.first[1] for told in tidings.values() if told.total == 1 and told.first}
    demands = {
        demand.pk: demand for demand in Demand.objects.filter(pk__in=singles).only("number", "subject", "due_at")
    }
    stamp = now.isoformat(timespec="microseconds")
    notices = []
    for user_id, told in tidings.items():
        if told.total == 1 and told.first:
            step, pk = told.first
            demand = demands[pk]
            kind = f"opinions.demand.{step}"
            notices.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    dedupe_key=f"{kind}:{pk}:{int(demand.due_at.timestamp())}",
                    title=STEP_TITLES[step]().replace("%(subject)s", demand.notice_subject)[:200],
                    link=reverse("opinions:demand-detail", args=[pk]),
                    created_at=now,
                )
            )
            continue
        link = _digest_link(told.counts)
        lines = [
            DIGEST_LINES[step]() % {"count": told.counts[step]} for step, _level in STEP_LEVELS if step in told.counts
        ]
        lines.append(_("Open the list: %(link)s") % {"link": link})
        notices.append(
            Notification(
                recipient_id=user_id,
                kind=DIGEST_KIND,
                # One digest per recipient and sweep; two sweeps at one moment claim different rows.
                dedupe_key=f"{DIGEST_KIND}:{stamp}:{told.first[1] if told.first else 0}",
                title=_("Demand deadlines: %(count)s cases need attention") % {"count": told.total},
                body="\n".join(lines),
                link=link,
                created_at=now,
            )
        )
    return notices


@transaction.atomic
def demands_sweep_deadlines(*, now: datetime | None = None) -> SweepResult:
    """Warn, flag and escalate; record each step once and tell each recipient once. Safe to run
    twice or from two schedulers at once."""
    now = now or clock.now()
    rules = _rules()
    claim = _claim_postgresql if connection.vendor == "postgresql" else _claim_sqlite
    groups = claim(now=now, rules=rules)
    result = SweepResult()
    for group in groups:
        setattr(result, group.step, getattr(result, group.step) + group.count)
    if groups:
        Notification.objects.bulk_create(_notices(_tidings(groups), now=now), ignore_conflicts=True)
        # The notices were bulk-inserted, not made by notification_create: nothing queued their e-mails.
        notifications_send_after_commit()
    return result
