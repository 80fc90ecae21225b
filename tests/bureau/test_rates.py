"""One rounding for every rate: half-up, once, from the counts."""

from decimal import Decimal

import pytest

from bureau.rates import percent_text, rate


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (77, 80, Decimal("96.3")),  # 96.25 → half-up, not banker's 96.2
        (29, 30, Decimal("96.7")),  # 96.666…
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25
        (80, 80, Decimal("100.0")),
        (0, 5, Decimal("0.0")),
    ],
)
def test_a_rate_is_rounded_half_up_to_one_decimal(part, whole, expected):
    assert rate(part, whole) == expected


def test_nothing_to_divide_by_is_no_rate_not_zero():
    assert rate(0, 0) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("96.3"), "96.3%"),
        (Decimal("100.0"), "100.0%"),
        (Decimal("84"), "84.0%"),
        (Decimal("0.0"), "0.0%"),
        (None, "—"),
    ],
)
def test_a_rate_reads_as_a_percentage(value, text):
    assert percent_text(value) == text
