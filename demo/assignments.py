"""Demo data for duty, tasks handed down and reports upward: about a year of activity, made through
the services in assignments/services/, each step at the moment it happened (``now=``), so the
archive holds the year's records as it would.

- Duty: leave is declared, the roster is generated and published month by month (a few places in
  the coming weeks left open), a few shifts are swapped before they start, people sign in at their
  shift's time (most on time, some late, a few never), the gap sweep runs when a sign-in is overdue
  and when a shift has ended without one, and the outgoing shift writes handover notes.
- Tasks handed down are received, assigned, progressed, reported back, approved and closed; the
  overdue sweep runs when a deadline passes.
- Reports upward and their follow-ups.

Idempotent: rows are found by natural keys (shift type and day, person and shift, task title,
report title, note text); a step already taken is not taken again, and days that already have
shifts are not planned again, so seeding on a later day only adds what happened since. Values
that look random come from a hash of those keys. Nothing is dated after ``clock.now()``: a step
planned later is taken by a later seed."""

import hashlib
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from assignments.models import (
    CountyTask,
    HandoverNote,
    IncidentFollowUp,
    IncidentReport,
    Leave,
    ResponsePlan,
    Shift,
    ShiftAssignment,
    ShiftType,
    TaskAttachment,
    TaskNote,
)
from assignments.services.county_tasks import (
    county_task_add_attachment,
    county_task_add_note,
    county_task_approve_feedback,
    county_task_close,
    county_task_reassign,
    county_task_register,
    county_task_submit_feedback,
    county_tasks_flag_overdue,
)
from assignments.services.gaps import duty_flag_gaps
from assignments.services.handover import handover_note_create
from assignments.services.reports import incident_follow_up_add, incident_report_create
from assignments.services.roster import roster_plan, roster_save
from assignments.services.signin import shift_sign_in
from assignments.services.swaps_leave import assignments_swap, leave_declare
from bureau import clock
from bureau.models import Person, User

ROSTER = ["supervisor", "staff", "wangli", "zhangwei", "liuyang", "zhaomin", "sunhao", "zhouting"]
HISTORY_DAYS = 365
FUTURE_DAYS = 27
# Future places deliberately left open, so the gap views and the sweep have something to show.
OPEN_PLACES = [(5, "夜班"), (12, "白班")]

# (username, first day offset, days, reason)
LEAVES = [
    ("wangli", -200, 7, "婚假"),
    ("liuyang", -120, 5, "年休假"),
    ("zhaomin", -45, 3, "病假"),
    ("sunhao", 8, 4, "年休假"),
]

HANDOVER_TEXTS = [
    "论坛“民生诉求”版块有网民反映城区网吧深夜噪音扰民，已截图留存，请白班联系文化市场管理科核实。",
    "县长信箱转来一封关于图书馆开放时间的咨询，已登记，待政策法规科答复。",
    "夜间巡查未发现涉及本局的负面舆情，论坛运行正常。",
    "12345热线转办一件广播电视信号投诉（西片区），已通知广播电视科，明早需跟进回复时限。",
    "微博有网友转发景区门票涨价传闻，已报分管领导，请关注转发量变化。",
    "县委宣传部来电提醒本周五前报送舆情专报反馈，材料在办公室共享盘。",
    "官网“通知公告”栏目待发布文化市场检查通报，已送分管领导审批。",
    "论坛出现一条疑似赌博广告帖，已按规定删除并登记删帖记录。",
]

