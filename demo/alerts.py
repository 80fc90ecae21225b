"""The demo office's alerts (预警): a keyword scheme, a watched section and the prohibited-content
rule; a chat robot on the local demo webhook (never the internet); and a few weeks of alerts made
through the services at past moments — most acknowledged within minutes, one late, one escalated
to the office head and the leader in charge. Idempotent: an alert already seeded is not raised again."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from alerts.models import Alert, AlertDelivery, AlertRule, ChatRobot
from alerts.services.escalation import alerts_escalate
from alerts.services.raising import alert_acknowledge, alert_raise
from bureau import clock
from bureau.models import Section, User

ROBOT_URL = "json://127.0.0.1:8000/demo/robot/"

# (days ago, hour, minute, rule, key, title, minutes to acknowledge or None: escalated)
HISTORY = [
    (20, 10, 5, "keywords", "word:图书馆", "图书馆周末关闭引发网友不满", 3),
    (14, 21, 40, "keywords", "word:文化馆", "文化馆停水，少儿班临时停课", 6),
    (9, 15, 12, "prohibited", "unhandled", "2 条违禁内容 15 分钟内未处理", 4),
    (6, 9, 30, "section", "section", "局长信箱互动区：群众反映噪音扰民", 14),
    (3, 23, 10, "keywords", "word:图书馆", "图书馆夜间闭馆时间提前", None),
]


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _rules() -> dict[str, AlertRule]:
    robot, _ = ChatRobot.objects.update_or_create(
        name="值班群机器人（演示）", defaults={"kind": ChatRobot.Kind.WEBHOOK, "url": ROBOT_URL, "is_active": True}
    )
    keywords, _ = AlertRule.objects.update_or_create(
        name="场馆服务舆情",
        defaults={
            "kind": AlertRule.Kind.KEYWORDS,
            "subject_words": "图书馆\n文化馆\n博物馆",
            "event_words": "关闭\n停水\n停课\n投诉\n不满",
            "excluded_words": "演练\n招聘",
            "quiet_minutes": 60,
            "acknowledge_minutes": 10,
        },
    )
    section, _ = AlertRule.objects.update_or_create(
        name="局长信箱互动区相关帖",
        defaults={"kind": AlertRule.Kind.WATCHED_SECTION, "quiet_minutes": 30, "acknowledge_minutes": 10},
    )
    section.sections.set(Section.objects.filter(name="局长信箱互动区"))
    prohibited, _ = AlertRule.objects.update_or_create(
        name="违禁内容超时未处理",
        defaults={
            "kind": AlertRule.Kind.PROHIBITED_UNHANDLED,
            "minutes": 15,
            "quiet_minutes": 30,
            "acknowledge_minutes": 10,
        },
    )
    for rule in (keywords, section, prohibited):
        rule.robots.set([robot])
    return {"keywords": keywords, "section": section, "prohibited": prohibited}


def seed(*, today: date) -> dict[str, int]:
    rules = _rules()
    section = Section.objects.filter(name="局长信箱互动区").first()
    for days_ago, hour, minute, rule_key, key, title, minutes in HISTORY:
        rule = rules[rule_key]
        if key == "section":
            key = f"section:{section.pk if section else 0}"
        if Alert.objects.filter(rule=rule, title=title).exists():
            continue  # seeded before (on this day or an earlier one)
        raised_at = _at(today - timedelta(days=days_ago), hour, minute)
        alert = alert_raise(rule=rule, key=key, title=title, text=title, now=raised_at)
        if alert is None:
            continue
        if minutes is None:
            alerts_escalate(now=raised_at + timedelta(minutes=10))
            alerts_escalate(now=raised_at + timedelta(minutes=20))
            continue
        recipient = alert.recipients.select_related("user").first()
        actor = recipient.user if recipient else User.objects.filter(username="supervisor").first()
        if actor is not None:
            alert_acknowledge(alert=alert, actor=actor, now=raised_at + timedelta(minutes=minutes))
    # The history's messages went out at the time, as far as the demo is concerned; the e-mails and
    # notices of the alert nobody acknowledged are left to the outbox, so its people see the badge.
    settled = AlertDelivery.objects.filter(sent_at__isnull=True, created_at__lt=_at(today, 0, 0)).exclude(
        channel=AlertDelivery.Channel.EMAIL, alert__acknowledged_at__isnull=True
    )
    settled.update(sent_at=clock.now(), attempts=1)
    return {
        "alert rules": AlertRule.objects.count(),
        "alerts": Alert.objects.count(),
        "escalated": Alert.objects.filter(escalation_step__gt=0).count(),
    }
