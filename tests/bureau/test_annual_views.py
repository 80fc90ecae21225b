"""The annual summary pages on a compiled crafted year: who may see them, the compile button, the
downloads, the admin. Compiling from the page is in test_annual_compile_views.py."""

import copy
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from bureau.models import AnnualSummary
from reports.annual.services import annual_summary_compile, annual_summary_write_workbook
from tests.bureau.test_annual import YEAR, build_year

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _build_and_compile():
    build_year()
    return annual_summary_compile(year=YEAR, schedule_workbook=False)


@pytest.fixture(scope="module")
def _compiled(module_rows):
    """The crafted year and its summary, built once for this module's tests (``module_rows``)."""
    return module_rows.build(_build_and_compile)


@pytest.fixture
def compiled(_compiled, db, travel):
    return copy.deepcopy(_compiled)


@pytest.mark.parametrize(("role", "status"), [("leader", 200), ("supervisor", 200), ("admin", 200), ("staff", 403)])
def test_who_may_open_the_summary(client_as, compiled, role, status):
    client = client_as(role)
    assert client.get(reverse("annual:summary-list")).status_code == status
    assert client.get(reverse("annual:summary-detail", args=[YEAR])).status_code == status
    assert client.get(reverse("annual:summary-draft", args=[YEAR])).status_code == status


def test_anonymous_is_sent_to_log_in(client, compiled):
    response = client.get(reverse("annual:summary-list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_year_never_compiled_is_not_found(client_as, compiled):
    assert client_as("leader").get(reverse("annual:summary-detail", args=[2019])).status_code == 404


def test_the_page_shows_the_stored_figures(client_as, compiled):
    response = client_as("supervisor").get(reverse("annual:summary-detail", args=[YEAR]), **EN)
    page = response.content.decode()
    assert "The office received 4 demands from the public." in page
    assert "75.0%" in page
    assert "66.7%" in page
    assert "Compiled at" in page
    assert "nightly job" in page
    assert reverse("annual:summary-compile") in page  # the supervisor may compile


def test_admin_sees_no_compile_button_and_may_not_compile(client_as, compiled):
    client = client_as("admin")
    page = client.get(reverse("annual:summary-detail", args=[YEAR]), **EN).content.decode()
    assert reverse("annual:summary-compile") not in page
    assert client.post(reverse("annual:summary-compile"), {"year": YEAR}).status_code == 403
    assert client_as("staff").post(reverse("annual:summary-compile"), {"year": YEAR}).status_code == 403


def test_workbook_download_waits_for_the_workbook(client_as, compiled):
    client = client_as("leader")
    url = reverse("annual:summary-workbook", args=[YEAR])
    response = client.get(url, follow=True, **EN)
    assert "still being written" in response.content.decode()
    annual_summary_write_workbook(summary_id=compiled.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 8  # seven areas and the assessment
    assert book.worksheets[0].cell(row=2, column=2).value == 4  # demands received in the year


def test_draft_download_is_a_docx_with_the_figures(client_as, compiled):
    response = client_as("leader").get(reverse("annual:summary-draft", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert paragraphs[0] == "2025年度网络舆情与网络宣传工作总结"
    # build_year (tests/bureau/test_annual.py) receives four demands in 2025: "new_year" (complaint,
    # hotline), "late" (suggestion, hotline), "replied" (consultation, forum) and "overdue" (complaint,
    # forum); "old_year" belongs to 2024 and the merged duplicate is not counted again.
    assert (
        "全年受理群众诉求4件。按类别计：投诉2件、建议1件、咨询1件、批评0件、表扬0件、其他0件；按来源渠道计：12345热线2件、本局论坛2件。"
        in paragraphs
    )


def test_list_shows_each_year_and_who_compiled(client_as, compiled):
    page = client_as("leader").get(reverse("annual:summary-list"), **EN).content.decode()
    assert reverse("annual:summary-detail", args=[YEAR]) in page
    assert "Final" in page
    assert "Nightly job" in page


def test_the_admin_shows_summaries_read_only(client_as, compiled):
    client = client_as("admin")
    changelist = client.get(reverse("admin:bureau_annualsummary_changelist"))
    assert changelist.status_code == 200
    assert str(YEAR) in changelist.content.decode()
    detail = client.get(reverse("admin:bureau_annualsummary_change", args=[compiled.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:bureau_annualsummary_add")).status_code == 403
    delete = reverse("admin:bureau_annualsummary_delete", args=[compiled.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AnnualSummary.objects.filter(pk=compiled.pk).exists()
