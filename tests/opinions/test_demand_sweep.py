"""The deadline sweep under time travel: due soon, overdue, each escalation step, run twice. One ORM
path serves PostgreSQL and SQLite; "overdue" is strictly after the deadline (``overdue_q``)."""

from datetime import timedelta

import pytest

from bureau import clock
from bureau.models import Notification, Role
from opinions.models import DemandPress, DemandRules
from opinions.services import demands as s
from opinions.services.demand_sweep import demands_sweep_deadlines
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("travel")


@pytest.fixture
def handled(cast, demand_factory):
    """A demand received now (due in 24 h), signed for by the cast's staff member."""
    demand = demand_factory(channel__section__owner=cast["staff"])
    s.demand_claim(demand=demand, actor=cast["staff"].user)
    return demand


def steps(demand):
    return list(DemandPress.objects.filter(demand=demand).order_by("pk").values_list("step", flat=True))


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_each_step_at_its_time(handled, cast, travel):
    staff, supervisor, leader = cast["staff"].user, cast["supervisor"].user, cast["leader"].user
    travel.shift(timedelta(hours=21, minutes=59))
    assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 0, "supervisor": 0, "leader": 0}
    travel.shift(timedelta(minutes=1))  # 2 hours before the deadline
    assert demands_sweep_deadlines().due_soon == 1
    assert kinds_for(staff) == ["opinions.demand.due_soon"]
    travel.shift(timedelta(hours=2, seconds=-1))
    assert demands_sweep_deadlines().overdue == 0  # 1 s before the deadline
    travel.shift(timedelta(seconds=1))
    assert demands_sweep_deadlines().overdue == 0  # the deadline second itself is still on time
    travel.shift(timedelta(seconds=1))
    assert demands_sweep_deadlines().overdue == 1  # 1 s after
    handled.refresh_from_db()
    assert handled.overdue_at is not None
    assert handled.was_overdue
    assert handled.escalation_level == 1
    assert "opinions.demand.overdue" in kinds_for(staff)
    travel.shift(timedelta(hours=2, seconds=-1))
    assert demands_sweep_deadlines().supervisor == 1  # 2 h after the deadline
    assert kinds_for(supervisor) == ["opinions.demand.supervisor"]
    assert kinds_for(leader) == []
    travel.shift(timedelta(hours=6))
    assert demands_sweep_deadlines().leader == 1  # 8 h after
    assert kinds_for(leader) == ["opinions.demand.leader"]
    assert steps(handled) == ["due_soon", "overdue", "supervisor", "leader"]
    assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 0, "supervisor": 0, "leader": 0}


def test_second_sweep_flags_nothing(handled, travel):
    travel.shift(timedelta(days=2))
    first = demands_sweep_deadlines()
    assert (first.overdue, first.supervisor, first.leader) == (1, 1, 1)
    notices = Notification.objects.count()
    assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 0, "supervisor": 0, "leader": 0}
    assert Notification.objects.count() == notices
    assert DemandPress.objects.filter(demand=handled).count() == 3


def test_replied_demand_is_never_flagged(handled, cast, travel):
    s.demand_reply(demand=handled, actor=cast["staff"].user, reply_text="已答复")
    travel.shift(timedelta(days=3))
    assert demands_sweep_deadlines().overdue == 0


def test_periods_are_configurable(handled, travel):
    DemandRules.objects.create(pk=1, supervisor_after=timedelta(minutes=30), leader_after=timedelta(hours=1))
    travel.shift(timedelta(hours=24, minutes=30))
    result = demands_sweep_deadlines()
    assert (result.overdue, result.supervisor, result.leader) == (1, 1, 0)
    travel.shift(timedelta(minutes=30))
    assert demands_sweep_deadlines().leader == 1


def test_unassigned_overdue_goes_to_section_owner(cast, demand_factory, travel):
    demand_factory(channel__section__owner=cast["staff"])
    travel.shift(timedelta(hours=25))
    demands_sweep_deadlines()
    assert "opinions.demand.overdue" in kinds_for(cast["staff"].user)


def test_approved_extension_withdraws_the_flag(handled, cast, travel):
    travel.shift(timedelta(hours=23))
    s.demand_request_extension(
        demand=handled, actor=cast["staff"].user, until=handled.due_at + timedelta(days=1), reason="需核实"
    )
    travel.shift(timedelta(hours=2))
    assert demands_sweep_deadlines().overdue == 1
    s.demand_decide_extension(demand=handled, actor=cast["supervisor"].user, approve=True)
    handled.refresh_from_db()
    assert handled.overdue_at is None
    assert handled.escalation_level == 0
    assert handled.was_overdue
    assert demands_sweep_deadlines().overdue == 0
    travel.shift(timedelta(days=1))
    assert demands_sweep_deadlines().overdue == 1
    # The extended deadline is a new round: pressed and told again.
    assert steps(handled).count("overdue") == 2
    assert kinds_for(cast["staff"].user).count("opinions.demand.overdue") == 2


