"""Raising, routing, evaluation, escalation and acknowledgement, on the test clock (09:00 Monday
2 March 2026 in Shanghai, ``travel``)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alerts.models import Alert, AlertDelivery, AlertEscalation, AlertRecipient, AlertRule
from alerts.services.delivery import alert_deliveries_send
from alerts.services.escalation import alerts_escalate
from alerts.services.evaluation import alerts_evaluate_posts, alerts_evaluate_sweeps
from alerts.services.raising import alert_acknowledge, alert_raise
from archive.models import ArchiveRecord
from bureau.models import Notification, Role
from opinions.models import Post
from tests.alerts.factories import AlertRuleFactory, ChatRobotFactory
from tests.assignments.factories import NightShiftTypeFactory, ShiftAssignmentFactory, ShiftFactory, ShiftTypeFactory
from tests.factories import PersonFactory, SectionFactory
from tests.opinions.factories import PostFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def _raise(rule, key="word:图书馆", **kwargs):
    return alert_raise(rule=rule, key=key, title="县图书馆停水", **kwargs)


def _told(alert) -> list[tuple[str, str]]:
    return [(r.user.person.name, r.reason) for r in AlertRecipient.objects.filter(alert=alert).order_by("pk")]


# --- Quiet window ---------------------------------------------------------------------------------


def test_a_second_match_in_the_quiet_window_raises_nothing(travel, cast):
    rule = AlertRuleFactory(quiet_minutes=30)
    assert _raise(rule) is not None
    travel.shift(timedelta(minutes=29, seconds=59))
    assert _raise(rule) is None  # inside the window
    assert _raise(rule, key="word:文化馆") is not None  # another subject is its own window
    travel.shift(timedelta(seconds=1))
    assert _raise(rule) is not None  # the window has passed: 30 minutes after the first
    assert Alert.objects.filter(rule=rule, key="word:图书馆").count() == 2
    assert Alert.objects.count() == 3


def test_keyword_posts_evaluated_from_the_mark_raise_one_alert_per_window(travel, cast):
    rule = AlertRuleFactory(quiet_minutes=60)
    alerts_evaluate_posts()  # the first run sets the mark
    PostFactory(title="县圖書館今天停水")  # traditional forms
    PostFactory(title="图书馆又停水了")  # the same subject, inside the window
    PostFactory(title="图书馆停水", body="这是消防演练")  # excluded
    PostFactory(title="县医院停水")  # no subject
    assert alerts_evaluate_posts() == 1
    assert alerts_evaluate_posts() == 0  # the mark moved: nothing new
    alert = Alert.objects.get()
    assert (alert.rule, alert.key, alert.post.title) == (rule, "word:图书馆", "县圖書館今天停水")
    travel.shift(timedelta(minutes=61))
    PostFactory(title="图书馆第三次停水")
    assert alerts_evaluate_posts() == 1


def test_a_relevant_post_on_a_watched_section_raises(travel, cast):
    watched, other = SectionFactory(), SectionFactory()
    rule = AlertRuleFactory(kind=AlertRule.Kind.WATCHED_SECTION, subject_words="", event_words="")
    rule.sections.add(watched)
    alerts_evaluate_posts()
    PostFactory(channel__section=watched, is_relevant=True, title="局长信箱：反映问题")
    PostFactory(channel__section=watched, is_relevant=False)
    PostFactory(channel__section=other, is_relevant=True)
    assert alerts_evaluate_posts() == 1
    assert Alert.objects.get().key == f"section:{watched.pk}"


def test_prohibited_content_not_handled_within_m_minutes(travel, cast):
    AlertRuleFactory(kind=AlertRule.Kind.PROHIBITED_UNHANDLED, minutes=15, subject_words="", event_words="")
    flagged = PostFactory(screening=Post.Screening.FLAGGED)
    PostFactory(screening=Post.Screening.CONFIRMED)  # taken down: handled
    travel.shift(timedelta(minutes=14, seconds=59))
    assert alerts_evaluate_sweeps() == 0
    travel.shift(timedelta(seconds=1))
    assert alerts_evaluate_sweeps() == 1
    assert alerts_evaluate_sweeps() == 0  # quiet window
    alert = Alert.objects.get()
    assert (alert.key, alert.post) == ("unhandled", flagged)
    assert alert.title == "1 条违禁内容 15 分钟内未处置"


# --- Routing by the roster ------------------------------------------------------------------------


def test_routing_follows_the_roster_at_a_shift_change(travel, cast):
    day = ShiftFactory(shift_type=ShiftTypeFactory())  # 08:30–17:30
    night = ShiftFactory(shift_type=NightShiftTypeFactory())  # 17:30–08:30
    ShiftAssignmentFactory(shift=day, person=PersonFactory(name="白班甲"))
    ShiftAssignmentFactory(shift=night, person=PersonFactory(name="夜班乙"))
    rule = AlertRuleFactory(quiet_minutes=1)
    travel.move_to(_at(17, 29))
    before = _raise(rule)
    travel.move_to(_at(17, 30))
    after = _raise(rule)
    assert _told(before) == [("白班甲", AlertRecipient.Reason.ON_DUTY)]
    assert _told(after) == [("夜班乙", AlertRecipient.Reason.ON_DUTY)]


def test_nobody_on_duty_goes_to_the_office_head(travel, cast):
    alert = _raise(AlertRuleFactory())
    assert _told(alert) == [(cast["supervisor"].name, AlertRecipient.Reason.NOBODY_ON_DUTY)]
    delivery = AlertDelivery.objects.get(alert=alert)
    assert (delivery.channel, delivery.user) == (AlertDelivery.Channel.EMAIL, cast["supervisor"].user)
    assert ArchiveRecord.objects.filter(action="alerts.alert.raised").count() == 1


def test_sms_and_robot_rows_in_the_outbox(travel, cast):
    rule = AlertRuleFactory(send_sms=True)
    rule.robots.add(ChatRobotFactory(), ChatRobotFactory(is_active=False))
    alert = _raise(rule)
    channels = sorted(AlertDelivery.objects.filter(alert=alert).values_list("channel", flat=True))
    assert channels == ["email", "robot", "sms"]  # one e-mail, one SMS (the office head), one active robot


# --- Escalation -----------------------------------------------------------------------------------


def test_escalation_step_by_step_when_nobody_acknowledges(travel, cast):
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=ShiftTypeFactory()), person=cast["staff"])
    rule = AlertRuleFactory(acknowledge_minutes=10)
    alert = _raise(rule)  # 09:00, the staff member on duty
    assert _told(alert) == [(cast["staff"].name, AlertRecipient.Reason.ON_DUTY)]

    travel.shift(timedelta(minutes=9, seconds=59))
    assert alerts_escalate() == 0
    travel.shift(timedelta(seconds=1))  # 09:10
    assert alerts_escalate() == 1
    assert alerts_escalate() == 0  # a second run finds nothing
    alert.refresh_from_db()
    assert alert.escalation_step == 1
    assert _told(alert)[-1] == (cast["supervisor"].name, AlertRecipient.Reason.ESCALATED_OFFICE_HEAD)

    travel.shift(timedelta(minutes=10))  # 09:20
    assert alerts_escalate() == 1
    alert.refresh_from_db()
    assert (alert.escalation_step, alert.escalate_at) == (2, None)
    assert _told(alert)[-1] == (cast["leader"].name, AlertRecipient.Reason.ESCALATED_LEADER)

    travel.shift(timedelta(hours=1))
    assert alerts_escalate() == 0  # the top of the chain
    steps = list(AlertEscalation.objects.filter(alert=alert).values_list("step", "told"))
    assert steps == [(1, [cast["supervisor"].name]), (2, [cast["leader"].name])]
    assert ArchiveRecord.objects.filter(action="alerts.alert.escalated").count() == 2
    assert AlertDelivery.objects.filter(alert=alert, channel="email").count() == 3


def test_an_acknowledged_alert_does_not_escalate(travel, cast):
    alert = _raise(AlertRuleFactory(acknowledge_minutes=10))
    travel.shift(timedelta(minutes=4))
    alert_acknowledge(alert=alert, actor=cast["supervisor"].user)
    travel.shift(timedelta(minutes=30))
    assert alerts_escalate() == 0
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.escalation_step) == (cast["supervisor"].user, 0)
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, actor=cast["leader"].user)  # once only


def test_acknowledging_marks_the_alert_notices_read(travel, cast):
    alert = _raise(AlertRuleFactory())
    assert alert_deliveries_send() == 1
    notice = Notification.objects.get(kind=Notification.ALERT_KIND)
    assert notice.recipient == cast["supervisor"].user
    assert notice.read_at is None
    alert_acknowledge(alert=alert, actor=cast["director"].user)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_who_may_acknowledge(travel, cast):
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=ShiftTypeFactory()), person=cast["staff"])
    alert = _raise(AlertRuleFactory())
    other_staff = PersonFactory(role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, actor=other_staff.user)  # not told, not a head or leader
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, actor=cast["outsider"])
    alert_acknowledge(alert=alert, actor=cast["staff"].user)  # the recipient
