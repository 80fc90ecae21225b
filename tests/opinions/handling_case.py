"""One case with three rounds and long texts, built through the services as an office would: the
handling form's tests (its content here, its one printed page in tests/e2e) read it."""

from datetime import timedelta

from bureau import clock
from opinions.models import Demand, DemandKind, ReplyWindow
from opinions.services import demands as services
from tests.opinions.factories import PostFactory

LONG_CONTENT = "群众反映小区门口道路施工围挡长期不撤，夜间噪音扰民，雨天积水严重，老人孩子出行不便。" * 12
LONG_REPLY = "您好，我局已会同住建部门和施工单位到现场核查，责令施工单位夜间停工并设置排水设施。" * 8
LONG_SUBJECT = ("小区门口施工围挡长期不撤、夜间施工噪音扰民、雨天积水无人处理，请相关部门尽快协调解决" * 5)[
    :300
]  # the longest
REVIEW_OPINION = "同意答复，注意跟进整改情况。" + "请承办人每周报告一次施工单位整改进度，直至问题彻底解决。" * 4
LINK = "https://bbs.example.gov.cn/forum/thread-" + "8" * 120 + ".html?from=search&page=1"


def build_three_round_case(cast, travel) -> Demand:
    """From 09:00 on 2 March 2026 (the ``travel`` clock): a post found and entered, dispatched to
    staff, a day's extension asked and approved, reply reviewed by the leader, completed; called
    back unsatisfied twice (two redo rounds); the third round is pressed once, then replied
    (reviewed) and not yet completed. Each step moves the clock one hour."""
    ReplyWindow.objects.update_or_create(kind=DemandKind.COMPLAINT, defaults={"needs_review": True})
    supervisor, staff, leader = cast["supervisor"].user, cast["staff"], cast["leader"].user
    post = PostFactory(link=LINK, found_at=clock.now() - timedelta(minutes=20))
    demand = services.demand_create_from_post(
        post=post,
        actor=supervisor,
        kind=DemandKind.COMPLAINT,
        subject=LONG_SUBJECT,
        content=LONG_CONTENT,
        citizen_contact="手机13800001111，固定电话0513-88888888，微信同号，工作日晚上七点以后方便联系，地址幸福小区3栋2单元"
        * 2,
    )

    def step():
        travel.shift(timedelta(hours=1))

    step()
    services.demand_assign(demand=demand, actor=supervisor, handler=staff)
    # At 10:00 too: the handler asks for a day more, the office head agrees.
    services.demand_request_extension(
        demand=demand, actor=staff.user, until=demand.due_at + timedelta(days=1), reason="需会同住建部门现场核查。"
    )
    services.demand_decide_extension(demand=demand, actor=supervisor, approve=True)
    for round_number in range(3):
        step()
        if round_number == 2:
            services.demand_press(demand=demand, actor=supervisor, note="请尽快答复。")
            step()
        services.demand_reply(demand=demand, actor=staff.user, reply_text=f"第{round_number + 1}轮答复：{LONG_REPLY}")
        step()
        services.demand_review(demand=demand, actor=leader, approve=True, opinion=REVIEW_OPINION)
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
