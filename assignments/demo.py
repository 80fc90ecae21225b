"""Demo data for duty, tasks handed down and reports upward: about a year of activity.

Idempotent: rows are found by natural keys (shift type and day, person and shift, task reference,
report title); values that look random come from a hash of those keys, so a second run changes
nothing. Bulk inserts keep it quick (a year of shifts takes a second or two)."""

import hashlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
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
from assignments.services.duty import roster_plan, shift_times
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
        20,
        72,
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


def _pick(*parts) -> int:
    """A stable number from the given parts: the demo's dice."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed(*, today: date) -> dict[str, int]:
    people = {p.user.username: p for p in Person.objects.select_related("user").filter(user__username__in=ROSTER)}
    people_list = [people[name] for name in ROSTER if name in people]
    if not people_list:
        return {}
    admin = User.objects.filter(username="supervisor").first()
    now = clock.now()

    day_type, _ = ShiftType.objects.update_or_create(
        name="白班", defaults={"starts": time(8, 30), "ends": time(17, 30), "is_night": False, "sort_order": 1}
    )
    night_type, _ = ShiftType.objects.update_or_create(
        name="夜班", defaults={"starts": time(17, 30), "ends": time(8, 30), "is_night": True, "sort_order": 2}
    )
    types = {"白班": day_type, "夜班": night_type}

    for username, offset, days, reason in LEAVES:
        if username in people:
            starts_on = today + timedelta(days=offset)
            # Keyed on the person and the reason, not the dates: seeding on a later day must not
            # add a second, overlapping leave; the first seed's dates stay.
            Leave.objects.get_or_create(
                person=people[username],
                reason=reason,
                defaults={
                    "starts_on": starts_on,
                    "ends_on": starts_on + timedelta(days=days - 1),
                    "created_at": _at(starts_on - timedelta(days=7), 10),
                    "created_by": admin,
                },
            )

    start, end = today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)
    plan = roster_plan(start=start, end=end, shift_types=[day_type, night_type], people=people_list)
    left_open = {(today + timedelta(days=offset), types[name].pk) for offset, name in OPEN_PLACES}
    new_shifts = []
    for slot in plan.slots:
        starts_at, ends_at, due_at = shift_times(shift_type=slot.shift_type, on=slot.on)
        new_shifts.append(
            Shift(
                shift_type=slot.shift_type,
                on=slot.on,
                starts_at=starts_at,
                ends_at=ends_at,
                sign_in_due_at=due_at,
                people_needed=slot.shift_type.people_needed,
            )
        )
    Shift.objects.bulk_create(new_shifts, ignore_conflicts=True)
    shifts = {(s.on, s.shift_type_id): s for s in Shift.objects.filter(on__gte=start, on__lte=end)}
    ShiftAssignment.objects.bulk_create(
        [
            ShiftAssignment(shift=shifts[(slot.on, slot.shift_type.pk)], person=person)
            for slot in plan.slots
            if (slot.on, slot.shift_type.pk) not in left_open
            for person in slot.added
        ],
        ignore_conflicts=True,
    )

    # Sign-ins for finished shifts: most on time, some late, a few missed (already flagged).
    finished = list(
        ShiftAssignment.objects.filter(
            shift__ends_at__lte=now, signed_in_at=None, missed_flagged_at=None, shift__on__gte=start
        ).select_related("shift")
    )
    for assignment in finished:
        shift, dice = assignment.shift, _pick(assignment.shift.on, assignment.shift.shift_type_id, assignment.person_id)
        roll = dice % 100
        if roll < 4:
            assignment.missed_flagged_at = shift.ends_at
            assignment.late_flagged_at = shift.sign_in_due_at + timedelta(minutes=5)
        elif roll < 11:
            assignment.signed_in_at = shift.sign_in_due_at + timedelta(minutes=1 + dice % 50)
            assignment.late_flagged_at = shift.sign_in_due_at + timedelta(minutes=1)
            assignment.sign_in_ip = f"10.12.3.{20 + dice % 30}"
        else:
            assignment.signed_in_at = shift.starts_at - timedelta(minutes=dice % 25)
            assignment.sign_in_ip = f"10.12.3.{20 + dice % 30}"
    ShiftAssignment.objects.bulk_update(
        finished, ["signed_in_at", "sign_in_ip", "late_flagged_at", "missed_flagged_at"], batch_size=500
    )

    # Handover notes on recent finished shifts.
    recent = (
        ShiftAssignment.objects.filter(shift__ends_at__lte=now, shift__on__gte=today - timedelta(days=60))
        .exclude(signed_in_at=None)
        .select_related("shift")
    )
    noted = set(
        HandoverNote.objects.filter(shift__on__gte=today - timedelta(days=60)).values_list("shift_id", flat=True)
    )
    notes = []
    for assignment in recent:
        shift = assignment.shift
        dice = _pick("handover", shift.on, shift.shift_type_id)
        if shift.pk in noted or dice % 3:
            continue
        notes.append(
            HandoverNote(
                shift=shift,
                author_id=assignment.person_id,
                body=HANDOVER_TEXTS[dice % len(HANDOVER_TEXTS)],
                created_at=shift.ends_at - timedelta(minutes=10 + dice % 20),
            )
        )
        noted.add(shift.pk)
    HandoverNote.objects.bulk_create(notes)

    counts = {
        "shift types": ShiftType.objects.count(),
        "shifts": Shift.objects.count(),
        "assignments": ShiftAssignment.objects.count(),
        "handover notes": HandoverNote.objects.count(),
        "leave": Leave.objects.count(),
    }
    counts.update(_seed_tasks(today=today, now=now, admin=admin))
    counts.update(_seed_reports(today=today))
    return counts


_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _seed_tasks(*, today: date, now: datetime, admin) -> dict[str, int]:
    people = {p.user.username: p for p in Person.objects.select_related("user")}
    leader = people.get("leader")
    for reference, kind, title, content, days_ago, hours, handler, outcome in TASKS:
        received_at = _at(today - timedelta(days=days_ago), 9, 15)
        due_at = received_at + timedelta(hours=hours)
        handled_in = timedelta(hours=hours * (1.4 if outcome == "late" else 0.6))
        approved_at = received_at + handled_in if outcome in ("closed", "late", "approved") else None
        state = {
            "closed": CountyTask.State.CLOSED,
            "late": CountyTask.State.CLOSED,
            "approved": CountyTask.State.FEEDBACK_APPROVED,
            "submitted": CountyTask.State.FEEDBACK_SUBMITTED,
            "progress": CountyTask.State.IN_PROGRESS,
            "overdue": CountyTask.State.IN_PROGRESS,
            "received": CountyTask.State.RECEIVED,
        }[outcome]
        feedback = ""
        if outcome in ("closed", "late", "approved", "submitted"):
            subject = title.removeprefix("关于").removesuffix("的舆情交办").removesuffix("的舆情专报")
            feedback = (
                f"经核查，{subject}问题部分属实，已责成相关单位整改，并在县论坛和官方网站作了回复说明，网民反响良好。"
            )
        # The reference carries the year the task came in; the title is the demo's natural key.
        reference = reference.format(year=received_at.year)
        task, _ = CountyTask.objects.update_or_create(
            title=title,
            defaults={
                "reference": reference,
                "kind": kind,
                "issued_by": "县委宣传部",
                "received_at": received_at,
                "content": content,
                "due_at": due_at,
                "handler": people[handler],
                "state": state,
                "feedback": feedback,
                "feedback_submitted_at": approved_at - timedelta(hours=2)
                if approved_at
                else (received_at + timedelta(hours=20) if outcome == "submitted" else None),
                "feedback_approved_at": approved_at,
                "feedback_approved_by": leader if approved_at else None,
                "closed_at": approved_at + timedelta(hours=4) if outcome in ("closed", "late") else None,
                "overdue_at": due_at + timedelta(minutes=5) if outcome in ("late", "overdue") else None,
                "created_by": admin,
            },
        )
        if outcome != "received":
            TaskNote.objects.get_or_create(
                task=task,
                body="已联系相关科室和单位核实情况，正在办理。",
                defaults={"author": people[handler], "created_at": received_at + timedelta(hours=3)},
            )
        if outcome in ("overdue",):
            TaskNote.objects.get_or_create(
                task=task,
                body="涉及多个部门，协调中，反馈材料尚未形成。",
                defaults={"author": people[handler], "created_at": received_at + timedelta(hours=30)},
            )
        if _pick("attachment", title) % 2 == 0 and not task.attachments.exists():
            attachment = TaskAttachment(
                task=task,
                original_name=f"{reference}.pdf",
                kind="pdf",
                size=len(_DEMO_PDF),
                uploaded_by=people.get("supervisor", people[handler]),
                uploaded_at=received_at + timedelta(minutes=20),
            )
            attachment.file.save(f"{reference}.pdf", ContentFile(_DEMO_PDF), save=False)
            attachment.save()
    return {
        "tasks handed down": CountyTask.objects.count(),
        "task notes": TaskNote.objects.count(),
        "task attachments": TaskAttachment.objects.count(),
    }


def _seed_reports(*, today: date) -> dict[str, int]:
    plans = []
    for order, (title, scope) in enumerate(PLANS):
        plan, _ = ResponsePlan.objects.update_or_create(
            title=title, defaults={"scope": scope, "is_active": True, "adopted_on": date(today.year - 1, 3 + order, 1)}
        )
        plans.append(plan)
    reporter = Person.objects.filter(user__username="supervisor").first() or Person.objects.first()
    for title, level, days_ago, plan_index, summary, measures, follow_ups in REPORTS:
        reported_at = _at(today - timedelta(days=days_ago), 15, 40)
        report, _ = IncidentReport.objects.update_or_create(
            title=title,
            defaults={
                "level": level,
                "summary": summary,
                "measures": measures,
                "response_plan": plans[plan_index] if plan_index is not None else None,
                "reported_to": "县委宣传部",
                "reported_at": reported_at,
                "reported_by": reporter,
                "created_at": reported_at,
            },
        )
        for number, body in enumerate(follow_ups, start=1):
            IncidentFollowUp.objects.get_or_create(
                report=report,
                body=body,
                defaults={"reported_at": reported_at + timedelta(hours=6 * number), "reported_by": reporter},
            )
    return {
        "response plans": ResponsePlan.objects.count(),
        "reports upward": IncidentReport.objects.count(),
        "follow-up reports": IncidentFollowUp.objects.count(),
    }
