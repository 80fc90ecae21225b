"""Demo demands: about a year of complaints, suggestions and consultations, entered and handled
through the real services (received, signed for, replied, reviewed, signed off, completed, called
back; the deadline sweep runs just after each deadline that is missed), so every figure, archive record and
pressing record is what the office would have. Most are answered on time, some late, a few are
overdue right now.

Idempotent and stable across days: each demand is planned from its calendar day alone (a seeded
random per day), found again by its subject and receipt time, and only the steps it has not taken
yet, and whose time has come, are applied. Seeding again tomorrow adds tomorrow's demands and lets
yesterday's move on; seeding twice today changes nothing."""

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bureau import clock
from bureau.config_cache import config_rows_cached
from bureau.models import Person, User
from opinions.models import CalendarDay, Channel, Demand, DemandKind, FaqEntry, ReplyTemplate, ReplyWindow
from opinions.selectors.knowledge import reply_template_values
from opinions.services import demands as services
from opinions.services.calendar import reply_deadline
from opinions.services.demand_sweep import demands_sweep_deadlines
from opinions.templating import template_fill

# (kind, subject, content, handler's username: the department concerned)
TOPICS = [
    (DemandKind.COMPLAINT, "广场舞音响噪音扰民", "文化广场每晚音响声音过大，严重影响周边居民休息。", "wangli"),
    (DemandKind.COMPLAINT, "网吧接纳未成年人上网", "城南一家网吧经常有初中生出入，希望加强检查。", "liuyang"),
    (DemandKind.COMPLAINT, "景区门票价格不透明", "景区内二次收费项目多，门口没有公示价格。", "zhaomin"),
    (DemandKind.COMPLAINT, "KTV营业至凌晨噪音扰民", "滨河路KTV营业到凌晨，门口停车混乱。", "liuyang"),
    (DemandKind.COMPLAINT, "有线电视信号时断时续", "城南小区有线电视信号一周来时断时续，客服电话无人接听。", "sunhao"),
    (DemandKind.COMPLAINT, "旅游团导游强制购物", "参加本地一日游，导游带团进多个购物店，不消费就甩脸色。", "zhaomin"),
    (DemandKind.SUGGESTION, "建议延长图书馆周末开放时间", "希望县图书馆周末开放到晚上九点，方便上班族。", "staff"),
    (DemandKind.SUGGESTION, "建议增加农家书屋新书配送", "村里农家书屋的书多年未更新，建议定期配送新书。", "wangli"),
    (DemandKind.SUGGESTION, "建议在文化馆开设老年书法班", "退休老人希望文化馆开设免费书法培训。", "wangli"),
    (DemandKind.SUGGESTION, "建议景区增设无障碍通道", "景区步道台阶多，轮椅无法通行，建议增设无障碍设施。", "zhaomin"),
    (DemandKind.CONSULTATION, "文化惠民演出门票如何领取", "请问周末的惠民演出门票在哪里领取，需要预约吗？", "wangli"),
    (DemandKind.CONSULTATION, "非遗传承人申报条件咨询", "想了解县级非遗代表性传承人的申报条件和材料。", "zhouting"),
    (DemandKind.CONSULTATION, "营业性演出许可证办理流程", "办理营业性演出许可证需要哪些材料，多长时间？", "zhouting"),
    (DemandKind.CONSULTATION, "博物馆免费开放时间咨询", "县博物馆周一是否开放，需要预约吗？", "staff"),
    (DemandKind.CONSULTATION, "网吧经营许可证变更咨询", "网吧法人变更需要到哪里办理，需要哪些材料？", "liuyang"),
    (DemandKind.CRITICISM, "窗口工作人员态度生硬", "在政务大厅文旅窗口办事，工作人员态度生硬，不耐烦。", "zhangwei"),
    (DemandKind.PRAISE, "表扬文化馆志愿者服务周到", "文化馆志愿者耐心帮助老人报名培训班，值得表扬。", "staff"),
    (DemandKind.OTHER, "反映体育场馆设施损坏", "全民健身广场部分健身器材损坏，存在安全隐患。", "zhangwei"),
]
# Most demands come by the hotline and the mailboxes; the failing news forum brings none.
CHANNEL_WEIGHTS = {
    "12345政务服务热线": 34,
    "本局论坛": 18,
    "县长信箱": 15,
    "民意直通车热线": 10,
    "网上信访": 8,
    "局长信箱（网站）": 8,
    "本局官方微博": 7,
}
REPLIES = {
    DemandKind.COMPLAINT: "您反映的问题已转相关执法队核查处理，感谢您的监督。",
    DemandKind.SUGGESTION: "感谢您的建议，我局已转业务科室研究，将结合实际逐步改进。",
    DemandKind.CONSULTATION: "您好，具体办理事项可登录政务服务网查询，或拨打咨询电话。",
    DemandKind.CRITICISM: "对您反映的情况我们深表歉意，已对相关人员批评教育并整改。",
    DemandKind.PRAISE: "感谢您的肯定，我们将继续做好服务工作。",
    DemandKind.OTHER: "已安排工作人员现场查看并尽快处理。",
}
# The office's reply templates (答复口径): the demo replies are built from them, so their use counts are
# those of the year's replies.
TEMPLATES = [
    (
        "投诉答复（通用）",
        DemandKind.COMPLAINT,
        "{姓名}：您好！您于{受理日期}反映的问题（编号{编号}）已转{部门}核查处理，感谢您的监督。",
    ),
    (
        "建议答复（通用）",
        DemandKind.SUGGESTION,
        "{姓名}：您好！感谢您于{受理日期}提出的建议（编号{编号}），我局已转{部门}研究，将结合实际逐步改进。",
    ),
    (
        "咨询答复（通用）",
        DemandKind.CONSULTATION,
        "{姓名}：您好！您咨询的事项（编号{编号}），具体办理可登录政务服务网查询，或拨打咨询电话。",
    ),
    (
        "批评答复（致歉）",
        DemandKind.CRITICISM,
        "{姓名}：您好！对您于{受理日期}反映的情况我们深表歉意，已对相关人员批评教育并整改。",
    ),
    ("表扬答复", DemandKind.PRAISE, "{姓名}：您好！感谢您的肯定，我们将继续做好服务工作。"),
    (
        "受理告知（任何类别）",
        "",
        "{姓名}：您好！您的诉求（编号{编号}）已于{受理日期}受理，我们将在{答复期限}前答复您。",
    ),
]
CITIZENS = ["王先生", "李女士", "张女士", "刘先生", "陈阿姨", "赵先生", "匿名", "周老师"]
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
DAYS = 365


