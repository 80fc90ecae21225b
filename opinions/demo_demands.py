"""Demo demands: about a year of complaints, suggestions and consultations, most answered in
time, some late, a few overdue right now; reply windows, the working-day calendar and FAQ entries.
Idempotent: rows are found by their subject and receipt time."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bureau import clock
from bureau.models import Person, User
from opinions.models import CalendarDay, Channel, Demand, DemandKind, DemandPress, FaqEntry, ReplyWindow

TOPICS = [
    (DemandKind.COMPLAINT, "广场舞音响噪音扰民", "文化广场每晚音响声音过大，严重影响周边居民休息。"),
    (DemandKind.COMPLAINT, "网吧接纳未成年人上网", "城南一家网吧经常有初中生出入，希望加强检查。"),
    (DemandKind.COMPLAINT, "景区门票价格不透明", "景区内二次收费项目多，门口没有公示价格。"),
    (DemandKind.COMPLAINT, "KTV营业至凌晨噪音扰民", "滨河路KTV营业到凌晨，门口停车混乱。"),
    (DemandKind.SUGGESTION, "建议延长图书馆周末开放时间", "希望县图书馆周末开放到晚上九点，方便上班族。"),
    (DemandKind.SUGGESTION, "建议增加农家书屋新书配送", "村里农家书屋的书多年未更新，建议定期配送新书。"),
    (DemandKind.SUGGESTION, "建议在文化馆开设老年书法班", "退休老人希望文化馆开设免费书法培训。"),
    (DemandKind.CONSULTATION, "文化惠民演出门票如何领取", "请问周末的惠民演出门票在哪里领取，需要预约吗？"),
    (DemandKind.CONSULTATION, "非遗传承人申报条件咨询", "想了解县级非遗代表性传承人的申报条件和材料。"),
    (DemandKind.CONSULTATION, "营业性演出许可证办理流程", "办理营业性演出许可证需要哪些材料，多长时间？"),
    (DemandKind.CONSULTATION, "博物馆免费开放时间咨询", "县博物馆周一是否开放，需要预约吗？"),
    (DemandKind.CRITICISM, "窗口工作人员态度生硬", "在政务大厅文旅窗口办事，工作人员态度生硬，不耐烦。"),
    (DemandKind.PRAISE, "表扬文化馆志愿者服务周到", "文化馆志愿者耐心帮助老人报名培训班，值得表扬。"),
    (DemandKind.OTHER, "反映体育场馆设施损坏", "全民健身广场部分健身器材损坏，存在安全隐患。"),
]
REPLIES = {
    DemandKind.COMPLAINT: "您反映的问题已转相关执法队核查处理，感谢您的监督。",
    DemandKind.SUGGESTION: "感谢您的建议，我局已转业务科室研究，将结合实际逐步改进。",
    DemandKind.CONSULTATION: "您好，具体办理事项可登录政务服务网查询，或拨打咨询电话。",
    DemandKind.CRITICISM: "对您反映的情况我们深表歉意，已对相关人员批评教育并整改。",
    DemandKind.PRAISE: "感谢您的肯定，我们将继续做好服务工作。",
    DemandKind.OTHER: "已安排工作人员现场查看并尽快处理。",
}
CITIZENS = ["王先生", "李女士", "张女士", "刘先生", "陈阿姨", "赵先生", "匿名", "周老师"]
HANDLERS = ["wangli", "zhangwei", "liuyang", "zhaomin", "sunhao", "zhouting", "staff"]
HOLIDAYS_2026 = [
    (date(2026, 1, 1), False, "元旦"),
    (date(2026, 1, 2), False, "元旦"),
    (date(2026, 1, 4), True, "元旦调休上班"),
    (date(2026, 2, 16), False, "春节"),
    (date(2026, 2, 17), False, "春节"),
    (date(2026, 2, 18), False, "春节"),
    (date(2026, 2, 19), False, "春节"),
    (date(2026, 2, 20), False, "春节"),
    (date(2026, 2, 14), True, "春节调休上班"),
    (date(2026, 2, 28), True, "春节调休上班"),
    (date(2026, 4, 6), False, "清明节"),
    (date(2026, 5, 1), False, "劳动节"),
    (date(2026, 5, 4), False, "劳动节"),
    (date(2026, 5, 5), False, "劳动节"),
    (date(2026, 5, 9), True, "劳动节调休上班"),
    (date(2026, 6, 19), False, "端午节"),
    (date(2026, 9, 25), False, "中秋节"),
    (date(2026, 10, 1), False, "国庆节"),
    (date(2026, 10, 2), False, "国庆节"),
    (date(2026, 10, 5), False, "国庆节"),
    (date(2026, 10, 6), False, "国庆节"),
    (date(2026, 10, 7), False, "国庆节"),
    (date(2026, 10, 10), True, "国庆节调休上班"),
]
PER_DAY = 2


def seed(*, today: date) -> dict[str, int]:
    for kind in DemandKind.values:
        ReplyWindow.objects.get_or_create(kind=kind, defaults={"amount": 24})
    ReplyWindow.objects.filter(kind=DemandKind.CRITICISM).update(needs_review=True)
    for day, working, note in HOLIDAYS_2026:
        CalendarDay.objects.update_or_create(day=day, defaults={"is_working_day": working, "note": note})
    _seed_demands(today)
    return {
        "demands": Demand.objects.count(),
        "open demands": Demand.objects.open().count(),
        "overdue demands": Demand.objects.open().filter(overdue_at__isnull=False).count(),
        "policy entries": FaqEntry.objects.count(),
    }


def _seed_demands(today: date) -> None:
    rng = random.Random(4)  # noqa: S311 - demo data, reproducible
    channels = list(Channel.objects.order_by("sort_order", "name"))
    people = {p.user.username: p for p in Person.objects.select_related("user").filter(user__username__in=HANDLERS)}
    handlers = [people[name] for name in HANDLERS if name in people]
    admin = User.objects.filter(username="admin").first() or User.objects.order_by("pk").first()
    if not channels or not handlers or admin is None:
        return
    faq = {}
    for kind, subject, _content in TOPICS:
        if kind == DemandKind.CONSULTATION:
            faq[subject], _ = FaqEntry.objects.update_or_create(
                question=subject,
                defaults={
                    "answer": REPLIES[kind],
                    "created_at": _at(today - timedelta(days=300), 10),
                    "created_by": admin,
                },
            )
    now = min(clock.now(), timezone.make_aware(datetime.combine(today, time(23, 59))))
    for offset in range(365, -1, -1):
        day = today - timedelta(days=offset)
        for slot in range(PER_DAY):
            kind, subject, content = TOPICS[rng.randrange(len(TOPICS))]
            received = _at(day, 8 + slot * 5 + rng.randrange(4), rng.randrange(60))
            if received > now:
                continue
            handler = handlers[rng.randrange(len(handlers))]
            channel = channels[rng.randrange(len(channels))]
            late = rng.random() < 0.06
            reply_hours = 26 + rng.randrange(20) if late else 1 + rng.randrange(20)
            values = {
                "kind": kind,
                "channel": channel,
                "section": channel.section,
                "content": content,
                "citizen_name": CITIZENS[rng.randrange(len(CITIZENS))],
                "citizen_contact": f"138{rng.randrange(10**8):08d}",
                "level": Demand.Level.III if rng.random() < 0.85 else Demand.Level.II,
                "department": handler.department,
                "handler": handler,
                "due_at": received + timedelta(hours=24),
                "assigned_at": received + timedelta(minutes=20),
                "state": Demand.State.COMPLETED,
                "reply_text": REPLIES[kind],
                "first_replied_at": received + timedelta(hours=reply_hours),
                "replied_at": received + timedelta(hours=reply_hours),
                "completed_at": received + timedelta(hours=reply_hours + 24),
                "resolution": "已按程序办理并答复群众。",
                "measures": "转相关科室核实，现场查看并答复。",
                "was_overdue": late,
                "overdue_at": received + timedelta(hours=24, minutes=1) if late else None,
                "escalation_level": 1 if late else 0,
                "satisfaction": _satisfaction(rng),
                "faq_entry": faq.get(subject),
                "signed_off_at": None,
                "signed_off_by": None,
                "created_by": admin,
            }
            if kind == DemandKind.CRITICISM:
                values["signed_off_at"] = values["completed_at"] - timedelta(hours=1)
                values["signed_off_by"] = Person.objects.filter(user__username="leader").first()
            age = now - received
            if age < timedelta(days=5):
                _make_open(values, received, now, rng)
            values["called_back_at"] = values["completed_at"] + timedelta(days=1) if values["satisfaction"] else None
            demand, _created = Demand.objects.update_or_create(subject=subject, received_at=received, defaults=values)
            if demand.overdue_at:
                DemandPress.objects.get_or_create(
                    demand=demand,
                    step=DemandPress.Step.OVERDUE,
                    due_at=demand.due_at,
                    defaults={"created_at": demand.overdue_at, "round": 0},
                )


def _make_open(values: dict, received: datetime, now: datetime, rng: random.Random) -> None:
    """The last days: some still open, a few overdue."""
    state = [Demand.State.RECEIVED, Demand.State.ASSIGNED, Demand.State.REPLIED][rng.randrange(3)]
    values.update(
        state=state,
        completed_at=None,
        satisfaction="",
        resolution="",
        signed_off_at=None,
        signed_off_by=None,
    )
    if state == Demand.State.REPLIED:
        values["replied_at"] = values["first_replied_at"] = min(values["replied_at"], now)
        return
    values.update(first_replied_at=None, replied_at=None, reply_text="", measures="")
    if state == Demand.State.RECEIVED:
        values.update(handler=None, assigned_at=None, department=None)
    overdue = values["due_at"] < now
    values.update(
        overdue_at=values["due_at"] + timedelta(minutes=1) if overdue else None,
        was_overdue=overdue,
        escalation_level=1 if overdue else 0,
    )


def _satisfaction(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return ""
    if roll < 0.85:
        return Demand.Satisfaction.SATISFIED
    if roll < 0.95:
        return Demand.Satisfaction.FAIRLY
    if roll < 0.98:
        return Demand.Satisfaction.UNSATISFIED
    return Demand.Satisfaction.UNREACHABLE


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
