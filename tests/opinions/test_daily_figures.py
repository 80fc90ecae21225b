"""The daily aggregates: equal to the figures selectors, right after a late change to an old day,
cut on local days, idempotent."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opinions.models import DailyFiguresState, Demand, DemandDay, OverdueDay, Post, PostDay
from opinions.selectors.figures import demand_figures, post_figures
from opinions.services.daily_figures import daily_figures_rebuild, daily_figures_refresh
from opinions.services.demands import demand_merge
from opinions.services.takedowns import takedown_confirm
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory, ScreeningCategoryFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")  # now: 2026-03-02 09:00


def _stored(day: date) -> dict[str, int]:
    rows = DemandDay.objects.filter(day=day)
    return {
        name: sum(getattr(row, name) for row in rows)
        for name in ("received", "replied", "replied_on_time", "completed", "called_back", "satisfied")
    }


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def old_year(db):
    channel = ChannelFactory()
    june = at(2025, 6, 10, 10)
    replied = [
        DemandFactory(
            channel=channel, received_at=june, state=Demand.State.REPLIED, first_replied_at=june + timedelta(hours=2)
        )
        for _ in range(3)
    ]
    open_ones = [DemandFactory(channel=channel, received_at=june, state=Demand.State.ASSIGNED) for _ in range(2)]
    PostFactory.create_batch(4, channel=channel, found_at=june)
    return {"channel": channel, "replied": replied, "open": open_ones}


def test_rebuild_matches_the_figures(old_year, cast):
    daily_figures_rebuild()
    total, _rows = demand_figures(user=cast["supervisor"].user, start=at(2025, 6, 10), end=at(2025, 6, 11))
    assert _stored(date(2025, 6, 10)) == {
        "received": total.received,
        "replied": total.replied,
        "replied_on_time": total.replied_on_time,
        "completed": total.completed,
        "called_back": total.called_back,
        "satisfied": total.satisfied,
    }
    assert total.received == 5
    assert sum(row.found for row in PostDay.objects.filter(day=date(2025, 6, 10))) == 4
    assert DailyFiguresState.objects.get().rebuilt_at is not None


def test_late_merge_on_an_old_day_is_picked_up(old_year, cast):
    daily_figures_rebuild()
    assert _stored(date(2025, 6, 10))["received"] == 5
    demand_merge(demand=old_year["open"][0], actor=cast["supervisor"].user, into=old_year["replied"][0])
    daily_figures_refresh()
    assert _stored(date(2025, 6, 10))["received"] == 4
    total, _rows = demand_figures(user=cast["supervisor"].user, start=at(2025, 6, 10), end=at(2025, 6, 11))
    assert total.received == 4


def test_late_takedown_on_an_old_day_is_picked_up(old_year, cast):
    daily_figures_rebuild()
    category = ScreeningCategoryFactory(purpose="prohibited")
    post = Post.objects.filter(found_at=at(2025, 6, 10, 10)).first()
    takedown_confirm(post=post, actor=cast["supervisor"].user, category=category, reason="违法信息")
    daily_figures_refresh()
    rows = PostDay.objects.filter(day=date(2025, 6, 10), taken_down__gt=0)
    assert [(row.category_id, row.taken_down) for row in rows] == [(category.pk, 1)]
    figures = post_figures(start=at(2025, 6, 10), end=at(2025, 6, 11))
    assert figures.taken_down_by_category == [(category.pk, category.name, 1)]


def test_refresh_is_idempotent(old_year):
    daily_figures_refresh()  # the first run rebuilds
    first = list(DemandDay.objects.values_list("day", "kind", "channel_id", "received", "replied").order_by("day"))
    daily_figures_refresh()
    daily_figures_refresh()
    again = list(DemandDay.objects.values_list("day", "kind", "channel_id", "received", "replied").order_by("day"))
    assert first == again
    assert DemandDay.objects.filter(day=date(2025, 6, 10)).count() == 1


def test_received_half_past_midnight_on_new_years_day_belongs_to_the_new_year(db, cast):
    DemandFactory(received_at=at(2026, 1, 1, 0, 30))
    DemandFactory(received_at=at(2025, 12, 31, 23, 59))
    daily_figures_rebuild()
    assert _stored(date(2026, 1, 1))["received"] == 1
    assert _stored(date(2025, 12, 31))["received"] == 1
    assert not DemandDay.objects.filter(day__year=2025, day__month=12, day__day=30).exists()  # not the UTC day


def test_overdue_history_and_measurement(db, travel):
    # Due 2026-02-10 12:00, replied late on the 12th; another due the 11th, never replied.
    DemandFactory(
        received_at=at(2026, 2, 9, 12),
        due_at=at(2026, 2, 10, 12),
        state=Demand.State.REPLIED,
        first_replied_at=at(2026, 2, 12, 9),
    )
    DemandFactory(received_at=at(2026, 2, 10, 12), due_at=at(2026, 2, 11, 12), state=Demand.State.ASSIGNED)
    daily_figures_rebuild()
    overdue = dict(OverdueDay.objects.values_list("day", "overdue"))
    assert overdue[date(2026, 2, 10)] == 1
    assert overdue[date(2026, 2, 11)] == 2
    assert overdue[date(2026, 2, 12)] == 1
    assert overdue[date(2026, 3, 1)] == 1
    today = OverdueDay.objects.get(day=date(2026, 3, 2))
    assert (today.overdue, today.measured_at is not None) == (1, True)


def test_command_rebuilds(old_year):
    call_command("rebuild_daily_figures", verbosity=0)
    assert _stored(date(2025, 6, 10))["received"] == 5
    call_command("rebuild_daily_figures", "--refresh", verbosity=0)
    assert _stored(date(2025, 6, 10))["received"] == 5
