"""The median time from finding a post to its takedown (opinions/selectors/post_figures.py)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from opinions.models import Post
from opinions.selectors.post_figures import takedown_median_minutes
from tests.opinions.factories import PostFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = datetime(2025, 1, 1, tzinfo=SHANGHAI), datetime(2026, 1, 1, tzinfo=SHANGHAI)
pytestmark = pytest.mark.django_db


def _taken_down(found: datetime, minutes: float) -> None:
    PostFactory(
        found_at=found, posted_at=found, status=Post.Status.TAKEN_DOWN, decided_at=found + timedelta(minutes=minutes)
    )


def test_odd_count_is_the_middle_one_and_even_the_mean_of_the_middle_two():
    found = datetime(2025, 4, 1, 10, tzinfo=SHANGHAI)
    assert takedown_median_minutes(start=START, end=END) is None  # nothing taken down
    for day, minutes in enumerate((45, 10, 20)):
        _taken_down(found + timedelta(days=day), minutes)
    PostFactory(found_at=found, status=Post.Status.FILED)  # not taken down: not counted
    _taken_down(datetime(2024, 12, 31, 23, tzinfo=SHANGHAI), 1)  # found in 2024: not counted
    assert takedown_median_minutes(start=START, end=END) == Decimal("20.0")  # 10, 20, 45
    _taken_down(found + timedelta(days=5), 25.25)
    # 10, 20, 25.25, 45: (20 + 25.25) / 2 = 22.625 → 22.6
    assert takedown_median_minutes(start=START, end=END) == Decimal("22.6")
