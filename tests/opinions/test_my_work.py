""" "My work" (``my_demands``): a handler's open cases by deadline, then those after the reply (to
complete, to call back) newest first; a case called back has left it."""

from datetime import timedelta

from bureau import clock
from opinions.models import Demand
from opinions.selectors.demands import my_demands
from tests.opinions.factories import DemandFactory

State = Demand.State


def test_open_cases_by_deadline_then_the_rest_newest_first(cast, travel, django_assert_num_queries):
    staff = cast["staff"]
    now = clock.now()

    def case(subject, state, received_hours_ago, due_in_hours, **fields):
        return DemandFactory(
            subject=subject,
            handler=staff,
            state=state,
            received_at=now - timedelta(hours=received_hours_ago),
            due_at=now + timedelta(hours=due_in_hours),
            rounds=False,
            **fields,
        )

    case("已答复，较早", State.REPLIED, 50, -26, replied_at=now - timedelta(hours=40))
    case("待签收，最晚到期", State.ASSIGNED, 2, 22)
    case("已办结，已回访", State.COMPLETED, 30, -6, completed_at=now, called_back_at=now)  # done: not shown
    case("已办结，待回访", State.COMPLETED, 20, 4, completed_at=now)
    case("已超时", State.ASSIGNED, 30, -6)
    case("退回中", State.HANDED_BACK, 10, 14)
    DemandFactory(subject="别人的", handler=cast["supervisor"], state=State.ASSIGNED, rounds=False)
    my_demands(user=staff.user, person=staff)  # permissions and the sections staff see, read once
    with django_assert_num_queries(2):  # the open part, then the part after the reply
        subjects = [demand.subject for demand in my_demands(user=staff.user, person=staff)]
    assert subjects == ["已超时", "退回中", "待签收，最晚到期", "已办结，待回访", "已答复，较早"]
    assert [d.subject for d in my_demands(user=staff.user, person=staff, limit=2)] == ["已超时", "退回中"]
    assert [d.subject for d in my_demands(user=staff.user, person=staff, limit=4)][-1] == "已办结，待回访"
