"""Hostile or mistyped filter and search values never give a server error: each is a message on
the page (the list shows everything or nothing, with it)."""

import pytest
from django.urls import reverse

HOSTILE_DAYS = ["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "'9999-12-31'"]

PAGES = [
    ("opinions:monitor", ["found_from", "found_to"]),
    ("opinions:demand-list", ["received_from", "received_to"]),
    ("archive:record-list", ["date_from", "date_to"]),
    ("archive:record-export", ["date_from", "date_to"]),
    ("publicity:post-list", ["date_from", "date_to"]),
    ("publicity:post-export", ["date_from", "date_to"]),
    ("publicity:coverage-list", ["date_from", "date_to"]),
    ("publicity:disclosure-list", ["date_from", "date_to"]),
    ("publicity:disclosure-export", ["date_from", "date_to"]),
]


@pytest.mark.parametrize("value", HOSTILE_DAYS)
@pytest.mark.parametrize(("name", "params"), PAGES)
def test_an_out_of_range_day_is_a_message_not_a_500(client_as, name, params, value):
    client = client_as("supervisor")
    for param in params:
        response = client.get(reverse(name), {param: value})
        assert response.status_code in (200, 302), (name, param, value, response.status_code)


@pytest.mark.parametrize("value", HOSTILE_DAYS[:1])
def test_the_demand_export_survives_a_far_day(client_as, value):
    response = client_as("supervisor").get(reverse("opinions:demand-export", args=["xlsx"]), {"received_to": value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("opinions:demand-faq", []),
        ("opinions:monitor", []),
        ("opinions:demand-list", []),
        ("archive:record-list", []),
        ("publicity:post-list", []),
    ],
)
def test_a_nul_byte_in_the_search_is_harmless(client_as, name, args):
    response = client_as("supervisor").get(reverse(name, args=args), {"q": "停车\x00难"})
    assert response.status_code == 200


def test_the_far_day_is_told_beside_its_field(client_as):
    response = client_as("supervisor").get(reverse("opinions:demand-list"), {"received_to": "9999-12-31"})
    assert response.status_code == 200
    assert "2099-12-31" in response.content.decode()