@dataclass
class Plan:
    """One demo demand: what arrives, and the steps it takes (time, step name), in order."""

    day: date
    kind: str
    subject: str
    content: str
    handler: str
    channel: str
    citizen: str
    contact: str
    level: str
    received_at: datetime
    steps: list[tuple[datetime, str, dict]] = field(default_factory=list)


def seed(*, today: date) -> dict[str, int]:
    for kind in DemandKind.values:
        ReplyWindow.objects.get_or_create(kind=kind, defaults={"amount": 24})
    ReplyWindow.objects.filter(kind=DemandKind.CRITICISM, needs_review=False).update(needs_review=True)
    for day, working, note in HOLIDAYS_2026:
        CalendarDay.objects.update_or_create(day=day, defaults={"is_working_day": working, "note": note})
    for name, kind, text in TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=name, defaults={"kind": kind, "text": text})
    _seed_demands(today)
    return {
        "demands": Demand.objects.count(),
        "open demands": Demand.objects.open().count(),
        "overdue demands": Demand.objects.open().filter(overdue_at__isnull=False).count(),
        "policy entries": FaqEntry.objects.count(),
        "reply templates": ReplyTemplate.objects.count(),
    }


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _plans_for(day: date, today: date, channels: list[str]) -> list[Plan]:
    """The day's demands, from the day alone: the same on every run and on any later seed day
    (except that the last three weeks hold back a few demands that are never answered)."""
    rng = random.Random(f"demo-demands-{day.isoformat()}")  # noqa: S311 - demo data, reproducible
    weights = [CHANNEL_WEIGHTS[name] for name in channels]
    count = rng.choice([1, 2, 2, 2, 3, 3] if day.weekday() < 5 else [0, 1, 1, 2])
    plans, used = [], set()
    for _slot in range(count):
        kind, subject, content, handler = TOPICS[rng.randrange(len(TOPICS))]
        received = _at(day, rng.randint(7, 22), rng.randrange(60))
        if (subject, received) in used:
            continue
        used.add((subject, received))
        plan = Plan(
            day=day,
            kind=kind,
            subject=subject,
            content=content,
            handler=handler,
            channel=rng.choices(channels, weights)[0],
            citizen=CITIZENS[rng.randrange(len(CITIZENS))],
            contact=f"138{rng.randrange(10**8):08d}",
            level=Demand.Level.III if rng.random() < 0.85 else Demand.Level.II,
            received_at=received,
        )
        # The last month: a few demands were never answered (one a week for certain), overdue now.
        recent = (today - day).days <= 30
        _plan_steps(plan, rng, recent=recent, stuck=recent and not plans and day.toordinal() % 7 == 0)
        plans.append(plan)
    return plans


