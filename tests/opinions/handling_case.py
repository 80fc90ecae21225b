"""One case with three rounds and long texts, built through the services as an office would: the
handling form's tests (its content here, its one printed page in tests/e2e) read it."""

from datetime import timedelta

from bureau import clock
from opinions.models import Demand, DemandKind, ReplyWindow
from opinions.services import demands as services
from tests.opinions.factories import PostFactory

LONG_CONTENT = "群众反映小区门口道路施工围挡长期不撤，夜间噪音扰民，雨天积水严重，老人孩子出行不便。" * 12
LONG_REPLY = "您好，我局已会同住建部门和施工单位到现场核查，责令施工单位夜间停工并设置排水设施。" * 8
LINK = "https://bbs.example.gov.cn/forum/thread-" + "8" * 120 + ".html?from=search&page=1"


def build_three_round_case(cast, travel) -> Demand:
    """From 09:00 on 2 March 2026 (the ``travel`` clock): a post found and entered, dispatched to
    staff, signed for, reply reviewed by the leader, completed; called back unsatisfied twice (two
    redo rounds); the third round is pressed once, then replied (reviewed) and not yet completed.
    Each step moves the clock one hour."""
    ReplyWindow.objects.update_or_create(kind=DemandKind.COMPLAINT, defaults={"needs_review": True})
    supervisor, staff, leader = cast["supervisor"].user, cast["staff"], cast["leader"].user
    post = PostFactory(link=LINK, found_at=clock.now() - timedelta(minutes=20))
    demand = services.demand_create_from_post(
        post=post, actor=supervisor, kind=DemandKind.COMPLAINT, subject="小区门口施工围挡长期不撤", content=LONG_CONTENT
    )

    def step():
        travel.shift(timedelta(hours=1))

    step()
    services.demand_assign(demand=demand, actor=supervisor, handler=staff)
    for round_number in range(3):
        step()
        if round_number == 2:
            services.demand_press(demand=demand, actor=supervisor, note="请尽快答复。")
            step()
        services.demand_reply(demand=demand, actor=staff.user, reply_text=f"第{round_number + 1}轮答复：{LONG_REPLY}")
        step()
        services.demand_review(demand=demand, actor=leader, approve=True, opinion="同意答复，注意跟进整改情况。")
        if round_number == 2:
            break
        step()
        services.demand_complete(
            demand=demand,
            actor=staff.user,
            resolution="施工单位已整改。" * 20,
            measures="现场核查，约谈施工单位。" * 15,
        )
        step()
        services.demand_call_back(demand=demand, actor=supervisor, satisfaction=Demand.Satisfaction.UNSATISFIED)
    demand.refresh_from_db()
    return demand