# (reference, kind, title, content, received days ago, hours allowed, handler, outcome)
# outcome: closed | late | approved | submitted | progress | overdue | received
TASKS = [
    (
        "县网宣交〔{year}〕101号",
        "assignment",
        "关于网民反映城区网吧接纳未成年人的舆情交办",
        "网民在县论坛发帖反映城区某网吧违规接纳未成年人上网，请核查处置并反馈。",
        350,
        72,
        "liuyang",
        "closed",
    ),
    (
        "县网宣专〔{year}〕34号",
        "special_report",
        "关于景区门票价格问题的舆情专报",
        "近日微博、论坛出现多条关于景区门票涨价的讨论，请核实情况、做好回应。",
        330,
        48,
        "zhaomin",
        "closed",
    ),
    (
        "县网宣交〔{year}〕118号",
        "assignment",
        "关于有线电视信号中断的舆情交办",
        "12345热线集中反映西片区有线电视信号中断，请及时处置并反馈。",
        300,
        48,
        "sunhao",
        "late",
    ),
    (
        "县网宣交〔{year}〕126号",
        "assignment",
        "关于图书馆夜间开放时间的网民诉求",
        "网民在县长信箱建议延长图书馆夜间开放时间，请研究答复。",
        280,
        120,
        "zhouting",
        "closed",
    ),
    (
        "县网宣专〔{year}〕41号",
        "special_report",
        "关于演出市场票务纠纷的舆情专报",
        "部分网民反映某演出退票难，请督促主办方妥善处理。",
        250,
        48,
        "liuyang",
        "closed",
    ),
    (
        "县网宣交〔{year}〕140号",
        "assignment",
        "关于文化广场噪音扰民的舆情交办",
        "网民反映文化广场晚间广场舞音量过大，请协调处理并反馈。",
        220,
        72,
        "wangli",
        "closed",
    ),
    (
        "县网宣交〔{year}〕152号",
        "other",
        "关于转发网络安全宣传周活动方案的通知",
        "请组织做好网络安全宣传周相关宣传工作并报送总结。",
        200,
        240,
        "staff",
        "closed",
    ),
    (
        "县网宣专〔{year}〕49号",
        "special_report",
        "关于非遗展演活动负面评论的舆情专报",
        "部分网民对非遗展演活动组织安排提出批评，请核实并回应。",
        170,
        48,
        "zhaomin",
        "late",
    ),
    (
        "县网宣交〔{year}〕171号",
        "assignment",
        "关于农家书屋图书更新的网民诉求",
        "网民反映部分村农家书屋图书陈旧，请核实并反馈整改情况。",
        140,
        120,
        "zhouting",
        "closed",
    ),
    (
        "县网宣交〔{year}〕183号",
        "assignment",
        "关于网络游戏防沉迷检查的舆情交办",
        "请对辖区网吧落实防沉迷措施情况开展检查并反馈。",
        110,
        96,
        "liuyang",
        "closed",
    ),
    (
        "县网宣专〔{year}〕57号",
        "special_report",
        "关于旅游旺季景区拥堵的舆情专报",
        "国庆期间网民集中反映景区拥堵、停车难，请做好引导回应。",
        90,
        24,
        "zhaomin",
        "closed",
    ),
    (
        "县网宣交〔{year}〕196号",
        "assignment",
        "关于广播节目内容投诉的舆情交办",
        "有听众反映某广播节目内容低俗，请核查处理并反馈。",
        60,
        48,
        "sunhao",
        "approved",
    ),
    (
        "县网宣交〔{year}〕3号",
        "assignment",
        "关于文化惠民演出信息发布不及时的网民诉求",
        "网民反映惠民演出信息发布滞后，请改进并反馈。",
        4,
        120,
        "wangli",
        "submitted",
    ),
    (
        "县网宣专〔{year}〕2号",
        "special_report",
        "关于博物馆预约系统故障的舆情专报",
        "网民反映博物馆线上预约系统频繁故障，请核实处置。",
        9,
        48,
        "staff",
        "overdue",
    ),
    (
        "县网宣交〔{year}〕8号",
        "assignment",
        "关于电影院消防安全隐患的网民举报",
        "网民在论坛举报某影院安全通道堵塞，请会同相关部门核查。",
        6,
        72,
        "liuyang",
        "overdue",
    ),
    (
        "县网宣交〔{year}〕11号",
        "assignment",
        "关于乡镇文化站开放情况的舆情交办",
        "网民反映部分乡镇文化站长期不开放，请核查并反馈。",
        2,
        120,
        "zhouting",
        "progress",
    ),
    (
        "县网宣专〔{year}〕5号",
        "special_report",
        "关于春节文艺演出安排的舆情专报",
        "请关注春节文艺演出相关网络舆情，及时回应群众关切。",
        0,
        72,
        "zhangwei",
        "received",
    ),
]

PLANS = [
    ("网络舆情突发事件应急预案", "涉及本局及文化、广电、旅游领域的重大网络舆情突发事件的监测、研判、处置与上报。"),
    ("旅游安全突发事件舆情应对预案", "景区安全事故、游客滞留等旅游突发事件引发的网络舆情应对。"),
    ("广播电视安全播出应急预案", "广播电视节目安全播出事故及由此引发的舆情处置。"),
]

