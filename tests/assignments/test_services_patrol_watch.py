"""The warning about website sections left unreviewed, sent to whoever is on duty."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assignments.services.patrol_watch import patrols_warn_overdue
from bureau import clock
from bureau.models import Notification
from opinions.models import PatrolRule
from opinions.services.patrol import patrol_record_review, patrol_rules_ensure
from tests.assignments.factories import ShiftAssignmentFactory
from tests.factories import SectionFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def section(cast):
    return SectionFactory(owner=cast["staff"])


def test_overdue_section_warns_once_per_lapse(section, cast, travel):
    patrol_record_review(section=section, actor=cast["staff"].user)  # 09:00, due 09:10
    travel.shift(timedelta(minutes=10))
    assert patrols_warn_overdue() == 0  # exactly at the limit
    travel.shift(timedelta(seconds=1))
    assert patrols_warn_overdue() == 1
    assert patrols_warn_overdue() == 0  # a second sweep finds nothing
    notices = Notification.objects.filter(kind="opinions.patrol_overdue", recipient=cast["staff"].user)
    assert notices.count() == 1
    travel.shift(timedelta(minutes=1))
    patrol_record_review(section=section, actor=cast["staff"].user)
    travel.shift(timedelta(minutes=11))
    assert patrols_warn_overdue() == 1  # a new lapse, a new warning
    assert notices.count() == 2


def test_no_warning_outside_working_hours(section, cast, travel):
    travel.move_to(datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI))
    patrol_record_review(section=section, actor=cast["staff"].user)
    travel.move_to(datetime(2026, 3, 2, 20, 0, tzinfo=SHANGHAI))
    assert patrols_warn_overdue() == 0
    travel.move_to(datetime(2026, 3, 7, 10, 0, tzinfo=SHANGHAI))  # Saturday
    assert patrols_warn_overdue() == 0
    travel.move_to(datetime(2026, 3, 9, 8, 35, tzinfo=SHANGHAI))  # Monday, hours began 08:30
    assert patrols_warn_overdue() == 0
    travel.move_to(datetime(2026, 3, 9, 8, 41, tzinfo=SHANGHAI))
    assert patrols_warn_overdue() == 1


def test_limit_and_hours_are_configurable(section, cast, travel):
    patrol_rules_ensure()
    PatrolRule.objects.filter(section=section).update(limit_minutes=3, hours_start=time(0, 0), weekdays_only=False)
    patrol_record_review(section=section, actor=cast["staff"].user)
    travel.shift(timedelta(minutes=4))
    assert patrols_warn_overdue() == 1


def test_the_person_on_duty_is_warned_too(section, cast, travel):
    on_duty = ShiftAssignmentFactory(person=cast["supervisor"])
    assert on_duty.shift.starts_at <= clock.now() < on_duty.shift.ends_at
    patrol_record_review(section=section, actor=cast["staff"].user)
    travel.shift(timedelta(minutes=11))
    assert patrols_warn_overdue() == 1
    warned = set(Notification.objects.filter(kind="opinions.patrol_overdue").values_list("recipient", flat=True))
    assert warned == {cast["staff"].user.pk, cast["supervisor"].user.pk}
