"""The event pages: permission, the list's filters, creating from a suggestion, 加入事件, grading
and responding through the pages, and the event page's query count at 3 and at 30 items."""

import difflib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import clock
from events.models import ClockKind, Event, EventClock, EventPost, GradingRule
from events.services import event_create, event_grade
from tests.assignments.factories import CountyTaskFactory, IncidentReportFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory

pytestmark = pytest.mark.django_db


def _event(actor, *, posts: int, demands: int) -> Event:
    """An event of ``posts`` posts over three channels and ``demands`` demands, a day apart at most."""
    start = clock.now() - timedelta(hours=30)
    channels = [ChannelFactory() for _ in range(3)]
    post_ids = [
        PostFactory(channel=channels[i % 3], found_at=start + timedelta(hours=i), replies=i, views=10 * i).pk
        for i in range(posts)
    ]
    demand_ids = [DemandFactory(received_at=start + timedelta(hours=i)).pk for i in range(demands)]
    event = event_create(actor=actor, post_ids=post_ids, demand_ids=demand_ids)
    event_grade(event=event, actor=actor, level="I")
    return event


def test_pages_refuse_who_may_not(client_as, cast):
    event = _event(cast["supervisor"].user, posts=1, demands=0)
    assert client_as("outsider").get(reverse("events:event-list")).status_code == 403
    assert client_as("admin").get(event.get_absolute_url()).status_code == 403
    assert client_as("leader").get(event.get_absolute_url()).status_code == 200
    assert client_as("leader").get(reverse("events:suggestions")).status_code == 403
    response = client_as("leader").post(reverse("events:event-confirm", args=[event.pk]))
    assert response.status_code == 403


def test_the_list_filters_by_level_and_state(client_as, cast):
    actor = cast["supervisor"].user
    graded = _event(actor, posts=2, demands=0)
    plain = event_create(actor=actor, post_ids=[PostFactory().pk], title="未定级的事件")
    client = client_as("staff")
    assert len(client.get(reverse("events:event-list")).context["events"]) == 2
    level_one = client.get(reverse("events:event-list"), {"level": "I"}).context["events"]
    assert [e.pk for e in level_one] == [graded.pk]
    ungraded = client.get(reverse("events:event-list"), {"level": "none"}).context["events"]
    assert [e.pk for e in ungraded] == [plain.pk]
    assessing = client.get(reverse("events:event-list"), {"state": "assessing"}).context["events"]
    assert [e.pk for e in assessing] == [plain.pk]


