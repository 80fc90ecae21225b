"""Compiling the annual summary from its page, and the menu entry: each test on its own rows (the
pages of one compiled year are in test_annual_views.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveRecord
from bureau.models import AnnualSummary
from reports.annual.services import annual_summary_compile
from tests.bureau.test_annual import YEAR, build_year

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_compile_now_stores_the_summary_and_says_so(client_as, cast, db, travel):
    build_year()
    client = client_as("leader")
    response = client.post(reverse("annual:summary-compile"), {"year": YEAR}, follow=True, **EN)
    assert response.redirect_chain == [(reverse("annual:summary-detail", args=[YEAR]), 302)]
    assert "The 2025 summary was compiled." in response.content.decode()
    summary = AnnualSummary.objects.get(year=YEAR)
    assert summary.compiled_by == cast["leader"].user
    assert summary.is_final
    assert summary.figures["demands"]["total"]["received"] == 4
    record = ArchiveRecord.objects.get(action="reports.annualsummary.compiled")
    assert record.actor == cast["leader"].user


@pytest.mark.parametrize("year", ["1999", "2027", "abc"])
def test_compile_refuses_a_bad_year(client_as, db, travel, year):
    response = client_as("supervisor").post(reverse("annual:summary-compile"), {"year": year}, follow=True, **EN)
    assert response.redirect_chain == [(f"{reverse('annual:summary-list')}?year={year}", 302)]
    assert not AnnualSummary.objects.exists()
    assert f'value="{year}"' in response.content.decode()  # what was typed is still in the form


def test_compile_is_post_only(client_as, db):
    assert client_as("supervisor").get(reverse("annual:summary-compile")).status_code == 405


def test_menu_entry_follows_the_permission(client_as, db):
    url = reverse("annual:summary-list")
    assert url in client_as("supervisor").get(reverse("home")).content.decode()
    assert url not in client_as("staff").get(reverse("home")).content.decode()


def test_list_queries_do_not_grow_with_the_years(client_as, cast, db, travel):
    client, url = client_as("leader"), reverse("annual:summary-list")
    annual_summary_compile(year=2026, actor=cast["leader"].user, schedule_workbook=False)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for year in (2023, 2024, 2025):
        annual_summary_compile(year=year, actor=cast["supervisor"].user, schedule_workbook=False)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count("/annual/20") >= 4
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]
