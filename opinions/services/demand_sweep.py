"""The deadline sweep (every minute): due-soon warnings, overdue flags and the two escalation steps.

Each step is one SQL statement: a conditional ``UPDATE ... RETURNING`` over the open demands
(PostgreSQL re-checks the condition for rows a concurrent sweep changed, so two sweeps never claim
one row) whose rows feed ``INSERT ... SELECT`` of their pressing records and notices, both also
guarded by unique constraints (``ON CONFLICT DO NOTHING``): a repeat finds nothing to do and sends
nothing twice. Their e-mails are queued right after commit (the outbox sweep catches any the
broker could not take)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau import clock
from bureau.models import Notification, Person, Role, Section
from bureau.notifications import notifications_send_after_commit
from opinions.models import Demand, DemandPress, DemandRules

OPEN = tuple(str(state) for state in Demand.OPEN_STATES)


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    supervisor: int = 0
    leader: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _rules() -> DemandRules:
    return DemandRules.objects.filter(pk=1).first() or DemandRules()


LINK_PLACEHOLDER = 999999999


def _step_portable(*, orm_filter: Q, orm_update: dict, step: str, title: str, role: str | None, now) -> int:
    """The same step for databases without data-modifying CTEs (SQLite in the embedded office,
    where writers are serialised anyway): claim with a conditional UPDATE, then insert the
    pressing records and notices, each guarded by the same unique constraints."""
    open_demands = Demand.objects.filter(state__in=Demand.OPEN_STATES)
    rows = list(
        open_demands.filter(orm_filter).values(
            "id", "subject", "due_at", "handler_id", "section_id", "handler__user_id", "section__owner__user_id"
        )
    )
    if not rows:
        return 0
    claimed = open_demands.filter(orm_filter, pk__in=[row["id"] for row in rows]).update(**orm_update)
    DemandPress.objects.bulk_create(
        [DemandPress(demand_id=row["id"], step=step, round=0, due_at=row["due_at"], created_at=now) for row in rows],
        ignore_conflicts=True,
    )
    kind = f"opinions.demand.{step}"
    fallback = list(
        Person.objects.filter(role=role or Role.OFFICE_HEAD, is_active=True).values_list("user_id", flat=True)
    )
    notices = []
    for row in rows:
        if role is not None:
            user_ids = fallback
        elif row["handler__user_id"] or row["section__owner__user_id"]:
            user_ids = [row["handler__user_id"] or row["section__owner__user_id"]]
        else:
            user_ids = fallback if row["handler_id"] is None and row["section_id"] is None else []
        for user_id in user_ids:
            notices.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    dedupe_key=f"{kind}:{row['id']}:{int(row['due_at'].timestamp())}",
                    title=title.replace("%(subject)s", row["subject"])[:200],
                    link=reverse("opinions:demand-detail", args=[row["id"]]),
                    created_at=now,
                )
            )
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return claimed


def _step(*, set_sql: str, where_sql: str, params: dict, step: str, title: str, role: str | None, now) -> int:
    """One statement: claim the rows (conditional UPDATE), insert their pressing records and their
    notices (both ON CONFLICT DO NOTHING). Returns how many rows this call claimed.

    Notices go to the role's active people, or (role None) to the handler, else the section's
    owner, else the office heads."""
    demand, press = Demand._meta.db_table, DemandPress._meta.db_table
    person, section, notice = Person._meta.db_table, Section._meta.db_table, Notification._meta.db_table
    if role is None:
        recipients = f"""
            SELECT c.id, c.subject, c.due_at, COALESCE(hp.user_id, op.user_id) AS user_id
            FROM claimed c LEFT JOIN {person} hp ON hp.id = c.handler_id
                LEFT JOIN {section} s ON s.id = c.section_id LEFT JOIN {person} op ON op.id = s.owner_id
            WHERE COALESCE(hp.user_id, op.user_id) IS NOT NULL
            UNION ALL
            SELECT c.id, c.subject, c.due_at, p.user_id FROM claimed c CROSS JOIN {person} p
            WHERE c.handler_id IS NULL AND c.section_id IS NULL AND p.role = %(fallback_role)s AND p.is_active"""  # noqa: S608 - table names from models
    else:
        recipients = f"""
            SELECT c.id, c.subject, c.due_at, p.user_id FROM claimed c CROSS JOIN {person} p
            WHERE p.role = %(role)s AND p.is_active"""  # noqa: S608 - table names from models
    sql = f"""
        WITH claimed AS (
            UPDATE {demand} SET {set_sql}
            WHERE state IN %(open)s AND {where_sql}
            RETURNING id, subject, due_at, handler_id, section_id
        ), presses AS (
            INSERT INTO {press} (demand_id, step, round, due_at, created_at, note)
            SELECT id, %(step)s, 0, due_at, %(now)s, '' FROM claimed
            ON CONFLICT DO NOTHING
        ), recipients AS ({recipients}
        ), notices AS (
            INSERT INTO {notice} (recipient_id, kind, dedupe_key, title, body, link, created_at)
            SELECT user_id, %(kind)s,
                %(kind)s || ':' || id || ':' || floor(extract(epoch FROM due_at))::bigint,
                left(replace(%(title)s, %(subject_marker)s, subject), 200), '',
                replace(%(link)s, %(link_marker)s, id::text), %(now)s
            FROM recipients
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) FROM claimed"""  # noqa: S608 - table names from models; every value is a parameter
    values = {
        **params,
        "open": OPEN,
        "step": step,
        "now": now,
        "role": role,
        "fallback_role": Role.OFFICE_HEAD,
        "kind": f"opinions.demand.{step}",
        "title": title,
        "subject_marker": "%(subject)s",
        "link": reverse("opinions:demand-detail", args=[LINK_PLACEHOLDER]),
        "link_marker": str(LINK_PLACEHOLDER),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]


@transaction.atomic
def demands_sweep_deadlines(*, now: datetime | None = None, portable: bool | None = None) -> SweepResult:
    """Warn, flag and escalate. Safe to run twice or from two schedulers at once.

    ``portable`` forces the ORM path (the default picks it on databases other than PostgreSQL)."""
    now = now or clock.now()
    rules = _rules()
    if portable is None:
        portable = connection.vendor != "postgresql"
    soon, supervisor_cutoff, leader_cutoff = (
        now + rules.due_soon_window,
        now - rules.supervisor_after,
        now - rules.leader_after,
    )
    steps = [
        (
            "due_soon",
            "due_soon_at = %(now)s",
            "overdue_at IS NULL AND due_soon_at IS NULL AND due_at > %(now)s AND due_at <= %(soon)s",
            {"soon": soon},
            Q(overdue_at=None, due_soon_at=None, due_at__gt=now, due_at__lte=soon),
            {"due_soon_at": now},
            DemandPress.Step.DUE_SOON,
            _("Reply due soon: %(subject)s"),
            None,
        ),
        (
            "overdue",
            "overdue_at = %(now)s, escalation_level = 1, was_overdue = true",
            "overdue_at IS NULL AND due_at <= %(now)s",
            {},
            Q(overdue_at=None, due_at__lte=now),
            {"overdue_at": now, "escalation_level": 1, "was_overdue": True},
            DemandPress.Step.OVERDUE,
            _("Overdue, reply now: %(subject)s"),
            None,
        ),
        (
            "supervisor",
            "escalation_level = 2",
            "overdue_at IS NOT NULL AND escalation_level = 1 AND due_at <= %(cutoff)s",
            {"cutoff": supervisor_cutoff},
            Q(overdue_at__isnull=False, escalation_level=1, due_at__lte=supervisor_cutoff),
            {"escalation_level": F("escalation_level") + 1},
            DemandPress.Step.SUPERVISOR,
            _("Overdue demand not yet answered: %(subject)s"),
            Role.OFFICE_HEAD,
        ),
        (
            "leader",
            "escalation_level = 3",
            "overdue_at IS NOT NULL AND escalation_level = 2 AND due_at <= %(cutoff)s",
            {"cutoff": leader_cutoff},
            Q(overdue_at__isnull=False, escalation_level=2, due_at__lte=leader_cutoff),
            {"escalation_level": F("escalation_level") + 1},
            DemandPress.Step.LEADER,
            _("Demand long overdue, for the leader in charge: %(subject)s"),
            Role.LEADER,
        ),
    ]
    result = SweepResult()
    for field, set_sql, where_sql, params, orm_filter, orm_update, step, title, role in steps:
        if portable:
            count = _step_portable(
                orm_filter=orm_filter, orm_update=orm_update, step=step, title=title, role=role, now=now
            )
        else:
            count = _step(
                set_sql=set_sql, where_sql=where_sql, params=params, step=step, title=title, role=role, now=now
            )
        setattr(result, field, count)
    if any(result.as_dict().values()):
        # The notices were written by SQL, not by notification_create: nothing queued their e-mails.
        notifications_send_after_commit()
    return result