def test_leaders_only_get_the_last_step(handled, cast, travel):
    other_leader = PersonFactory(role=Role.LEADER)
    travel.shift(timedelta(days=2))
    demands_sweep_deadlines()
    assert kinds_for(other_leader.user) == ["opinions.demand.leader"]
    assert kinds_for(cast["director"].user) == []


def test_notices_are_queued_for_e_mail_right_after_the_sweep_commits(
    handled, travel, monkeypatch, django_capture_on_commit_callbacks
):
    from bureau import tasks

    queued = []
    monkeypatch.setattr(tasks.notifications_send_pending_task, "delay", lambda **kwargs: queued.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 0, "supervisor": 0, "leader": 0}
    assert queued == []  # nothing claimed, nothing to send
    travel.shift(timedelta(days=1, seconds=1))  # 1 s past the deadline
    with django_capture_on_commit_callbacks(execute=True):
        assert demands_sweep_deadlines().overdue == 1
    assert queued == [{"older_than_seconds": 0}]


def test_the_queued_send_mails_the_sweep_notices_at_once(handled, travel, mailoutbox):
    from bureau.notifications import notifications_send_pending

    travel.shift(timedelta(days=1))
    demands_sweep_deadlines()
    assert notifications_send_pending(older_than_seconds=0) == Notification.objects.count() > 0
    assert len(mailoutbox) == Notification.objects.count()


def test_the_sweep_and_the_readers_agree_at_the_deadline_second(handled, cast, travel):
    from opinions.models import Demand
    from opinions.selectors.figures import overdue_now_count

    travel.shift(timedelta(hours=24))  # exactly the deadline
    now = clock.now()
    assert (demands_sweep_deadlines().overdue, overdue_now_count(now=now)) == (0, 0)
    assert not Demand.objects.get(pk=handled.pk).is_overdue_at(now)
    travel.shift(timedelta(seconds=1))
    now = clock.now()
    assert (demands_sweep_deadlines().overdue, overdue_now_count(now=now)) == (1, 1)
    assert Demand.objects.get(pk=handled.pk).is_overdue_at(now)


def test_partial_indexes_hold_exactly_the_open_states():
    """The sweep's and the lists' partial indexes spell "open" as literals (schema in migrations):
    they must stay the one definition, ``Demand.OPEN_STATES``."""
    from opinions.models import Demand

    def lookups(condition):
        for child in condition.children:
            yield from lookups(child) if hasattr(child, "children") else [child]

    conditions = [index.condition for index in Demand._meta.indexes if index.condition is not None]
    states = [value for condition in conditions for key, value in lookups(condition) if key == "state__in"]
    # The open rows, the open rows by handler, the extension requests (to-do), and the closed rows
    # newest first (the lists' second part: "not open").
    assert len(states) == 4
    assert all(set(value) == set(Demand.OPEN_STATES) for value in states)


def _late(handler, *, hours: int, count: int = 1):
    """``count`` demands signed for by ``handler`` whose deadline passed ``hours`` ago (negative: still to come)."""
    from opinions.models import Demand
    from tests.opinions.factories import DemandFactory

    received = clock.now() - timedelta(hours=24 + hours)
    return [DemandFactory(handler=handler, state=Demand.State.ASSIGNED, received_at=received) for _ in range(count)]


def test_a_sweep_of_many_tells_each_recipient_once(cast, mailoutbox):
    """Three cases 9 h late, two due within the hour, one 1 h late: five recipients, five notices,
    five e-mails (hand-counted), each digest with its counts and a link to the list."""
    from django.utils import translation

    from bureau.notifications import notifications_send_pending

    staff, supervisor, leader = cast["staff"], cast["supervisor"], cast["leader"]
    other, third = PersonFactory(role=Role.STAFF), PersonFactory(role=Role.STAFF)
    _late(staff, hours=9, count=3)
    _late(other, hours=-1, count=2)
    (single,) = _late(third, hours=1)
    with translation.override("en"):
        result = demands_sweep_deadlines()
    assert result.as_dict() == {"due_soon": 2, "overdue": 4, "supervisor": 3, "leader": 3}
    assert DemandPress.objects.count() == 12

    def notice(person):
        (row,) = Notification.objects.filter(recipient=person.user)
        return row.kind, row.title, row.body.splitlines(), row.link

    assert notice(staff) == (
        "opinions.demand.digest",
        "Demand deadlines: 3 cases need attention",
        ["Overdue, reply now: 3", "Open the list: /opinions/demands/?overdue=true"],
        "/opinions/demands/?overdue=true",
    )
    assert notice(other) == (
        "opinions.demand.digest",
        "Demand deadlines: 2 cases need attention",
        ["Reply due soon: 2", "Open the list: /opinions/demands/"],
        "/opinions/demands/",
    )
    assert notice(third) == (
        "opinions.demand.overdue",
        f"Overdue, reply now: {single.number} {single.subject}",
        [],
        f"/opinions/demands/{single.pk}/",
    )
    assert notice(supervisor)[:3] == (
        "opinions.demand.digest",
        "Demand deadlines: 3 cases need attention",
        ["Overdue and not yet answered (for the office head): 3", "Open the list: /opinions/demands/?overdue=true"],
    )
    assert notice(leader)[:3] == (
        "opinions.demand.digest",
        "Demand deadlines: 3 cases need attention",
        ["Long overdue (for the leader in charge): 3", "Open the list: /opinions/demands/?overdue=true"],
    )
    assert Notification.objects.count() == 5
    assert notifications_send_pending(older_than_seconds=0) == 5
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        person.user.email for person in (staff, other, third, supervisor, leader)
    )
    # Nothing twice: a second sweep claims, records and tells nothing.
    assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 0, "supervisor": 0, "leader": 0}
    assert (DemandPress.objects.count(), Notification.objects.count()) == (12, 5)


