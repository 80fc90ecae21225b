"""Events: suggestions, create/add/remove/split/merge with their archive records, the policy,
grading, the response clocks and their sweep. Figures are counted by hand from the rows built here."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import ArchiveRecord
from bureau.models import Notification
from events.keywords import keywords_of
from events.models import BureauTerm, Event, EventClock, EventDemand, EventPost, GradingRule, ResponseLimit
from events.selectors import event_grade_suggestion, overdue_clocks
from events.services import (
    event_clocks_sweep,
    event_create,
    event_grade,
    event_item_add,
    event_item_remove,
    event_merge,
    event_respond,
    event_split,
)
from events.suggestions import event_suggestions
from opinions.intake.items import IncomingItem
from opinions.services.intake import posts_ingest
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.fixture
def actor(cast):
    return cast["supervisor"].user


@pytest.fixture
def water():
    """Three posts on two channels and a demand about the Chengguan water cut, and two unrelated posts."""
    BureauTerm.objects.create(word="城关镇", kind=BureauTerm.Kind.PLACE)
    forum, weibo = ChannelFactory(name="县论坛"), ChannelFactory(name="微博")
    hotline = ChannelFactory(name="12345")
    posts = [
        PostFactory(channel=forum, title="城关镇停水三天了", body="城关镇自来水停水，居民用水困难", found_at=T0),
        PostFactory(channel=weibo, title="城关镇又停水", body="城关镇停水没有通知", found_at=T0 + timedelta(hours=1)),
        PostFactory(channel=forum, title="停水何时恢复", body="城关镇停水影响做饭", found_at=T0 + timedelta(hours=2)),
    ]
    demand = DemandFactory(
        channel=hotline, subject="城关镇停水投诉", content="城关镇停水两天", received_at=T0 + timedelta(hours=3)
    )
    others = [
        PostFactory(channel=forum, title="县医院挂号排队", body="县医院挂号排队三小时", found_at=T0),
        PostFactory(channel=weibo, title="图书馆周末开放", body="图书馆周末开放时间延长", found_at=T0),
    ]
    return posts, demand, others


def _actions(*targets) -> list[str]:
    return list(
        ArchiveRecord.objects.filter(action__startswith="events.", target_id__in=[str(t.pk) for t in targets])
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_bureau_term_comes_out_whole():
    words = keywords_of(["城关镇水厂今天停水"], terms=frozenset({"城关镇水厂"}))[0]
    assert "城关镇水厂" in words


def test_suggestion_groups_the_items_sharing_keywords(water, actor):
    posts, demand, others = water
    suggestions = event_suggestions(user=actor, now=T0 + timedelta(hours=4))
    assert len(suggestions) == 1
    (group,) = suggestions
    assert group.post_ids == sorted(p.pk for p in posts)
    assert group.demand_ids == [demand.pk]
    assert group.channels == ["12345", "县论坛", "微博"]
    assert group.keywords[:2] == ["城关镇", "停水"] or group.keywords[:2] == ["停水", "城关镇"]
    assert group.sources == ["keywords"]


def test_items_already_in_an_event_are_not_suggested_again(water, actor):
    posts, demand, _others = water
    event_create(actor=actor, post_ids=[p.pk for p in posts], demand_ids=[demand.pk], now=T0 + timedelta(hours=4))
    assert event_suggestions(user=actor, now=T0 + timedelta(hours=4)) == []


def test_create_add_remove_split_merge_are_archived(water, actor):
    posts, demand, _others = water
    now = T0 + timedelta(hours=4)
    event = event_create(actor=actor, post_ids=[posts[0].pk, posts[1].pk], now=now)
    assert event.first_seen_at == T0
    assert "城关镇" in event.title
    event_item_add(event=event, actor=actor, demand_id=demand.pk, now=now)
    event_item_add(event=event, actor=actor, post_id=posts[2].pk, now=now)
    assert (EventPost.objects.filter(event=event).count(), EventDemand.objects.filter(event=event).count()) == (3, 1)

    other = event_create(actor=actor, post_ids=[_others[0].pk], now=now)
    with pytest.raises(ValidationError):  # an item is in at most one event
        event_item_add(event=other, actor=actor, post_id=posts[0].pk, now=now)

    event_item_remove(event=event, actor=actor, post_id=posts[2].pk, now=now)
    new = event_split(event=event, actor=actor, post_ids=[posts[1].pk], title="微博上的停水", now=now)
    assert sorted(EventPost.objects.filter(event=new).values_list("post_id", flat=True)) == [posts[1].pk]
    assert sorted(EventPost.objects.filter(event=event).values_list("post_id", flat=True)) == [posts[0].pk]
    assert new.first_seen_at == T0 + timedelta(hours=1)

    event_merge(event=event, other=new, actor=actor, now=now)
    new.refresh_from_db()
    assert (new.merged_into_id, new.state) == (event.pk, Event.State.CLOSED)
    assert EventPost.objects.filter(event=event).count() == 2
    assert EventDemand.objects.filter(event=event).count() == 1
    assert _actions(event) == [
        "events.event.created",
        "events.event.item_added",
        "events.event.item_added",
        "events.event.item_removed",
        "events.event.split",
        "events.event.merged",
    ]
    assert _actions(new) == ["events.event.created", "events.event.merged_away"]
    record = ArchiveRecord.objects.get(action="events.event.merged", target_id=str(event.pk))
    assert record.after["posts"] == sorted([posts[0].pk, posts[1].pk])
    assert record.after["merged"] == new.pk


def test_split_refuses_moving_all_or_nothing(water, actor):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk, posts[1].pk], now=T0)
    with pytest.raises(ValidationError):
        event_split(event=event, actor=actor, post_ids=[posts[0].pk, posts[1].pk], now=T0)
    with pytest.raises(ValidationError):
        event_split(event=event, actor=actor, post_ids=[], now=T0)


def test_policy_refuses_who_may_not(water, cast):
    posts, _demand, _others = water
    with pytest.raises(PermissionDenied):
        event_create(actor=cast["leader"].user, post_ids=[posts[0].pk], now=T0)  # leaders grade, not manage
    with pytest.raises(PermissionDenied):
        event_create(actor=cast["outsider"], post_ids=[posts[0].pk], now=T0)
    event = event_create(actor=cast["staff"].user, post_ids=[posts[0].pk], now=T0)
    with pytest.raises(PermissionDenied):
        event_grade(event=event, actor=cast["admin"].user, level="I", now=T0)
    event_grade(event=event, actor=cast["leader"].user, level="II", now=T0)  # leaders may grade


def test_grading_suggestion_follows_the_rules(water, actor):
    posts, demand, _others = water
    GradingRule.objects.create(level="II", name="两个渠道四条", window_hours=6, min_items=4, min_channels=3)
    GradingRule.objects.create(level="I", name="十条", window_hours=24, min_items=10, min_channels=1)
    exploded = GradingRule.objects.create(level="I", name="爆炸", window_hours=24, watch_terms="爆炸\n伤亡")
    event = event_create(actor=actor, post_ids=[p.pk for p in posts], demand_ids=[demand.pk], now=T0)

    suggestion = event_grade_suggestion(event=event)
    # 4 items within 6 hours of 09:00 (09:00, 10:00, 11:00, 12:00) on 3 channels: the level II rule.
    assert (suggestion.level, [r.name for r in suggestion.rules], suggestion.channels) == ("II", ["两个渠道四条"], 3)
    assert suggestion.items_in_window[exploded.pk] == 4

    boom = PostFactory(title="城关镇水厂爆炸", body="", found_at=T0 + timedelta(hours=5))
    event_item_add(event=event, actor=actor, post_id=boom.pk, now=T0)
    assert event_grade_suggestion(event=event).level == "I"


def test_the_window_s_last_second_counts_and_the_next_does_not(water, actor, django_assert_num_queries):
    posts, demand, _others = water  # first seen 09:00; items at 09:00, 10:00, 11:00 and the demand at 12:00
    rule = GradingRule.objects.create(level="III", name="三小时五条", window_hours=3, min_items=5, min_channels=1)
    event = event_create(actor=actor, post_ids=[p.pk for p in posts], demand_ids=[demand.pk], now=T0)
    on_the_second = PostFactory(title="城关镇停水", body="", found_at=T0 + timedelta(hours=3))
    one_after = PostFactory(title="城关镇停水", body="", found_at=T0 + timedelta(hours=3, seconds=1))
    for post in (on_the_second, one_after):
        event_item_add(event=event, actor=actor, post_id=post.pk, now=T0)
    # 09:00, 10:00, 11:00, the demand at 12:00 and the post at 12:00:00: five; 12:00:01 is outside.
    with django_assert_num_queries(7):  # rules, their categories, channels ×2, categories, items ×2
        suggestion = event_grade_suggestion(event=event)
    assert (suggestion.items_in_window[rule.pk], suggestion.level) == (5, "III")


def test_no_rule_no_suggestion(water, actor):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk], now=T0)
    assert event_grade_suggestion(event=event).level == ""


def _clocks(event) -> dict[str, datetime]:
    return dict(EventClock.objects.filter(event=event).values_list("kind", "due_at"))


def test_clocks_per_level_with_their_deadlines(water, actor):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk], now=T0)  # first seen at T0
    event_grade(event=event, actor=actor, level="I", now=T0 + timedelta(minutes=30))
    assert _clocks(event) == {
        "first_response": T0 + timedelta(hours=48),
        "authoritative": T0 + timedelta(hours=5),
        "press": T0 + timedelta(hours=24),
    }
    event_grade(event=event, actor=actor, level="III", now=T0 + timedelta(hours=1))
    assert _clocks(event) == {"first_response": T0 + timedelta(hours=48)}
    assert ArchiveRecord.objects.filter(action="events.event.graded", target_id=str(event.pk)).count() == 2

    other = event_create(actor=actor, post_ids=[posts[1].pk], now=T0)  # first seen at T0 + 1 h
    ResponseLimit.objects.filter(level="II", kind="first_response").update(hours=12)  # the admins' change
    event_grade(event=other, actor=actor, level="II", now=T0 + timedelta(hours=2))
    assert _clocks(other) == {"first_response": T0 + timedelta(hours=13)}


def test_sweep_escalates_once_just_after_the_deadline(water, actor, cast):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk], now=T0)
    event_grade(event=event, actor=actor, level="I", now=T0)
    five = T0 + timedelta(hours=5)

    assert event_clocks_sweep(now=five) == 0  # at the deadline itself: not overdue (due_at < now)
    assert list(overdue_clocks(at=five)) == []
    assert event_clocks_sweep(now=five + timedelta(seconds=1)) == 1
    assert event_clocks_sweep(now=five + timedelta(seconds=2)) == 0  # a second sweep finds nothing
    assert event_clocks_sweep(now=five + timedelta(hours=1)) == 0

    escalated = EventClock.objects.get(event=event, kind="authoritative")
    assert escalated.escalated_at == five + timedelta(seconds=1)
    records = ArchiveRecord.objects.filter(action="events.eventclock.escalated")
    assert records.count() == 1
    assert records.get().after["kind"] == "authoritative"
    # The office head and the leader in charge of the cast hear of it, once each.
    notices = Notification.objects.filter(kind="events.clock.authoritative")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(
        [cast["supervisor"].user.pk, cast["leader"].user.pk]
    )
    assert [c.kind for c in overdue_clocks(at=five + timedelta(seconds=1))] == ["authoritative"]

    # The press response at 24 h and the first response at 48 h follow, each once.
    assert event_clocks_sweep(now=T0 + timedelta(hours=24, seconds=1)) == 1
    assert event_clocks_sweep(now=T0 + timedelta(hours=48, seconds=1)) == 1
    assert event_clocks_sweep(now=T0 + timedelta(hours=72)) == 0
    assert ArchiveRecord.objects.filter(action="events.eventclock.escalated").count() == 3
    assert Notification.objects.filter(kind__startswith="events.clock.").count() == 6


def test_a_recorded_response_meets_its_clock(water, actor):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk], now=T0)
    event_grade(event=event, actor=actor, level="I", now=T0)
    event_respond(
        event=event,
        actor=actor,
        kind="authoritative",
        responded_at=T0 + timedelta(hours=4),
        text="县水务局发布停水原因及恢复时间",
        now=T0 + timedelta(hours=4, minutes=10),
    )
    assert EventClock.objects.get(event=event, kind="authoritative").met_at == T0 + timedelta(hours=4)
    assert event_clocks_sweep(now=T0 + timedelta(hours=6)) == 0  # met before its deadline
    assert event_clocks_sweep(now=T0 + timedelta(hours=25)) == 1  # the press response was not made
    with pytest.raises(ValidationError):
        event_respond(event=event, actor=actor, kind="press", responded_at=T0 + timedelta(hours=30), text="x", now=T0)


def test_a_closed_event_takes_no_changes(water, actor):
    posts, _demand, _others = water
    event = event_create(actor=actor, post_ids=[posts[0].pk], now=T0)
    other = event_create(actor=actor, post_ids=[posts[1].pk], now=T0)
    event_merge(event=event, other=other, actor=actor, now=T0)
    with pytest.raises(ValidationError):
        event_item_add(event=other, actor=actor, post_id=posts[2].pk, now=T0)


def test_near_duplicates_found_at_intake_are_suggested_together_though_their_keywords_differ(actor, travel):
    """The same complaint in simplified and in traditional characters: jieba's keywords of the two
    texts differ (城东路/城東路), but intake's index found them to be the same text (100 %)."""
    forum, mailbox = ChannelFactory(name="县论坛"), ChannelFactory(name="县长信箱")
    simplified = "城东路夜间施工噪音扰民严重，晚上十一点以后还在打桩，请有关部门管一管"
    traditional = "城東路夜間施工噪音擾民嚴重！！晚上十一點以後還在打樁……請有關部門管一管。"
    first = posts_ingest(channel=forum, items=[IncomingItem(title=simplified)]).created_ids[0]
    second = posts_ingest(channel=mailbox, items=[IncomingItem(title=traditional)]).created_ids[0]

    suggestions = event_suggestions(user=actor)
    (group,) = [s for s in suggestions if first in s.post_ids]
    assert group.post_ids == sorted([first, second])
    assert "near-duplicates" in group.sources
    assert group.channels == ["县论坛", "县长信箱"]
