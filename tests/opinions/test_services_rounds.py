"""What each demand service records on the rounds, call-backs and hand-backs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from opinions.models import Demand, DemandKind, DemandRules, ReplyWindow
from opinions.policies import demand_can
from opinions.selectors.figures import office_demand_figures
from opinions.services import demands as s

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")
RECEIVED = datetime(2025, 8, 4, 9, 0, tzinfo=SHANGHAI)  # a Monday; complaints: 24 hours


def later(**delta) -> datetime:
    return RECEIVED + timedelta(**delta)


@pytest.fixture
def demand(cast, channel_factory):
    return s.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=channel_factory(section__owner=cast["staff"]),
        subject="路灯不亮",
        content="小区门口",
        received_at=RECEIVED,
        now=RECEIVED,
    )


def test_a_new_demand_opens_round_0_with_its_deadline_and_sign_for_limit(demand, cast):
    first = demand.rounds.get()
    assert (first.number, first.started_at, first.due_at) == (0, RECEIVED, later(hours=24))
    assert (first.dispatched_at, first.sign_for_due_at, first.signed_for_at) == (RECEIVED, later(hours=2), None)
    s.demand_claim(demand=demand, actor=cast["staff"].user, now=later(hours=2))  # at the limit: on time
    first.refresh_from_db()
    assert (first.signed_for_at, first.handler) == (later(hours=2), cast["staff"])


def test_the_sign_for_limit_is_the_admins(demand, cast, channel_factory):
    DemandRules.objects.create(pk=1, sign_for_window=timedelta(minutes=30))
    other = s.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=channel_factory(),
        subject="噪音",
        content="夜间",
        received_at=RECEIVED,
        now=RECEIVED,
    )
    assert other.rounds.get().sign_for_due_at == later(minutes=30)


def test_a_reviewed_reply_counts_when_approved_and_for_its_writer(demand, cast):
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    staff = cast["staff"]
    s.demand_claim(demand=demand, actor=staff.user, now=later(minutes=5))
    s.demand_reply(demand=demand, actor=staff.user, reply_text="初稿", now=later(hours=20))
    assert demand.rounds.get().replied_at is None  # waiting for review is not a reply
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True, now=later(hours=25))
    first = demand.rounds.get()
    assert (first.replied_at, first.replied_by) == (later(hours=25), staff)  # 1 h late: judged at approval


def test_an_unreachable_call_back_may_be_tried_again_a_reached_one_not(demand, cast):
    staff = cast["staff"].user
    s.demand_claim(demand=demand, actor=staff, now=later(minutes=5))
    s.demand_reply(demand=demand, actor=staff, reply_text="答复", now=later(hours=3))
    s.demand_complete(demand=demand, actor=staff, resolution="办结", now=later(hours=4))
    s.demand_call_back(demand=demand, actor=staff, satisfaction="unreachable", now=later(days=1))
    demand.refresh_from_db()
    assert demand_can(staff, demand, "call-back")
    s.demand_call_back(demand=demand, actor=staff, satisfaction="fairly", now=later(days=2))
    demand.refresh_from_db()
    assert not demand_can(staff, demand, "call-back")
    with pytest.raises(ValidationError, match="already been called back"):
        s.demand_call_back(demand=demand, actor=staff, satisfaction="satisfied", now=later(days=3))
    assert list(demand.call_backs.values_list("number", "result", "by")) == [
        (0, "unreachable", cast["staff"].pk),
        (1, "fairly", cast["staff"].pk),
    ]


def test_hand_backs_are_recorded_with_who_handed_back_and_the_decision(demand, cast):
    staff, sup = cast["staff"], cast["supervisor"].user
    s.demand_claim(demand=demand, actor=staff.user, now=later(minutes=5))
    s.demand_hand_back(demand=demand, actor=staff.user, reason="非本科室职责", now=later(minutes=10))
    s.demand_decide_hand_back(demand=demand, actor=sup, accept=False, now=later(minutes=20))
    demand.refresh_from_db()
    assert (demand.department, demand.section) == (staff.department, demand.channel.section)  # stays
    s.demand_hand_back(demand=demand, actor=staff.user, reason="确属他科室", now=later(minutes=30))
    s.demand_decide_hand_back(demand=demand, actor=sup, accept=True, now=later(minutes=40))
    demand.refresh_from_db()
    assert (demand.state, demand.department, demand.section, demand.handler) == (
        Demand.State.RECEIVED,
        None,
        None,
        None,
    )
    assert list(demand.hand_backs.order_by("pk").values_list("department", "decision", "decided_at")) == [
        (staff.department_id, "refused", later(minutes=20)),
        (staff.department_id, "accepted", later(minutes=40)),
    ]
    first = demand.rounds.get()
    # Dispatched afresh at the acceptance: the next handler's sign-for limit runs from then.
    assert (first.dispatched_at, first.signed_for_at, first.department) == (later(minutes=40), None, None)


def test_a_redo_round_has_its_own_deadline_and_the_first_keeps_its_own(demand, cast):
    staff = cast["staff"].user
    s.demand_claim(demand=demand, actor=staff, now=later(minutes=5))
    s.demand_reply(demand=demand, actor=staff, reply_text="答复", now=later(hours=3))
    s.demand_complete(demand=demand, actor=staff, resolution="办结", now=later(hours=4))
    s.demand_call_back(demand=demand, actor=staff, satisfaction="unsatisfied", now=later(days=2))
    demand.refresh_from_db()
    assert demand.due_at == later(days=3)  # the redo's deadline in force, for the sweep and lists
    assert list(demand.rounds.order_by("number").values_list("number", "started_at", "due_at", "signed_for_at")) == [
        (0, RECEIVED, later(hours=24), later(minutes=5)),
        (1, later(days=2), later(days=3), later(days=2)),  # back to its handler at once
    ]
    asked = later(days=2, hours=1)
    s.demand_request_extension(demand=demand, actor=staff, until=later(days=4), reason="复查", now=asked)
    assert demand.rounds.get(number=1).extension_asked_at == asked
    assert demand.rounds.get(number=0).extension_asked_at is None


@pytest.mark.parametrize(("approve", "on_time"), [(True, 1), (False, 0)])
def test_an_extension_decided_after_the_reply_still_decides_on_time(demand, cast, approve, on_time):
    """Due 08-05 09:00; asked 08-05 08:00 until 08-06 09:00; replied 08-05 20:00 while it was pending;
    decided 08-06 10:00. Approved: replied on time (1); refused: late (0 on time, 1 late)."""
    staff, sup = cast["staff"].user, cast["supervisor"].user
    s.demand_claim(demand=demand, actor=staff, now=later(minutes=5))
    s.demand_request_extension(demand=demand, actor=staff, until=later(hours=48), reason="核查", now=later(hours=23))
    s.demand_reply(demand=demand, actor=staff, reply_text="答复", now=later(hours=35))
    demand.refresh_from_db()
    assert demand_can(sup, demand, "decide-extension")
    s.demand_decide_extension(demand=demand, actor=sup, approve=approve, now=later(hours=49))
    figures, _rows = office_demand_figures(start=RECEIVED, end=later(days=1), now=later(days=3))
    assert (figures.replied_on_time, figures.replied_late) == (on_time, 1 - on_time)
    assert (figures.extensions_requested, figures.extensions_approved) == (1, on_time)
