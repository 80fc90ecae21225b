"""The deadline sweep (every minute): due-soon warnings, overdue flags and the two escalation steps.

Each step is one SQL statement: a conditional ``UPDATE ... RETURNING`` over the open demands
(PostgreSQL re-checks the condition for rows a concurrent sweep changed, so two sweeps never claim
one row) whose rows feed ``INSERT ... SELECT`` of their pressing records and notices, both also
guarded by unique constraints (``ON CONFLICT DO NOTHING``): a repeat finds nothing to do and sends
nothing twice. E-mails go out through the notification outbox sweep."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau import clock
from bureau.models import Notification, Person, Role, Section
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
def demands_sweep_deadlines(*, now: datetime | None = None) -> SweepResult:
    """Warn, flag and escalate. Safe to run twice or from two schedulers at once."""
    now = now or clock.now()
    rules = _rules()
    result = SweepResult()
    result.due_soon = _step(
        set_sql="due_soon_at = %(now)s",
        where_sql="overdue_at IS NULL AND due_soon_at IS NULL AND due_at > %(now)s AND due_at <= %(soon)s",
        params={"soon": now + rules.due_soon_window},
        step=DemandPress.Step.DUE_SOON,
        title=_("Reply due soon: %(subject)s"),
        role=None,
        now=now,
    )
    result.overdue = _step(
        set_sql="overdue_at = %(now)s, escalation_level = 1, was_overdue = true",
        where_sql="overdue_at IS NULL AND due_at <= %(now)s",
        params={},
        step=DemandPress.Step.OVERDUE,
        title=_("Overdue, reply now: %(subject)s"),
        role=None,
        now=now,
    )
    result.supervisor = _step(
        set_sql="escalation_level = 2",
        where_sql="overdue_at IS NOT NULL AND escalation_level = 1 AND due_at <= %(cutoff)s",
        params={"cutoff": now - rules.supervisor_after},
        step=DemandPress.Step.SUPERVISOR,
        title=_("Overdue demand not yet answered: %(subject)s"),
        role=Role.OFFICE_HEAD,
        now=now,
    )
    result.leader = _step(
        set_sql="escalation_level = 3",
        where_sql="overdue_at IS NOT NULL AND escalation_level = 2 AND due_at <= %(cutoff)s",
        params={"cutoff": now - rules.leader_after},
        step=DemandPress.Step.LEADER,
        title=_("Demand long overdue, for the leader in charge: %(subject)s"),
        role=Role.LEADER,
        now=now,
    )
    return result