def _plan_steps(plan: Plan, rng: random.Random, *, recent: bool, stuck: bool) -> None:
    steps, moment = plan.steps, plan.received_at
    steps.append((moment, "create", {}))
    fate = rng.random()
    if stuck or (recent and fate < 0.04):  # still waiting now: never signed for, or signed for, not answered
        if fate < 0.5:
            steps.append((moment + timedelta(minutes=rng.randint(10, 90)), "claim", {}))
        return
    moment += timedelta(minutes=rng.randint(10, 90))
    steps.append((moment, "claim", {}))
    late = fate < 0.12
    moment = plan.received_at + timedelta(hours=rng.randint(26, 60) if late else rng.randint(1, 20))
    steps.append((moment, "reply", {}))
    reviewed = plan.kind == DemandKind.CRITICISM
    if reviewed:
        moment += timedelta(hours=rng.randint(1, 3))
        steps.append((moment, "review", {}))
        moment += timedelta(hours=2)
        steps.append((moment, "sign_off", {}))
    if rng.random() < 0.1:
        return  # replied, not yet completed
    moment += timedelta(hours=rng.randint(2, 72))
    steps.append((moment, "complete", {}))
    if plan.kind == DemandKind.CONSULTATION:
        steps.append((moment + timedelta(minutes=5), "faq", {}))
    if rng.random() < 0.35:
        return  # not called back
    roll = rng.random()
    satisfaction = (
        Demand.Satisfaction.SATISFIED
        if roll < 0.74
        else Demand.Satisfaction.FAIRLY
        if roll < 0.89
        else Demand.Satisfaction.UNREACHABLE
        if roll < 0.95 or reviewed
        else Demand.Satisfaction.UNSATISFIED
    )
    moment += timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
    steps.append((moment, "call_back", {"satisfaction": satisfaction}))
    if satisfaction == Demand.Satisfaction.UNSATISFIED:  # handled again (重办), then satisfied
        moment += timedelta(hours=rng.randint(3, 20))
        steps.append((moment, "reply2", {}))
        moment += timedelta(hours=rng.randint(20, 48))
        steps.append((moment, "complete2", {}))
        if rng.random() < 0.5:  # the others keep the unsatisfied call-back on record
            moment += timedelta(days=2)
            steps.append((moment, "call_back2", {"satisfaction": Demand.Satisfaction.FAIRLY}))


_ANSWERED = (Demand.State.IN_REVIEW, Demand.State.REPLIED, Demand.State.COMPLETED)


def _done(step: str, demand: Demand) -> bool:
    """Whether an existing demand has already taken the step (steps are taken in order)."""
    redone = demand.redo_count >= 1
    return {
        "create": True,
        "claim": demand.handler_id is not None,
        "reply": redone or demand.state in _ANSWERED,
        "review": redone or demand.state in (Demand.State.REPLIED, Demand.State.COMPLETED),
        "sign_off": redone or demand.signed_off_at is not None,
        "complete": redone or demand.completed_at is not None,
        "faq": demand.faq_entry_id is not None,
        "call_back": redone or demand.called_back_at is not None,
        "reply2": redone and demand.state in _ANSWERED,
        "complete2": redone and demand.completed_at is not None,
        "call_back2": redone and demand.called_back_at is not None,
    }[step]


REPLY_NOTES = "已电话联系诉求人说明情况。"
RESOLUTION = "已按程序办理并答复群众。"
MEASURES = "转相关科室核实，现场查看并答复。"


