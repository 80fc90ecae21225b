"""One formatting of a duration (bureau.durations), in Chinese as the office reads it."""

from decimal import Decimal

import pytest
from django.utils import translation

from bureau.durations import duration_text, minutes_text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (0, "0 分钟"),
        (20, "不到 1 分钟"),
        (30, "1 分钟"),  # half a minute rounds up
        (840, "14 分钟"),
        (869, "14 分钟"),
        (3600, "1 小时"),
        (3900, "1 小时 5 分钟"),
        (-3900, "1 小时 5 分钟"),  # overdue by as much: the sign is the caller's
        (86_399, "1 天"),  # 23 h 59 min 59 s rounds to a whole day
        (97_200, "1 天 3 小时"),
        (2 * 86_400 + 59 * 60, "2 天"),  # minutes are not shown from a day on
    ],
)
def test_duration_text(seconds, text):
    with translation.override("zh-hans"):
        assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(14.0, "14 分钟"), (Decimal("22.6"), "23 分钟"), (Decimal("22.4"), "22 分钟"), (65, "1 小时 5 分钟"), (None, "—")],
)
def test_minutes_text(minutes, text):
    with translation.override("zh-hans"):
        assert minutes_text(minutes) == text


def test_in_english_too():
    with translation.override("en"):
        assert (minutes_text(14.0), duration_text(3900), duration_text(97_200)) == ("14 min", "1 h 5 min", "1 d 3 h")