# (title, level, days ago, plan index or None, summary, measures, follow-ups)
REPORTS = [
    (
        "景区门票涨价传闻引发网络热议",
        "ordinary",
        329,
        1,
        "微博、论坛出现多条景区门票涨价传闻，转发量约2000次。",
        "核实门票价格未调整，官网及官方微博发布澄清说明。",
        ["澄清说明发布后讨论量明显下降，舆情平息。"],
    ),
    (
        "西片区有线电视信号大面积中断",
        "serious",
        299,
        2,
        "因线路故障西片区约3000户有线电视信号中断，12345热线及论坛集中反映。",
        "启动安全播出应急预案，抢修队伍连夜抢修，官网发布抢修公告。",
        ["次日6时信号全部恢复，已在论坛逐一回复网民。", "组织线路隐患排查，形成整改报告。"],
    ),
    (
        "国庆期间景区游客滞留",
        "major",
        89,
        1,
        "国庆期间某景区游客集中，出现短时滞留，网络出现大量现场视频。",
        "启动旅游安全突发事件舆情应对预案，5小时内发布权威信息，协调交通疏导。",
        ["游客已全部疏散，未发生安全事故，后续发布限流措施。"],
    ),
    (
        "影院安全通道堵塞举报",
        "ordinary",
        5,
        0,
        "网民在论坛举报某影院安全通道堵塞，帖子浏览量较快上升。",
        "已联系消防部门联合检查，责令影院立即整改。",
        [],
    ),
]


# Tasks first given to someone else and passed on to the handler an hour later (title → first handler).
REASSIGNED = {"关于转发网络安全宣传周活动方案的通知": "zhouting", "关于乡镇文化站开放情况的舆情交办": "sunhao"}
# About one day shift in this many is swapped with the same shift a week later, two days before.
SWAP_ONE_IN = 40