def test_create_from_a_suggestion_and_add_from_a_post_page(client_as):
    client = client_as("supervisor")
    posts = [PostFactory(title="城关镇停水", body="城关镇停水三天") for _ in range(2)]
    page = client.get(reverse("events:suggestions"))
    assert len(page.context["suggestions"]) == 1
    response = client.post(
        reverse("events:event-create"), {"post_ids": f"{posts[0].pk},{posts[1].pk}", "demand_ids": "", "title": ""}
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == event.get_absolute_url()

    late = PostFactory(title="城关镇还在停水")
    add_url = reverse("events:item-add")
    assert client.get(add_url, {"post": late.pk}).status_code == 200
    response = client.post(add_url, {"post_id": late.pk, "event": event.pk})
    assert response.status_code == 302
    assert EventPost.objects.filter(event=event).count() == 3
    shown = client.get(add_url, {"post": late.pk})
    assert shown.context["current_event"] == event

    demand = DemandFactory()
    client.post(add_url, {"demand_id": demand.pk, "event": event.pk})
    assert event.demand_links.count() == 1


def test_grade_and_respond_through_the_page(client_as, cast):
    client = client_as("staff")
    actor_event = event_create(actor=cast["supervisor"].user, post_ids=[PostFactory().pk])
    GradingRule.objects.create(level="III", name="一条即一般", window_hours=24, min_items=1)
    page = client.get(actor_event.get_absolute_url())
    assert page.context["suggestion"].level == "III"
    response = client.post(
        reverse("events:event-grade", args=[actor_event.pk]), {"level": "I", "reason": "涉及群众安全"}
    )
    assert response.status_code == 302
    assert EventClock.objects.filter(event=actor_event).count() == 3
    now = clock.now()
    response = client.post(
        reverse("events:event-respond", args=[actor_event.pk]),
        {
            "kind": "first_response",
            "responded_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "text": "已回应",
        },
    )
    assert response.status_code == 302
    assert EventClock.objects.get(event=actor_event, kind="first_response").met_at is not None
    refused = client.post(reverse("events:event-respond", args=[actor_event.pk]), {"kind": "press", "text": ""})
    assert refused.status_code == 200
    assert refused.context["refused_form"].errors


def test_event_page_query_count_does_not_grow(client_as, cast):
    actor = cast["supervisor"].user
    client = client_as("staff")
    small = _event(actor, posts=2, demands=1)
    small.task_links.create(task=CountyTaskFactory())
    small.report_links.create(report=IncidentReportFactory())
    with CaptureQueriesContext(connection) as few:
        response = client.get(small.get_absolute_url())
    assert response.status_code == 200
    assert response.context["page"].item_count == 3

    large = _event(actor, posts=20, demands=10)
    for _ in range(3):
        large.task_links.create(task=CountyTaskFactory())
        large.report_links.create(report=IncidentReportFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(large.get_absolute_url())
    page = response.context["page"]
    assert page.item_count == 30
    assert page.demand_count == 10
    # 20 posts over three channels (7, 7, 6); each demand on a channel of its own
    assert [count for _name, count in page.channels] == [7, 7, 6] + [1] * 10
    # replies 0..19 → 190; views 0, 10, …, 190 → 1,900
    assert (page.spread["replies"], page.spread["views"], page.spread["reporting"]) == (190, 1900, 20)
    assert page.growth[-1].total == 30
    assert len(many) == len(few), "\n".join(
        difflib.unified_diff(
            [q["sql"][:150] for q in few.captured_queries], [q["sql"][:150] for q in many.captured_queries], lineterm=""
        )
    )


def test_long_timelines_are_paged(client_as, cast):
    event = _event(cast["supervisor"].user, posts=55, demands=0)
    client = client_as("staff")
    first = client.get(event.get_absolute_url())
    assert len(first.context["page"].timeline.object_list) == 50
    second = client.get(event.get_absolute_url(), {"page": 2})
    assert len(second.context["page"].timeline.object_list) == 5


def test_the_event_list_is_cards_on_a_phone_and_its_queries_do_not_grow(client_as, cast):
    actor, client = cast["supervisor"].user, client_as("staff")
    for _ in range(3):
        event_create(actor=actor, post_ids=[PostFactory().pk])
    url = reverse("events:event-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert 'table-cards" data-testid="event-cards"' in body
    assert body.count('<td class="cell-title"><a href="/events/') == 3
    assert 'data-bs-target="#event-filters"' in body
    for _ in range(27):
        event_create(actor=actor, post_ids=[PostFactory().pk])
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count('<td class="cell-title"><a href="/events/') == 30
    assert len(many) == len(few)


def _list_counts_events(queries) -> bool:
    """Whether a COUNT(*) of the event table was sent (the paginator's total), not a row's count."""
    return any(
        query["sql"].lstrip().startswith("SELECT COUNT(*)") and '"events_event"' in query["sql"] for query in queries
    )


def test_the_event_list_pages_without_counting_and_counts_each_row(client_as, cast):
    """The newest event holds 2 posts, 1 demand and 3 clocks (one overdue, one met, one not yet
    due); the older ones one post each. At 3 and at 40 events the list sends the same queries and
    no COUNT(*) of the events; 30 a page, the 10 oldest on page 2; ``count=1`` says 40."""
    actor, client = cast["supervisor"].user, client_as("staff")
    now = clock.now()
    counted = event_create(actor=actor, post_ids=[PostFactory().pk, PostFactory().pk], demand_ids=[DemandFactory().pk])
    EventClock.objects.bulk_create(
        [
            EventClock(event=counted, kind=ClockKind.FIRST_RESPONSE, due_at=now - timedelta(hours=1)),
            EventClock(
                event=counted,
                kind=ClockKind.AUTHORITATIVE,
                due_at=now - timedelta(hours=2),
                met_at=now - timedelta(hours=1),
            ),
            EventClock(event=counted, kind=ClockKind.PRESS, due_at=now + timedelta(hours=1)),
        ]
    )
    made = 1

    def older(count: int) -> None:
        nonlocal made
        for _ in range(count):
            event_create(actor=actor, post_ids=[PostFactory(found_at=now - timedelta(days=1, minutes=made)).pk])
            made += 1

    older(2)
    url = reverse("events:event-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    older(37)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    assert len(many) == len(few), difflib.unified_diff([q["sql"] for q in few], [q["sql"] for q in many])
    assert not _list_counts_events(few)
    assert not _list_counts_events(many)
    assert len(small.context["events"]) == 3
    rows = first.context["events"]
    assert len(rows) == 30
    assert (rows[0].pk, rows[0].post_count, rows[0].demand_count, rows[0].overdue_clocks) == (counted.pk, 2, 1, 1)
    assert (rows[1].post_count, rows[1].demand_count, rows[1].overdue_clocks) == (1, 0, 0)
    body = first.content.decode()
    assert 'data-testid="list-count"' not in body
    assert "page=2" in body
    second = client.get(url, {"page": 2})
    assert len(second.context["events"]) == 10
    assert "page=1" in second.content.decode()
    counted_page = client.get(url, {"count": 1, "state": "assessing"}).content.decode()
    assert 'data-testid="list-count" data-count="40"' in counted_page
