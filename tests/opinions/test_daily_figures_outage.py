"""The daily aggregates miss nothing: posts that arrive in batches (an import, a manual entry, a
feed) and changes made while beat was down for days are counted after the next refresh, on the
dashboard and in the stored rows.

The test clock starts at 09:00 on Monday 2 March 2026 (Shanghai); "beat stopped" means simply that
no refresh runs between two moments."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from opinions.models import DailyFiguresState, Demand, DemandDay, OverdueDay, PostDay
from opinions.selectors.figures import daily_figures_changed_days
from opinions.services.daily_figures import daily_figures_rebuild, daily_figures_refresh
from opinions.services.demands import demand_reply
from opinions.services.posts import post_enter, posts_import
from reports.dashboard.selectors import Period, dashboard
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _found_stored(day: date) -> int:
    return sum(PostDay.objects.filter(day=day).values_list("found", flat=True))


def _demands_stored(day: date, name: str = "received") -> int:
    return sum(DemandDay.objects.filter(day=day).values_list(name, flat=True))


def _import_rows(channel, titles: list[str]) -> list[dict]:
    return [
        {"channel_id": channel.pk, "title": title, "body": "网友反映的问题。", "posted_at": "2026-02-26T20:00:00+08:00"}
        for title in titles
    ]


def test_an_import_three_days_ago_while_beat_was_stopped_counts_after_one_refresh(travel, cast):
    channel = ChannelFactory()
    daily_figures_rebuild()  # the last run before beat stopped: Mon 2 March 09:00
    # Beat stops. Tuesday 3 March: three posts imported (found that day).
    travel.move_to(at(2026, 3, 3, 15))
    posts_import(rows=_import_rows(channel, ["进口帖一", "进口帖二", "进口帖三"]), actor=cast["staff"].user)
    travel.move_to(at(2026, 3, 6, 9))  # beat is back; 3 March is neither today nor yesterday

    daily_figures_refresh()

    # 3 posts imported on 3 March, nothing else found that day: 3 stored, 3 on the dashboard.
    assert _found_stored(date(2026, 3, 3)) == 3
    page = dashboard(period=Period(key="custom", first=date(2026, 3, 3), last=date(2026, 3, 3)))
    assert page.posts.found == 3


def test_the_dashboard_counts_an_unrefreshed_import_before_any_refresh(travel, cast):
    channel = ChannelFactory()
    daily_figures_rebuild()
    travel.move_to(at(2026, 3, 3, 15))
    posts_import(rows=_import_rows(channel, ["进口帖一", "进口帖二"]), actor=cast["staff"].user)
    travel.move_to(at(2026, 3, 6, 9))
    # No refresh yet: the dashboard reads 3 March live (2 posts imported that day).
    page = dashboard(period=Period(key="custom", first=date(2026, 3, 1), last=date(2026, 3, 5)))
    assert page.posts.found == 2


def test_a_batch_names_the_day_its_posts_were_found(travel, cast):
    """A batch committed after a refresh that began before it still names its day (3 March),
    though the refresh that reads it may run days later."""
    channel = ChannelFactory()
    daily_figures_rebuild()  # 2 March 09:00
    watermark = DailyFiguresState.objects.get().archive_watermark
    travel.move_to(at(2026, 3, 3, 23, 59))
    posts_import(rows=_import_rows(channel, ["深夜帖"]), actor=cast["staff"].user)
    travel.move_to(at(2026, 3, 8, 9))
    assert daily_figures_changed_days(watermark=watermark).post_days == {date(2026, 3, 3)}


def test_changes_across_a_four_day_outage_are_all_counted(travel, cast):
    channel = ChannelFactory()
    staff = cast["staff"]
    # Before the outage: one demand received on 1 March, assigned to staff, not yet replied.
    waiting = DemandFactory(
        channel=channel,
        received_at=at(2026, 3, 1, 10),
        due_at=at(2026, 3, 2, 10),
        state=Demand.State.ASSIGNED,
        handler=staff,
    )
    daily_figures_rebuild()  # Mon 2 March 09:00, the last run before beat stops
    assert _demands_stored(date(2026, 3, 1)) == 1
    assert _demands_stored(date(2026, 3, 1), "replied") == 0

    # Tue 3 March: a post typed in by hand, and a demand received (written by a bulk path: no record).
    travel.move_to(at(2026, 3, 3, 10))
    post_enter(channel=channel, actor=staff.user, title="手工录入帖")
    DemandFactory(channel=channel, received_at=at(2026, 3, 3, 10))
    # Wed 4 March: an import of two posts.
    travel.move_to(at(2026, 3, 4, 11))
    posts_import(rows=_import_rows(channel, ["导入帖一", "导入帖二"]), actor=staff.user)
    # Thu 5 March: the 1 March demand is replied (late).
    travel.move_to(at(2026, 3, 5, 16))
    demand_reply(demand=waiting, actor=staff.user, reply_text="已联系供电所修复路灯。")
    # Fri 6 March 09:00: beat is back after four days; one refresh.
    travel.move_to(at(2026, 3, 6, 9))
    daily_figures_refresh()

    # Counted by hand from the steps above:
    assert _found_stored(date(2026, 3, 3)) == 1  # the hand-entered post
    assert _found_stored(date(2026, 3, 4)) == 2  # the two imported posts
    assert _demands_stored(date(2026, 3, 3)) == 1  # the demand received on the 3rd
    assert _demands_stored(date(2026, 3, 1), "replied") == 1  # the late reply on the 5th
    assert _demands_stored(date(2026, 3, 1), "replied_on_time") == 0
    # Overdue at the end of each unmeasured day: the 1 March demand (due 2 March 10:00) until its
    # reply on the 5th; the 3 March demand (due 4 March 10:00) from the 4th on, never replied.
    overdue = dict(OverdueDay.objects.filter(day__gte=date(2026, 3, 3)).values_list("day", "overdue"))
    assert overdue[date(2026, 3, 3)] == 1
    assert overdue[date(2026, 3, 4)] == 2
    assert overdue[date(2026, 3, 5)] == 1

    page = dashboard(period=Period(key="custom", first=date(2026, 3, 1), last=date(2026, 3, 5)))
    assert page.posts.found == 3  # 1 entered + 2 imported
    assert page.demands.total.received == 2  # 1 March and 3 March
    assert page.demands.total.replied == 1


def test_a_refresh_the_same_day_recomputes_only_today(db, travel):
    daily_figures_rebuild()  # 09:00
    travel.shift(timedelta(minutes=5))
    assert daily_figures_refresh()["post_days"] == 1


def test_a_reader_counts_live_only_the_days_changed_since_the_refresh(travel, cast):
    """Right after a refresh nothing is stale for a reader, though the refresh itself re-reads the
    last records (its overlap): they were in its reads. A reply written after it makes the replied
    demand's day (1 March) stale, and only that day."""
    from opinions.selectors.figures import daily_figures_stored_days

    staff = cast["staff"]
    channel = ChannelFactory()
    first = DemandFactory(channel=channel, received_at=at(2026, 3, 1, 10), state=Demand.State.ASSIGNED, handler=staff)
    second = DemandFactory(channel=channel, received_at=at(2026, 2, 27, 10), state=Demand.State.ASSIGNED, handler=staff)
    daily_figures_rebuild()
    demand_reply(demand=second, actor=staff.user, reply_text="已处理。")  # an archive record on 27 February
    travel.shift(timedelta(minutes=5))
    daily_figures_refresh()
    travel.shift(timedelta(minutes=5))
    assert daily_figures_stored_days(now=at(2026, 3, 2, 9, 10)).stale_demand_days == set()

    demand_reply(demand=first, actor=staff.user, reply_text="已联系供电所修复路灯。")
    assert daily_figures_stored_days(now=at(2026, 3, 2, 9, 10)).stale_demand_days == {date(2026, 3, 1)}


def test_nothing_received_since_the_refresh_costs_one_probe(travel, cast, django_assert_num_queries):
    """The dashboard asks for the demands received since the last refresh: with none, one probe
    answers instead of the four grouped queries; with one, the probe and the four."""
    from opinions.selectors.figures import demand_daily_rows

    daily_figures_rebuild()  # 09:00
    since = DailyFiguresState.objects.get().refreshed_at
    with django_assert_num_queries(1):
        assert demand_daily_rows(days=set(), since=since) == []
    travel.shift(timedelta(minutes=3))
    DemandFactory(received_at=at(2026, 3, 2, 9, 3))
    with django_assert_num_queries(5):
        rows = demand_daily_rows(days=set(), since=since)
    assert [(row["day"], row["received"]) for row in rows] == [(date(2026, 3, 2), 1)]