_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pick(*parts) -> int:
    """A stable number from the given parts: the demo's dice."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _run(events: list[tuple], now: datetime) -> None:
    """Take the steps (moment, order, callable) in the order they happened, up to now."""
    for moment, _order, step in sorted(events, key=lambda event: event[:2]):
        if moment <= now:
            step(moment)


@transaction.atomic
def seed(*, today: date) -> dict[str, int]:
    people = {p.user.username: p for p in Person.objects.select_related("user").filter(user__username__in=ROSTER)}
    people_list = [people[name] for name in ROSTER if name in people]
    supervisor = User.objects.filter(username="supervisor").first()
    if not people_list or supervisor is None:
        return {}
    now = clock.now()

    # Shift types are configuration (kept in the admin), not a change of state.
    day_type, _ = ShiftType.objects.update_or_create(
        name="白班", defaults={"starts": time(8, 30), "ends": time(17, 30), "is_night": False, "sort_order": 1}
    )
    night_type, _ = ShiftType.objects.update_or_create(
        name="夜班", defaults={"starts": time(17, 30), "ends": time(8, 30), "is_night": True, "sort_order": 2}
    )
    types = {"白班": day_type, "夜班": night_type}

    _seed_leave(today=today, now=now, people=people, supervisor=supervisor)
    _seed_roster(today=today, now=now, types=types, people_list=people_list, supervisor=supervisor)
    _seed_sign_ins(today=today, now=now)

    counts = {
        "shift types": ShiftType.objects.count(),
        "shifts": Shift.objects.count(),
        "assignments": ShiftAssignment.objects.count(),
        "handover notes": HandoverNote.objects.count(),
        "leave": Leave.objects.count(),
    }
    counts.update(_seed_tasks(today=today, now=now, supervisor=supervisor))
    counts.update(_seed_reports(today=today, now=now, supervisor=supervisor))
    return counts


# --- Duty ---------------------------------------------------------------------------------------


def _seed_leave(*, today: date, now: datetime, people: dict[str, Person], supervisor) -> None:
    """Leave declared a week ahead (before the roster of those days is generated)."""
    for username, offset, days, reason in LEAVES:
        person = people.get(username)
        # Keyed on the person and the reason, not the dates: seeding on a later day must not add a
        # second, overlapping leave; the first seed's dates stay.
        if person is None or Leave.objects.filter(person=person, reason=reason).exists():
            continue
        starts_on = today + timedelta(days=offset)
        leave_declare(
            person=person,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days - 1),
            reason=reason,
            actor=supervisor,
            now=min(_at(starts_on - timedelta(days=7), 10), now - timedelta(hours=1)),
        )


def _seed_roster(*, today: date, now: datetime, types: dict, people_list: list[Person], supervisor) -> None:
    """The roster of the days that have no shifts yet, generated and published month by month five
    days ahead, with a few future places left open and a few shifts swapped before they start."""
    start, end = today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)
    shift_types = [types["白班"], types["夜班"]]
    planned = set(Shift.objects.filter(on__gte=start, on__lte=end).values_list("on", flat=True).distinct())
    batches: dict[tuple[int, int], list[date]] = {}
    day = start
    while day <= end:
        if day not in planned:
            batches.setdefault((day.year, day.month), []).append(day)
        day += timedelta(days=1)
    if not batches:
        return
    left_open = {(today + timedelta(days=offset), types[name].pk) for offset, name in OPEN_PLACES}
    leave_days = {
        (leave.person_id, day)
        for leave in Leave.objects.filter(ends_on__gte=start, starts_on__lte=end)
        for day in (leave.starts_on + timedelta(days=n) for n in range((leave.ends_on - leave.starts_on).days + 1))
    }
    for days in batches.values():
        first, last = days[0], days[-1]
        published = min(_at(first - timedelta(days=5), 16), now - timedelta(minutes=30))
        plan = roster_plan(start=first, end=last, shift_types=shift_types, people=people_list)
        data = plan.as_data()
        # Every shift of the batch is published, the places left open with nobody on them.
        data["slots"] = [
            [
                slot.on.isoformat(),
                slot.shift_type.pk,
                [] if (slot.on, slot.shift_type.pk) in left_open else [person.pk for person in slot.added],
            ]
            for slot in plan.slots
            if slot.on in days
        ]
        roster_save(data=data, actor=supervisor, now=published)
        _swap_some(
            days=days, published=published, now=now, day_type=types["白班"], leave_days=leave_days, actor=supervisor
        )


def _swap_some(*, days: list[date], published: datetime, now: datetime, day_type, leave_days: set, actor) -> None:
    in_batch = {
        assignment.shift.on: assignment
        for assignment in ShiftAssignment.objects.filter(shift__shift_type=day_type, shift__on__in=days).select_related(
            "shift", "person"
        )
    }
    for day in days:
        first, second = in_batch.get(day), in_batch.get(day + timedelta(days=7))
        if _pick("swap", day) % SWAP_ONE_IN or first is None or second is None:
            continue
        moment = max(_at(day - timedelta(days=2), 11), published + timedelta(hours=1))
        if (
            first.person_id == second.person_id
            or moment > now
            or moment >= first.shift.starts_at
            or (first.person_id, second.shift.on) in leave_days
            or (second.person_id, first.shift.on) in leave_days
        ):
            continue
        first, second = assignments_swap(first=first, second=second, actor=actor, now=moment)
        in_batch[first.shift.on], in_batch[second.shift.on] = first, second


def _seed_sign_ins(*, today: date, now: datetime) -> None:
    """Sign-ins at the shift's time (most on time, some late, a few missed), the gap sweep when a
    sign-in is overdue and when a shift ended without one, and handover notes on recent shifts."""
    start = today - timedelta(days=HISTORY_DAYS)
    events: list[tuple] = []
    sweeps: set[datetime] = set()
    outcome: dict[int, bool] = {}  # shift → someone on it signs in

    def sign_in(assignment: ShiftAssignment, address: str):
        return lambda moment: shift_sign_in(
            assignment=assignment, actor=assignment.person.user, ip_address=address, now=moment
        )

    pending = ShiftAssignment.objects.filter(
        shift__on__gte=start,
        shift__starts_at__lte=now + timedelta(minutes=30),
        signed_in_at=None,
        missed_flagged_at=None,
    ).select_related("shift", "person__user")
    for assignment in pending:
        shift = assignment.shift
        dice = _pick(shift.on, shift.shift_type_id, assignment.person_id)
        roll, address = dice % 100, f"10.12.3.{20 + dice % 30}"
        if roll < 11 and assignment.late_flagged_at is None:
            sweeps.add(shift.sign_in_due_at + timedelta(minutes=5))  # the sweep finds them not signed in
        if roll < 4:
            sweeps.add(shift.ends_at + timedelta(minutes=5))  # … and the shift over without them
        elif roll < 11:
            events.append((shift.sign_in_due_at + timedelta(minutes=6 + dice % 45), 0, sign_in(assignment, address)))
        else:
            events.append((shift.starts_at - timedelta(minutes=dice % 25), 0, sign_in(assignment, address)))
        outcome[shift.pk] = outcome.get(shift.pk, False) or roll >= 4
    events.extend((moment, 1, lambda moment: duty_flag_gaps(now=moment)) for moment in sweeps)

    # Handover notes on about a third of the last two months' shifts, by someone who signed in.
    recent = today - timedelta(days=60)
    noted = set(HandoverNote.objects.filter(shift__on__gte=recent).values_list("shift_id", flat=True))
    for assignment in ShiftAssignment.objects.filter(shift__on__gte=recent, shift__starts_at__lte=now).select_related(
        "shift", "person__user"
    ):
        shift = assignment.shift
        dice = _pick("handover", shift.on, shift.shift_type_id)
        if shift.pk in noted or dice % 3 or not (assignment.signed_in_at or outcome.get(shift.pk)):
            continue
        noted.add(shift.pk)
        body = HANDOVER_TEXTS[dice % len(HANDOVER_TEXTS)]

        def handover(moment, shift=shift, author=assignment.person.user, body=body):
            handover_note_create(shift=shift, body=body, actor=author, now=moment)

        events.append((shift.ends_at - timedelta(minutes=10 + dice % 20), 2, handover))
    _run(events, now)
    duty_flag_gaps(now=now)  # where the beat job has got to


# --- Tasks handed down --------------------------------------------------------------------------


def _seed_tasks(*, today: date, now: datetime, supervisor) -> dict[str, int]:
    """Each task taken through its steps, all tasks' steps in the order they happened."""
    people = {p.user.username: p for p in Person.objects.select_related("user")}
    leader = User.objects.filter(username="leader").first()
    existing = {task.title: task for task in CountyTask.objects.filter(title__in=[t[2] for t in TASKS])}
    events: list[tuple] = []

    def current(title: str) -> CountyTask | None:
        return CountyTask.objects.select_related("handler__user").filter(title=title).first()

    for reference, kind, title, content, days_ago, hours, handler_name, outcome in TASKS:
        handler = people[handler_name]
        task = existing.get(title)
        if task is not None:
            received_at, due_at = task.received_at, task.due_at
        else:
            received_at = min(_at(today - timedelta(days=days_ago), 9, 15), now - timedelta(minutes=30))
            due_at = received_at + timedelta(hours=hours)
        handled_at = received_at + timedelta(hours=hours * (1.4 if outcome == "late" else 0.6))
        first_handler = people.get(REASSIGNED.get(title, ""), handler)

        def register(
            moment,
            reference=reference,
            kind=kind,
            title=title,
            content=content,
            received_at=received_at,
            due_at=due_at,
            first_handler=first_handler,
        ):
            if current(title) is None:
                county_task_register(
                    actor=supervisor,
                    kind=kind,
                    reference=reference.format(year=received_at.year),
                    title=title,
                    issued_by="县委宣传部",
                    received_at=received_at,
                    content=content,
                    due_at=due_at,
                    handler=first_handler,
                    now=moment,
                )

        events.append((received_at + timedelta(minutes=10), 0, register))

        if _pick("attachment", title) % 2 == 0:

            def attach(moment, title=title):
                task = current(title)
                if task is not None and not task.attachments.exists():
                    name = f"{task.reference}.pdf"
                    upload = SimpleUploadedFile(name, _DEMO_PDF, content_type="application/pdf")
                    county_task_add_attachment(task=task, uploaded_file=upload, actor=supervisor, now=moment)

            events.append((received_at + timedelta(minutes=20), 1, attach))

        if first_handler != handler:

            def reassign(moment, title=title, handler=handler):
                task = current(title)
                if task is not None and task.handler_id != handler.pk and task.is_open:
                    county_task_reassign(task=task, handler=handler, actor=supervisor, now=moment)

            events.append((received_at + timedelta(minutes=40), 2, reassign))

        notes = []
        if outcome != "received":
            notes.append((received_at + timedelta(hours=3), "已联系相关科室和单位核实情况，正在办理。"))
        if outcome == "overdue":
            notes.append((received_at + timedelta(hours=30), "涉及多个部门，协调中，反馈材料尚未形成。"))
        for moment, body in notes:

            def note(moment, title=title, body=body):
                task = current(title)
                if task is not None and not TaskNote.objects.filter(task=task, body=body).exists():
                    county_task_add_note(task=task, body=body, actor=task.handler.user, now=moment)

            events.append((moment, 3, note))

        if outcome in ("late", "overdue"):

            def sweep(moment, title=title):
                task = current(title)
                if task is not None and task.overdue_at is None:
                    county_tasks_flag_overdue(now=moment)

            events.append((due_at + timedelta(minutes=5), 4, sweep))

        if outcome in ("closed", "late", "approved", "submitted"):
            subject = title.removeprefix("关于").removesuffix("的舆情交办").removesuffix("的舆情专报")
            feedback = (
                f"经核查，{subject}问题部分属实，已责成相关单位整改，并在县论坛和官方网站作了回复说明，网民反响良好。"
            )
            submitted_at = handled_at - timedelta(hours=2)
            if outcome == "submitted":
                submitted_at = received_at + timedelta(hours=20)

            def submit(moment, title=title, feedback=feedback):
                task = current(title)
                if task is not None and task.state in (CountyTask.State.RECEIVED, CountyTask.State.IN_PROGRESS):
                    county_task_submit_feedback(task=task, feedback=feedback, actor=task.handler.user, now=moment)

            events.append((submitted_at, 5, submit))

        if outcome in ("closed", "late", "approved") and leader is not None:

            def approve(moment, title=title):
                task = current(title)
                if task is not None and task.state == CountyTask.State.FEEDBACK_SUBMITTED:
                    county_task_approve_feedback(task=task, actor=leader, now=moment)

            events.append((handled_at, 6, approve))

        if outcome in ("closed", "late"):

            def close(moment, title=title):
                task = current(title)
                if task is not None and task.state == CountyTask.State.FEEDBACK_APPROVED:
                    county_task_close(task=task, actor=supervisor, now=moment)

            events.append((handled_at + timedelta(hours=4), 7, close))

    _run(events, now)
    county_tasks_flag_overdue(now=now)  # where the beat job has got to
    return {
        "tasks handed down": CountyTask.objects.count(),
        "task notes": TaskNote.objects.count(),
        "task attachments": TaskAttachment.objects.count(),
    }


