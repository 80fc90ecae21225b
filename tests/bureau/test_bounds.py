"""A day or a year asked for in a page's address: what a hand-edited address gets."""

from datetime import date

import pytest
from django.urls import reverse

from bureau.bounds import requested_day, requested_year

DEFAULT = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-09", date(2026, 3, 9)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2099-12-31", date(2099, 12, 31)),
        ("1999-12-31", DEFAULT),
        ("2100-01-01", DEFAULT),
        ("9999-12-31", DEFAULT),
        ("2026-02-30", DEFAULT),
        ("2026-03-09\x00", DEFAULT),
        ("", DEFAULT),
        (None, DEFAULT),
    ],
)
def test_a_requested_day_outside_the_bounds_or_malformed_is_the_default(value, expected):
    assert requested_day(value, DEFAULT) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025", 2025),
        ("2000", 2000),
        ("2099", 2099),
        ("1999", 2026),
        ("2100", 2026),
        ("9999", 2026),
        ("-1", 2026),
        ("20x6", 2026),
        ("", 2026),
        (None, 2026),
    ],
)
def test_a_requested_year_outside_2000_to_2099_or_not_a_number_is_this_year(travel, value, expected):
    assert requested_year(value) == expected


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("assignments:figures", "supervisor"),
        ("assignments:figures-export", "supervisor"),
        ("assignments:week", "staff"),
        ("assignments:month", "staff"),
        ("assignments:week-print", "staff"),
        ("publicity:progress", "supervisor"),
        ("dashboard:assessment", "supervisor"),
    ],
)
def test_pages_taking_a_year_or_a_day_answer_a_hostile_address_with_a_page(client_as, travel, name, role):
    response = client_as(role).get(reverse(name), {"year": "99999", "start": "9999-12-31", "month": "9999-99"})
    assert response.status_code == 200
