"""The event rules: N items on one event in T minutes, and a new event reaching level II. On the
test clock (09:00 Monday 2 March 2026 in Shanghai); items are built with their arrival times."""

from datetime import timedelta

import pytest

from alerts.models import Alert, AlertRule
from alerts.services.evaluation import alerts_evaluate_sweeps
from bureau import clock
from events.models import Event, Level
from events.services import event_create, event_grade
from tests.alerts.factories import AlertRuleFactory
from tests.opinions.factories import DemandFactory, PostFactory

pytestmark = pytest.mark.django_db


def _volume_rule(**kwargs) -> AlertRule:
    return AlertRuleFactory(
        kind=AlertRule.Kind.EVENT_VOLUME, minutes=60, threshold=4, subject_words="", event_words="", **kwargs
    )


def _event(actor, *, post_minutes_ago=(), demand_minutes_ago=()) -> Event:
    now = clock.now()
    posts = [PostFactory(found_at=now - timedelta(minutes=m)) for m in post_minutes_ago]
    demands = [DemandFactory(received_at=now - timedelta(minutes=m)) for m in demand_minutes_ago]
    return event_create(
        actor=actor, post_ids=[p.pk for p in posts], demand_ids=[d.pk for d in demands], title="城关镇停水"
    )


def test_four_items_in_the_last_hour_raise_one_alert_per_event_per_window(travel, cast):
    actor = cast["supervisor"].user
    rule = _volume_rule()
    # 3 posts and 1 demand within the hour (one exactly 60 minutes ago: the window's first second
    # counts), 2 older posts that do not.
    growing = _event(actor, post_minutes_ago=(1, 30, 60, 61, 120), demand_minutes_ago=(5,))
    # 3 items in the hour: below the threshold of 4.
    _event(actor, post_minutes_ago=(2, 3), demand_minutes_ago=(4,))

    assert alerts_evaluate_sweeps() == 1
    alert = Alert.objects.get()
    assert alert.key == f"event:{growing.pk}"
    assert alert.link == growing.get_absolute_url()
    assert alert.title == f"{rule.name}：城关镇停水，60 分钟内 4 条"
    assert alert.text == "自 08:00 起该事件新增帖文 3 条、诉求 1 件"

    # Growing further inside the quiet window: no second alert (no storms).
    PostFactory(found_at=clock.now())
    travel.shift(timedelta(minutes=30))
    assert alerts_evaluate_sweeps() == 0
    assert Alert.objects.count() == 1


def test_the_window_start_is_inclusive_and_a_second_later_is_out(travel, cast):
    actor = cast["supervisor"].user
    _volume_rule()
    _event(actor, post_minutes_ago=(0, 10, 20, 60))
    travel.shift(timedelta(seconds=1))  # the oldest is now 60 min 1 s old: 3 items left
    assert alerts_evaluate_sweeps() == 0


def test_a_closed_event_does_not_alert(travel, cast):
    actor = cast["supervisor"].user
    _volume_rule()
    event = _event(actor, post_minutes_ago=(1, 2, 3, 4))
    Event.objects.filter(pk=event.pk).update(state=Event.State.CLOSED)
    assert alerts_evaluate_sweeps() == 0


def test_a_new_event_graded_level_ii_alerts_once_and_again_when_it_reaches_level_i(travel, cast):
    actor = cast["supervisor"].user
    rule = AlertRuleFactory(kind=AlertRule.Kind.EVENT_LEVEL, subject_words="", event_words="", quiet_minutes=60)
    event = _event(actor, post_minutes_ago=(5,))
    minor = _event(actor, post_minutes_ago=(6,))
    event_grade(event=minor, actor=actor, level=Level.III)
    assert alerts_evaluate_sweeps() == 0  # level III: not an alert

    event_grade(event=event, actor=actor, level=Level.II)
    travel.shift(timedelta(minutes=1))
    assert alerts_evaluate_sweeps() == 1
    travel.shift(timedelta(minutes=1))
    assert alerts_evaluate_sweeps() == 0  # the same level again: nothing
    travel.shift(timedelta(minutes=70))
    assert alerts_evaluate_sweeps() == 0  # graded over an hour ago: no longer new

    event_grade(event=event, actor=actor, level=Level.I)
    travel.shift(timedelta(minutes=1))
    assert alerts_evaluate_sweeps() == 1
    assert list(Alert.objects.order_by("pk").values_list("key", "title")) == [
        (f"event-level:{event.pk}:II", f"{rule.name}：城关镇停水 研判为Ⅱ级（较大）"),
        (f"event-level:{event.pk}:I", f"{rule.name}：城关镇停水 研判为Ⅰ级（重大）"),
    ]


def test_the_admin_asks_a_volume_rule_for_its_n_and_t():
    from alerts.admin import AlertRuleForm

    form = AlertRuleForm(
        data={"name": "事件增长", "kind": AlertRule.Kind.EVENT_VOLUME, "quiet_minutes": 60, "acknowledge_minutes": 10}
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["请填写多少分钟（T）内达到多少条（N）时预警。"]