def test_a_backlog_is_claimed_at_its_final_level_in_as_many_queries_as_one_case(cast, travel):
    """Each row is claimed once with its final level: 2 or 20 cases a day late, the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opinions.models import Demand

    staff = cast["staff"]
    _late(staff, hours=30, count=2)
    with CaptureQueriesContext(connection) as few:
        assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 2, "supervisor": 2, "leader": 2}
    travel.shift(timedelta(days=1))
    _late(staff, hours=30, count=20)
    with CaptureQueriesContext(connection) as many:
        assert demands_sweep_deadlines().as_dict() == {"due_soon": 0, "overdue": 20, "supervisor": 20, "leader": 20}
    assert len(many) == len(few)
    assert set(Demand.objects.values_list("escalation_level", flat=True)) == {3}
    if connection.vendor == "postgresql":
        updates = [query for query in many.captured_queries if "UPDATE" in query["sql"]]
        assert len(updates) == 1  # claim, records and counts: one statement


SWEEP_FLAGS = ("due_soon_at", "overdue_at", "escalation_level", "was_overdue")


@pytest.mark.django_db
def test_no_index_names_the_sweep_flags_so_its_update_can_be_hot():
    """An UPDATE is HOT (no index entries written) only if no index names a column it changes, in
    its fields or its condition: the sweep changes only these four."""
    from django.db import connection

    from opinions.models import Demand

    for index in Demand._meta.indexes:
        assert not set(index.fields) & set(SWEEP_FLAGS), index.name
        assert not any(flag in str(index.condition) for flag in SWEEP_FLAGS), index.name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'opinions_demand'")
            definitions = cursor.fetchall()
        assert [name for name, definition in definitions if any(flag in definition for flag in SWEEP_FLAGS)] == []
        # The foreign keys no query reads by alone have no index of their own (README, "Indexes").
        for column in ("reply_submitted_by_id", "reviewed_by_id", "signed_off_by_id", "duplicate_of_id"):
            assert [name for name, definition in definitions if column in definition] == [], column
        with connection.cursor() as cursor:
            cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'opinions_demand'")
            (options,) = cursor.fetchone()
        assert {"fillfactor=85", "autovacuum_vacuum_scale_factor=0.02", "autovacuum_analyze_scale_factor=0.01"} <= set(
            options
        )


def test_the_sweep_update_is_hot(cast):
    """On PostgreSQL the claim writes its new row version on the same page and no index entries.

    One demand: a HOT update needs room on the row's page, which the table's fillfactor (85)
    reserves for one new version; five wide rows updated on one page could outgrow it depending on
    what earlier tests left there (that made this test fail once in a full run)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("HOT updates are PostgreSQL's")
    _late(cast["staff"], hours=9, count=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_xact_tuples_hot_updated('opinions_demand'::regclass)")
        (before,) = cursor.fetchone()
        assert demands_sweep_deadlines().leader == 1
        cursor.execute("SELECT pg_stat_get_xact_tuples_hot_updated('opinions_demand'::regclass)")
        (after,) = cursor.fetchone()
    assert after - before == 1


def test_the_digest_is_in_chinese(cast):
    from django.utils import translation

    _late(cast["staff"], hours=1, count=2)
    with translation.override("zh-hans"):  # the office's language (LANGUAGE_CODE), as in the worker
        assert demands_sweep_deadlines().overdue == 2
    notice = Notification.objects.get(recipient=cast["staff"].user)
    assert notice.title == "诉求期限提醒：2 件需要处理"
    assert notice.body.splitlines() == ["已逾期，请立即答复：2 件", "打开列表：/opinions/demands/?overdue=true"]
