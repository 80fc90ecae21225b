"""Demo: the briefings (舆情简报). The distribution list holds the office head and the demo chat
robot; yesterday's daily briefing was drafted by the staff member, given its next steps, submitted
and signed off by the leader in charge; last week's weekly briefing is a draft waiting for its
next steps. Made through the real services; seeding again adds nothing (each is looked up first)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from alerts.models import ChatRobot
from bureau import clock
from bureau.models import User
from reports.briefings import services
from reports.models import Briefing, BriefingDelivery, BriefingRecipient

NEXT_STEPS = (
    "一是继续做好论坛和12345热线的24小时值守，对涉及本局的帖子做到发现一贴、督办一贴、回复一贴。\n"
    "二是对超期未答复的诉求逐件督办，当日反馈办理进度。\n"
    "三是对仍在处置中的舆情事件持续跟踪，按时发布权威信息。"
)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(*, today: date) -> dict[str, int]:
    staff = User.objects.filter(username="staff").first()
    leader = User.objects.filter(username="leader").first()
    head = User.objects.filter(username="supervisor").first()
    if staff is None or leader is None:
        return {"briefings": Briefing.objects.count()}
    if head is not None:
        BriefingRecipient.objects.get_or_create(user=head)
    robot = ChatRobot.objects.filter(is_active=True).order_by("pk").first()
    if robot is not None:
        BriefingRecipient.objects.get_or_create(robot=robot)
    now = clock.now()
    if not Briefing.objects.filter(kind=Briefing.Kind.DAILY, state=Briefing.State.SIGNED).exists():
        yesterday = today - timedelta(days=1)
        drafted_at = min(now, _at(today, 8))
        briefing, _drafted = services.briefing_draft(
            actor=staff, kind=Briefing.Kind.DAILY, day=yesterday, now=drafted_at
        )
        briefing = services.briefing_edit(
            actor=staff, briefing=briefing, sections={"next_steps": NEXT_STEPS}, now=drafted_at
        )
        briefing = services.briefing_submit(actor=staff, briefing=briefing, now=drafted_at)
        briefing = services.briefing_sign(actor=leader, briefing=briefing, now=min(now, _at(today, 9)))
        # The robot's message went out at the time, as far as the demo is concerned.
        BriefingDelivery.objects.filter(briefing=briefing, sent_at__isnull=True).update(sent_at=now, attempts=1)
    if not Briefing.objects.filter(kind=Briefing.Kind.WEEKLY, state=Briefing.State.DRAFT).exists():
        last_week = today - timedelta(days=today.weekday() + 7)
        services.briefing_draft(actor=staff, kind=Briefing.Kind.WEEKLY, day=last_week, now=min(now, _at(today, 8)))
    return {
        "briefings": Briefing.objects.count(),
        "signed": Briefing.objects.filter(state=Briefing.State.SIGNED).count(),
        "on the distribution list": BriefingRecipient.objects.count(),
    }