def _seed_demands(today: date) -> None:
    now = clock.now()
    people = {p.user.username: p for p in Person.objects.select_related("user", "department")}
    channels = {c.name: c for c in Channel.objects.all()}
    channel_names = [name for name in CHANNEL_WEIGHTS if name in channels]
    entering, reviewer, caller = people.get("staff"), people.get("leader"), people.get("supervisor")
    admin = User.objects.filter(username="admin").first()
    if not channel_names or entering is None or reviewer is None or caller is None or admin is None:
        return
    faq = {}
    for kind, subject, _content, _handler in TOPICS:
        if kind == DemandKind.CONSULTATION:
            faq[subject], _ = FaqEntry.objects.get_or_create(
                question=subject,
                defaults={"answer": REPLIES[kind], "created_at": _at(date(2025, 1, 6), 10), "created_by": admin},
            )
    plans = [
        plan
        for offset in range(DAYS - 1, -1, -1)
        for plan in _plans_for(today - timedelta(days=offset), today, channel_names)
        if plan.received_at <= now
    ]
    first = min((plan.received_at for plan in plans), default=now)
    existing = {
        (d.subject, d.received_at): d
        for d in Demand.objects.filter(received_at__gte=first, subject__in={plan.subject for plan in plans})
    }
    templates: dict[str, ReplyTemplate] = {}
    for template in ReplyTemplate.objects.order_by("pk"):
        templates.setdefault(template.kind, template)
    queue: list[tuple[datetime, int, int, int]] = []  # (time, plan, step index, tie-break)
    demands: dict[int, Demand] = {}
    for index, plan in enumerate(plans):
        demand = existing.get((plan.subject, plan.received_at))
        start = 0
        if demand is not None:
            demands[index] = demand
            while start < len(plan.steps) and _done(plan.steps[start][1], demand):
                start += 1
        if start < len(plan.steps) and plan.steps[start][0] <= now:
            heapq.heappush(queue, (plan.steps[start][0], index, start, 0))
    # The windows and rules were set in seed() above; nothing below changes them: read once.
    with config_rows_cached():
        _sweep_marks(queue, plans, demands, now)
        while queue:
            moment, index, position, kind = heapq.heappop(queue)
            if kind == 1:
                demands_sweep_deadlines(now=moment)
                continue
            plan = plans[index]
            try:
                demands[index] = _take(
                    plan,
                    position,
                    demands.get(index),
                    moment,
                    people,
                    channels,
                    entering,
                    reviewer,
                    caller,
                    faq,
                    templates,
                )
            except (ValidationError, PermissionDenied):
                continue  # someone handled it differently in the demo meanwhile: leave it as it is
            nxt = position + 1
            if nxt < len(plan.steps) and plan.steps[nxt][0] <= now:
                heapq.heappush(queue, (plan.steps[nxt][0], index, nxt, 0))
        demands_sweep_deadlines(now=now)  # as the beat job would, right now


def _sweep_marks(queue: list, plans: list[Plan], demands: dict[int, Demand], now: datetime) -> None:
    """The deadline sweep, as the minute job would have run it: just after each deadline that a
    demand still to be created here misses (answered late, or not at all). A second run today
    creates nothing, so it sweeps nothing but the final sweep at ``now``."""
    for index, plan in enumerate(plans):
        if index in demands:
            continue
        replies = [moment for moment, step, _options in plan.steps if step == "reply"]
        answered = replies[0] if replies else now
        if answered - plan.received_at < timedelta(hours=20):
            continue  # well inside any reply window
        mark = reply_deadline(kind=plan.kind, received_at=plan.received_at) + timedelta(minutes=1)
        if mark < answered and mark <= now:
            heapq.heappush(queue, (mark, -1, 0, 1))


def _take(
    plan: Plan, position: int, demand, moment, people, channels, entering, reviewer, caller, faq, templates
) -> Demand:
    """Apply one step through its service, as the person who would take it. ``templates``: each
    kind's first reply template (by pk), read once: the seed never changes their text."""
    step, options = plan.steps[position][1], plan.steps[position][2]
    handler = people[plan.handler]
    if step == "create":
        channel = channels[plan.channel]
        return services.demand_create(
            actor=entering.user,
            kind=plan.kind,
            channel=channel,
            subject=plan.subject,
            content=plan.content,
            citizen_name=plan.citizen,
            citizen_contact=plan.contact,
            level=plan.level,
            received_at=plan.received_at,
            now=moment,
        )
    if step == "claim":
        return services.demand_claim(demand=demand, actor=handler.user, now=moment)
    if step in ("reply", "reply2"):
        template = templates.get(plan.kind)
        if demand.department_id is not None and demand.department_id == handler.department_id:
            demand.department = handler.department  # the one the template names, already read
        text = REPLIES[plan.kind]
        if template is not None:
            with translation.override("zh-hans"):
                text = template_fill(template.text, reply_template_values(demand=demand, now=moment)).text
        return services.demand_reply(
            demand=demand,
            actor=handler.user,
            reply_text=text,
            notes=REPLY_NOTES,
            reply_template=template,
            now=moment,
        )
    if step == "review":
        return services.demand_review(demand=demand, actor=reviewer.user, approve=True, opinion="同意。", now=moment)
    if step == "sign_off":
        return services.demand_sign_off(demand=demand, actor=reviewer.user, now=moment)
    if step in ("complete", "complete2"):
        return services.demand_complete(
            demand=demand, actor=handler.user, resolution=RESOLUTION, measures=MEASURES, now=moment
        )
    if step == "faq":
        return services.demand_link_faq(demand=demand, actor=handler.user, entry=faq[plan.subject], now=moment)
    if step in ("call_back", "call_back2"):
        return services.demand_call_back(
            demand=demand, actor=caller.user, satisfaction=options["satisfaction"], note="电话回访", now=moment
        )
    raise ValueError(step)