# --- Reports upward -----------------------------------------------------------------------------


def _seed_reports(*, today: date, now: datetime, supervisor) -> dict[str, int]:
    # Response plans are adopted documents kept in the admin, not a change of state.
    plans = []
    for order, (title, scope) in enumerate(PLANS):
        plan, _ = ResponsePlan.objects.update_or_create(
            title=title, defaults={"scope": scope, "is_active": True, "adopted_on": date(today.year - 1, 3 + order, 1)}
        )
        plans.append(plan)
    for title, level, days_ago, plan_index, summary, measures, follow_ups in REPORTS:
        report = IncidentReport.objects.filter(title=title).first()
        if report is None:
            reported_at = _at(today - timedelta(days=days_ago), 15, 40)
            if reported_at + timedelta(minutes=5) > now:
                continue  # a later seed reports it
            report = incident_report_create(
                actor=supervisor,
                title=title,
                level=level,
                summary=summary,
                measures=measures,
                reported_to="县委宣传部",
                reported_at=reported_at,
                response_plan=plans[plan_index] if plan_index is not None else None,
                now=reported_at + timedelta(minutes=5),
            )
        for number, body in enumerate(follow_ups, start=1):
            reported_at = report.reported_at + timedelta(hours=6 * number)
            if reported_at > now or IncidentFollowUp.objects.filter(report=report, body=body).exists():
                continue
            incident_follow_up_add(report=report, body=body, reported_at=reported_at, actor=supervisor, now=reported_at)
    return {
        "response plans": ResponsePlan.objects.count(),
        "reports upward": IncidentReport.objects.count(),
        "follow-up reports": IncidentFollowUp.objects.count(),
    }
