"""To-do (待办): every waiting step notifies whoever must act, once; one list per step, the same
count on the page, the menu badge and the home panel; constant queries whatever the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assignments.models import CountyTask, IncidentReport
from assignments.services.reports import incident_report_create
from bureau import clock
from bureau.models import Notification
from opinions.models import Demand, DemandKind, ReplyWindow
from opinions.policies import demand_can
from opinions.selectors.todo import BY_KEY, demand_todo
from opinions.services import demands as s
from opinions.services.demands.waiting import demand_notify_waiting
from publicity.models import PublicityPost
from reports.todo import todo_badge, todo_counts
from tests.assignments.factories import CountyTaskFactory, IncidentReportFactory, ShiftAssignmentFactory
from tests.factories import SectionFactory
from tests.opinions.factories import ChannelFactory, DemandFactory
from tests.publicity.factories import PublicityPostFactory

pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 Shanghai


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def notices(person, kind):
    return Notification.objects.filter(recipient=person.user, kind=kind).count()


def test_each_waiting_step_tells_who_must_act_once(cast):
    staff, supervisor, leader, director = cast["staff"], cast["supervisor"], cast["leader"], cast["director"]
    ReplyWindow.objects.create(kind=DemandKind.CRITICISM, amount=24, needs_review=True)
    channel = ChannelFactory(section=SectionFactory(owner=staff))
    demand = s.demand_create(
        actor=supervisor.user, kind=DemandKind.CRITICISM, channel=channel, subject="批评窗口态度", content="内容"
    )
    assert notices(staff, "opinions.demand.waiting.claim") == 1  # the section's owner signs for it
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_reply(demand=demand, actor=staff.user, reply_text="已核实并道歉")
    # Reviewers: the leader and the director (both hold the review permission); not the staff member.
    assert notices(leader, "opinions.demand.waiting.review") == 1
    assert notices(director, "opinions.demand.waiting.review") == 1
    assert notices(staff, "opinions.demand.waiting.review") == 0
    s.demand_review(demand=demand, actor=leader.user, approve=True)
    # A criticism needs the leader's sign-off: the director is told; the leader who approved is not.
    assert notices(director, "opinions.demand.waiting.sign-off") == 1
    assert notices(leader, "opinions.demand.waiting.sign-off") == 0
    assert notices(staff, "opinions.demand.waiting.complete") == 0  # not before the sign-off
    # Once: the same occasion again writes nothing.
    demand.refresh_from_db()
    again = demand_notify_waiting(demand=demand, step="sign-off", occasion="round0", actor=leader.user, now=clock.now())
    assert again == 0
    s.demand_sign_off(demand=demand, actor=director.user)
    assert notices(staff, "opinions.demand.waiting.complete") == 1  # now the handler completes it

    other = DemandFactory(handler=staff, state=Demand.State.ASSIGNED)
    s.demand_request_extension(
        demand=other, actor=staff.user, until=other.due_at + timedelta(days=1), reason="需现场核查"
    )
    assert notices(supervisor, "opinions.demand.waiting.decide-extension") == 1
    s.demand_decide_extension(demand=other, actor=supervisor.user, approve=False)
    s.demand_hand_back(demand=other, actor=staff.user, reason="不属于本科室")
    assert notices(supervisor, "opinions.demand.waiting.decide-hand-back") == 1


def test_a_major_report_upward_tells_every_leader_once(cast):
    incident_report_create(
        actor=cast["supervisor"].user,
        title="景区踩踏谣言",
        level=IncidentReport.Level.MAJOR,
        summary="谣言扩散",
        measures="发布辟谣",
        reported_to="县委宣传部",
        reported_at=clock.now(),
    )
    assert notices(cast["leader"], "assignments.major_report") == 1
    assert notices(cast["director"], "assignments.major_report") == 1
    assert notices(cast["supervisor"], "assignments.major_report") == 0
    incident_report_create(
        actor=cast["supervisor"].user,
        title="一般舆情",
        level=IncidentReport.Level.ORDINARY,
        summary="s",
        measures="m",
        reported_to="县委宣传部",
        reported_at=clock.now(),
    )
    assert notices(cast["leader"], "assignments.major_report") == 1  # ordinary ones do not


def build_office(cast, extra: int = 0):
    """A small office; ``extra`` adds that many more rows to every list (for the query-count test).

    Per list, counted by hand from the rows below (extra = 0):
    leader — review 1, sign_off 1 (the criticism; the replied praise needs none), publicity 1,
      feedback 1, major reports 1 (the 10-day-old one has left the list);
    supervisor — dispatch 1, hand_back 1, extension 1, overdue 2 (the received one 25 h old and the
      assigned one 30 h old; nothing else is past its deadline), due_soon 1 (due in 1 h),
      call_back_due 1;
    staff — sign_for 1 (the received one in their section), reply 3 (assigned to them: the
      extension one, the overdue one, the due-soon one), complete 1 (the praise), call_back 1,
      shifts 1."""
    staff, leader = cast["staff"], cast["leader"]
    now = clock.now()
    mine = SectionFactory(owner=staff)
    for _round in range(1 + extra):
        DemandFactory(state=Demand.State.IN_REVIEW, handler=staff)
        DemandFactory(state=Demand.State.REPLIED, kind=DemandKind.CRITICISM, handler=staff, replied_at=now)
        DemandFactory(state=Demand.State.REPLIED, kind=DemandKind.PRAISE, handler=staff, replied_at=now)
        DemandFactory(section=mine, received_at=now - timedelta(hours=25))  # to dispatch, sign for; overdue
        DemandFactory(state=Demand.State.HANDED_BACK, handler=staff)
        DemandFactory(
            state=Demand.State.ASSIGNED, handler=staff, extension_until=now + timedelta(days=3), extension_reason="r"
        )
        DemandFactory(state=Demand.State.ASSIGNED, handler=staff, received_at=now - timedelta(hours=30))  # overdue
        DemandFactory(state=Demand.State.ASSIGNED, handler=staff, received_at=now - timedelta(hours=23))  # due soon
        DemandFactory(state=Demand.State.COMPLETED, handler=staff, completed_at=now)
        DemandFactory(
            state=Demand.State.COMPLETED, handler=staff, completed_at=now, called_back_at=now, satisfaction="satisfied"
        )
        PublicityPostFactory(state=PublicityPost.State.SUBMITTED, submitted_at=now)
        CountyTaskFactory(state=CountyTask.State.FEEDBACK_SUBMITTED, feedback_submitted_at=now, feedback="f")
        IncidentReportFactory(level=IncidentReport.Level.MAJOR)
        IncidentReportFactory(level=IncidentReport.Level.MAJOR, created_at=now - timedelta(days=10))
    if not extra:
        ShiftAssignmentFactory(person=staff)
    return leader


EXPECTED = {
    "leader": {
        "review": 1,
        "sign_off": 1,
        "publicity_approve": 1,
        "feedback_approve": 1,
        "major_reports": 1,
        "briefings_sign": 0,
        "my_shifts": 0,
    },
    "supervisor": {
        "dispatch": 1,
        "hand_back": 1,
        "extension": 1,
        "overdue": 2,
        "due_soon": 1,
        "call_back_due": 1,
        "sign_for": 0,
        "reply": 0,
        "complete": 0,
        "call_back": 0,
        "my_shifts": 0,
    },
    "staff": {"sign_for": 1, "reply": 3, "complete": 1, "call_back": 1, "my_shifts": 1},
}


@pytest.mark.parametrize("role", ["leader", "supervisor", "staff"])
def test_counts_per_role(cast, role):
    build_office(cast)
    user = cast[role].user
    assert todo_counts(user=user, person=cast[role]) == EXPECTED[role]
    # The badge counts every list but the shifts (shown, not a decision).
    assert todo_badge(user=user, person=cast[role]) == sum(
        count for key, count in EXPECTED[role].items() if key != "my_shifts"
    )


@pytest.mark.parametrize("role", ["leader", "supervisor", "staff"])
def test_each_listed_demand_can_take_the_step_that_clears_it(cast, role):
    build_office(cast)
    user = cast[role].user
    for key, todo in BY_KEY.items():
        for demand in demand_todo(user=user, key=key):
            assert demand_can(user, demand, todo.step), (role, key, demand.state)


@pytest.mark.parametrize("role", ["leader", "supervisor", "staff"])
def test_todo_page_home_and_badge_queries_do_not_grow(client_as, cast, role):
    build_office(cast)
    client = client_as(role)
    client.get(reverse("todo"))  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as small:
        page = client.get(reverse("todo"))
    with CaptureQueriesContext(connection) as small_home:
        client.get("/")
    build_office(cast, extra=4)
    with CaptureQueriesContext(connection) as large:
        large_page = client.get(reverse("todo"))
    with CaptureQueriesContext(connection) as large_home:
        client.get("/")
    assert page.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large_home) == len(small_home), [q["sql"] for q in large_home.captured_queries]
    badge = sum(count for key, count in EXPECTED[role].items() if key != "my_shifts")
    assert f'data-testid="todo-badge">{badge}<' in page.content.decode()
    html = large_page.content.decode()
    for key, count in EXPECTED[role].items():
        expected = count if key == "my_shifts" else count * 6  # the first round and five more of the same rows
        assert f'data-testid="todo-count-{key}">{expected}<' in html, key


def test_home_page_leads_with_the_todo_panel_and_a_leader_has_a_demand_panel(client_as, cast):
    build_office(cast)
    page = client_as("leader").get("/").content.decode()
    assert page.index('data-testid="todo-panel"') < page.index('data-testid="leader-demands-panel"')
    assert 'data-testid="todo-panel-sign_off"' in page
    assert 'data-testid="overdue-count"' in page  # the office's overdue demands (2), for the leader


def test_signing_off_takes_the_demand_off_the_list(client_as, cast):
    build_office(cast)
    leader = cast["leader"]
    client = client_as("leader")
    waiting = demand_todo(user=leader.user, key="sign_off").get()
    response = client.post(reverse("opinions:demand-action", args=[waiting.pk, "sign-off"]))
    assert response.status_code == 302
    assert todo_counts(user=leader.user, person=leader)["sign_off"] == 0
    staff = cast["staff"]
    assert todo_counts(user=staff.user, person=staff)["complete"] == 2  # now the handler completes it


def test_a_list_past_ninety_nine_shows_99_plus_on_the_page_the_panel_and_the_badge(client_as, cast, travel):
    """Counts stop at the cap (bureau.counting): 99 waiting shows 99, the hundredth makes it 99+.
    Two lists here: 99 overdue demands, then one more; 98 + 1 due soon is no list of 99."""
    now = clock.now()
    late = {"received_at": now - timedelta(hours=30), "due_at": now - timedelta(hours=6)}
    DemandFactory.create_batch(99, rounds=False, **late)
    client = client_as("supervisor")
    html = client.get(reverse("todo")).content.decode()
    assert 'data-testid="todo-count-overdue">99<' in html
    assert 'data-testid="todo-badge">99+<' in html  # 99 overdue + 99 to dispatch: the sum is past the cap
    assert todo_counts(user=cast["supervisor"].user, person=cast["supervisor"])["overdue"] == 99
    DemandFactory(rounds=False, **late)
    html = client.get(reverse("todo")).content.decode()
    assert 'data-testid="todo-count-overdue">99+<' in html
    assert todo_counts(user=cast["supervisor"].user, person=cast["supervisor"])["overdue"] == 100  # cap + 1
    home = client.get("/").content.decode()
    assert 'data-testid="todo-panel-overdue"' in home
    assert '<span class="badge text-bg-danger">99+</span>' in home


def test_every_list_is_counted_in_one_statement(cast, django_assert_num_queries):
    build_office(cast)
    supervisor = cast["supervisor"]
    todo_counts(user=supervisor.user, person=supervisor)  # the rules and permissions, read once per process
    with django_assert_num_queries(2):  # the due-soon window from the rules, then every count
        counts = todo_counts(user=supervisor.user, person=supervisor)
    assert counts == EXPECTED["supervisor"]  # as counted by hand in build_office's docstring


@pytest.mark.parametrize("address", ["/", "/todo/", "/duty/desk/"])
def test_a_page_that_shows_the_todo_counts_sends_the_counting_statement_once(client_as, cast, address):
    """The home panel, the to-do page and the duty desk count the lists for themselves; the menu's
    badge reads those counts instead of sending the same statement again."""
    build_office(cast)
    client = client_as("staff")
    client.get(address)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(address)
    assert page.status_code == 200
    counting = [query["sql"] for query in queries.captured_queries if 'AS "rows_0"' in query["sql"]]
    assert len(counting) == 1, counting
    badge = sum(count for key, count in EXPECTED["staff"].items() if key != "my_shifts")
    assert f'data-testid="todo-badge">{badge}<' in page.content.decode()
