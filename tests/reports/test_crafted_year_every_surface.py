"""The rounds crafted year (``tests.crafted_year``: D1–D13, C1, C2, counted by hand there) read on
every surface — the dashboard (the year, each quarter and each month; the page for the year, Q2 and
May), the assessment page and its xlsx export (per department), the stored annual summary (compiled
final on 1 January 2026), the workbook's cells and the draft's sentences — each giving the SAME
literal for every figure of the contract. Then a late change after the final compile: D12, still
open, is replied to on 1 March 2026 (late), and posts posted in 2025 are imported that day; the
nightly compile makes revision 2, every surface shows the new literals and revision 1 keeps the old.

How the periods were counted, case by case (each case's figures are listed in the story):
- Q1 = March: D1 (on time, signed on time, completed, satisfied on its only call-back) and D2 (1 s
  late, signed 1 s late, completed, unreachable then fairly satisfied).
- Q2: April D3 (on time by its approved extension), D4 (late, extension refused), D5 (late, no
  extension); May D6 (on time, completed, redo replied late, first call-back unsatisfied, latest
  satisfied), D7 (late, completed, redone, one unsatisfied call-back); June D8 (on time, B's, hand-
  back A's), D9 (on time, refused hand-back), D10 (merged).
- Q3 = September: C1 (on time on the 调休 Saturday), C2 (1 s late).
- Q4: November D11 (on time, completed then reopened: its redo overdue now, one unsatisfied
  call-back); December D13 (on time, completed, never called back), D12 (unanswered: overdue,
  pressed once).
The other months have nothing. The rates are the counts' rates rounded half up by hand (e.g.
13/14 = 92.857…% → 92.9%)."""

import copy
import io
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from opinions.models import Demand
from opinions.services import demands as s
from opinions.services.daily_figures import daily_figures_rebuild
from opinions.services.posts import posts_import
from reports.annual.draft import write_annual_draft
from reports.annual.services import annual_summary_compile_current, annual_summary_compile_final
from reports.annual.workbook import write_annual_workbook
from reports.dashboard.selectors import Period, dashboard
from reports.indicators import INDICATORS, indicator
from reports.models import AnnualSummaryRevision
from tests.crafted_year import EXPECTED, EXPECTED_A, EXPECTED_B, SHANGHAI, at, build_crafted_year
from tests.factories import make_cast
from tests.opinions.factories import ChannelFactory

pytestmark = pytest.mark.usefixtures("travel")  # the clock stands at 2026-03-02 09:00
YEAR = 2025
COUNTS = tuple(EXPECTED)  # every count of the contract
RATES = (
    "reply_rate",
    "on_time_rate",
    "completion_rate",
    "satisfaction",
    "first_satisfaction",
    "call_back_rate",
    "sign_for_on_time_rate",
    "hand_back_rate",
    "redo_rate",
)
assert {item.key for item in INDICATORS if item.source == "demands"} == {*COUNTS, *RATES}


def counted(**counts) -> dict:
    """A period's hand counts: the ones named, every other count of the contract 0."""
    assert set(counts) <= set(COUNTS), set(counts) - set(COUNTS)
    return dict.fromkeys(COUNTS, 0) | counts


def rates(*values) -> dict:
    """The nine rates in the order of ``RATES``, each as the percent counted by hand ("92.9") or
    None where there is nothing to divide by."""
    return dict(zip(RATES, (None if value is None else Decimal(value) for value in values), strict=True))


# The year: tests.crafted_year's EXPECTED. Rates: 13/14, 8/14, 5/14, 3/5, 1/4, 4/5, 13/14, 1/14, 3/14.
YEAR_RATES = rates("92.9", "57.1", "35.7", "60.0", "25.0", "80.0", "92.9", "7.1", "21.4")
QUARTERS = {
    "Q1": (  # D1 D2
        counted(
            received=2, replied=2, replied_on_time=1, replied_late=1, completed=2, signed_for=2,
            signed_for_on_time=1, called_back=2, reached=2, satisfied=2, first_reached=1, first_satisfied=1,
            completed_called_back=2,
        ),
        rates("100", "50.0", "100", "100", "100", "100", "50.0", "0", "0"),
    ),
    "Q2": (  # D3 D4 D5 D6 D7 D8 D9, D10 merged
        counted(
            received=7, replied=7, replied_on_time=4, replied_late=3, completed=2, redo_overdue=1, signed_for=7,
            signed_for_on_time=7, handed_back=1, redone=2, extensions_requested=2, extensions_approved=1,
            called_back=2, reached=2, satisfied=1, first_reached=2, merged=1, completed_called_back=2,
        ),
        # 7/7, 4/7 = 57.14…, 2/7 = 28.57…, 1/2, 0/2, 2/2, 7/7, 1/7 = 14.28…, 2/7
        rates("100", "57.1", "28.6", "50.0", "0", "100", "100", "14.3", "28.6"),
    ),
    "Q3": (  # C1 C2
        counted(received=2, replied=2, replied_on_time=1, replied_late=1, signed_for=2, signed_for_on_time=2),
        rates("100", "50.0", "0", None, None, None, "100", "0", "0"),
    ),
    "Q4": (  # D11 D13 D12
        counted(
            received=3, replied=2, replied_on_time=2, completed=1, overdue=1, redo_overdue=1, signed_for=3,
            signed_for_on_time=3, redone=1, presses=1, called_back=1, reached=1, first_reached=1,
        ),
        # 2/3 = 66.66…, 2/3, 1/3 = 33.33…, 0/1, 0/1, 0/1, 3/3, 0/3, 1/3
        rates("66.7", "66.7", "33.3", "0", "0", "0", "100", "0", "33.3"),
    ),
}  # fmt: skip
MONTHS = {month: counted() for month in range(1, 13)}
MONTHS[3] = QUARTERS["Q1"][0]
MONTHS[4] = counted(  # D3 D4 D5
    received=3, replied=3, replied_on_time=1, replied_late=2, signed_for=3, signed_for_on_time=3,
    extensions_requested=2, extensions_approved=1,
)  # fmt: skip
MONTHS[5] = counted(  # D6 D7
    received=2, replied=2, replied_on_time=1, replied_late=1, completed=2, redo_overdue=1, signed_for=2,
    signed_for_on_time=2, redone=2, called_back=2, reached=2, satisfied=1, first_reached=2, completed_called_back=2,
)  # fmt: skip
MAY_RATES = rates("100", "50.0", "100", "50.0", "0", "100", "100", "0", "100")  # 2/2, 1/2, 2/2, 1/2, 0/2, …, 2/2
MONTHS[6] = counted(  # D8 D9, D10 merged
    received=2, replied=2, replied_on_time=2, signed_for=2, signed_for_on_time=2, handed_back=1, merged=1
)
MONTHS[9] = QUARTERS["Q3"][0]
MONTHS[11] = counted(  # D11
    received=1, replied=1, replied_on_time=1, redo_overdue=1, signed_for=1, signed_for_on_time=1, redone=1,
    called_back=1, reached=1, first_reached=1,
)  # fmt: skip
MONTHS[12] = counted(  # D13 D12
    received=2, replied=1, replied_on_time=1, completed=1, overdue=1, signed_for=2, signed_for_on_time=2, presses=1
)
# 综合科 (A) and 城管科 (B): tests.crafted_year's EXPECTED_A / EXPECTED_B.
A_RATES = rates("90.9", "54.5", "27.3", "66.7", "50.0", "66.7", "90.9", "9.1", "9.1")  # 10/11 6/11 3/11 2/3 1/2 2/3 …
B_RATES = rates("100", "66.7", "66.7", "50.0", "0", "100", "100", "0", "66.7")  # 3/3 2/3 2/3 1/2 0/2 2/2 3/3 0/3 2/3

# After the late change: D12 (received 12-30, A, Q4, December) replied on 2026-03-01, past its
# deadline of 2025-12-31 09:00: one more replied, one more late, one fewer overdue, nothing else.
LATE = {"replied": +1, "replied_late": +1, "overdue": -1}
LATE_YEAR_RATES = YEAR_RATES | {"reply_rate": Decimal("100")}  # 14/14
LATE_A_RATES = A_RATES | {"reply_rate": Decimal("100")}  # 11/11
LATE_Q4_RATES = QUARTERS["Q4"][1] | {"reply_rate": Decimal("100")}  # 3/3


def late(expected: dict) -> dict:
    return {name: value + LATE.get(name, 0) for name, value in expected.items()}


def month_span(month: int) -> tuple[date, date]:
    following = date(YEAR + (month == 12), month % 12 + 1, 1)
    return date(YEAR, month, 1), date.fromordinal(following.toordinal() - 1)


QUARTER_SPANS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12)}


def quarter_span(key: str) -> tuple[date, date]:
    first, last = QUARTER_SPANS[key]
    return month_span(first)[0], month_span(last)[1]


# How each surface writes a figure: a page or the draft "92.9%" / "60.0%" / "—" and "13"; a cell 0.929
# (shown 92.9%) and 13; the stored JSON 92.9 and 13.
def text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.1f}%"
    return str(value)


def cell(value):
    return float(value / 100) if isinstance(value, Decimal) else value


def stored(value):
    return float(value) if isinstance(value, Decimal) else value


def as_text(figures) -> dict:
    """Every demand figure of a figure set as a page shows it, read through the registry."""
    return {key: indicator(key).text(figures) for key in (*COUNTS, *RATES)}


def expected_text(counts: dict, rate_values: dict | None = None) -> dict:
    shown = {name: text(value) for name, value in counts.items()}
    if rate_values is not None:
        shown |= {name: text(value) for name, value in rate_values.items()}
    return shown


def _build_year() -> tuple[dict, dict]:
    cast = make_cast()
    crafted = build_crafted_year(cast)
    daily_figures_rebuild()  # the nightly refresh has run: the dashboard reads the stored days
    # The 1 January job: 2025 compiled final, revision 1.
    assert annual_summary_compile_final(now=at(1, 1, 0, 30, year=2026)) == YEAR
    return cast, crafted


@pytest.fixture(scope="module")
def _cast_and_year(module_rows):
    """The cast and the crafted year, built once for the module's tests (``module_rows``)."""
    return module_rows.build(_build_year)


@pytest.fixture
def cast(_cast_and_year, db):
    return copy.deepcopy(_cast_and_year[0])


@pytest.fixture
def year(_cast_and_year, cast):
    return copy.deepcopy(_cast_and_year[1])


def make_late_change(crafted, cast) -> None:
    """D12 replied late on 1 March 2026; the same day two posts posted in December 2025 are imported."""
    d12 = Demand.objects.select_related("handler__user").get(pk=crafted["cases"]["D12"].pk)
    s.demand_reply(demand=d12, actor=d12.handler.user, reply_text="迟到的答复", now=at(3, 1, 10, year=2026))
    channel = ChannelFactory(name="县长信箱")
    rows = [
        {"channel_id": channel.pk, "title": title, "body": "网友反映。", "posted_at": "2025-12-20T20:00:00+08:00"}
        for title in ("补录帖一", "补录帖二")
    ]
    assert posts_import(rows=rows, actor=cast["staff"].user, now=at(3, 1, 11, year=2026))["created"] == 2
    annual_summary_compile_current(now=datetime(2026, 3, 2, 1, 0, tzinfo=SHANGHAI))  # the nightly compile


# --- The dashboard ------------------------------------------------------------------------------


def check_dashboard(year_counts, year_rates, q4_counts, q4_rates, december) -> None:
    spans = {"year": (date(YEAR, 1, 1), date(YEAR, 12, 31))}
    spans |= {key: quarter_span(key) for key in QUARTERS} | {month: month_span(month) for month in MONTHS}
    expected = {"year": expected_text(year_counts, year_rates)}
    expected |= {key: expected_text(*QUARTERS[key]) for key in QUARTERS} | {"Q4": expected_text(q4_counts, q4_rates)}
    expected |= {month: expected_text(counts) for month, counts in MONTHS.items()} | {12: expected_text(december)}
    expected[5] |= expected_text({}, MAY_RATES)
    for key, (first, last) in spans.items():
        shown = as_text(dashboard(period=Period("range", first, last)).demands.total)
        want = expected[key]
        assert {name: shown[name] for name in want} == want, key


def check_dashboard_page(client, year_counts, year_rates) -> None:
    for (first, last), (counts, rate_values) in (
        ((date(YEAR, 1, 1), date(YEAR, 12, 31)), (year_counts, year_rates)),
        (quarter_span("Q2"), QUARTERS["Q2"]),
        (month_span(5), (MONTHS[5], MAY_RATES)),
    ):
        response = client.get(
            "/dashboard/",
            {"period": "range", "from": first.isoformat(), "to": last.isoformat()},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        want = expected_text(counts, rate_values)
        cards = {card["key"]: card["value"] for card in response.context["demand_cards"]}
        assert cards == {key: want[key] for key in cards}, first
        # The figures behind the page: every count of the contract, those without a card too.
        assert as_text(response.context["board"].demands.total) == want, first


def test_the_dashboard_shows_the_hand_counts_for_the_year_each_quarter_and_each_month(year, client_as):
    check_dashboard(EXPECTED, YEAR_RATES, *QUARTERS["Q4"], MONTHS[12])
    check_dashboard_page(client_as("leader"), EXPECTED, YEAR_RATES)


def test_the_dashboard_by_department_counts_where_each_case_belonged(year, client_as):
    response = client_as("leader").get(
        "/dashboard/", {"period": "range", "from": "2025-01-01", "to": "2025-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = {row["label"]: row for row in response.context["by_department"]}
    assert as_text(rows["综合科"]["figures"]) == expected_text(EXPECTED_A, A_RATES)
    assert as_text(rows["城管科"]["figures"]) == expected_text(EXPECTED_B, B_RATES)


# --- The assessment and its export --------------------------------------------------------------


def assessment_rows(client) -> dict:
    response = client.get(reverse("dashboard:assessment"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return {item["row"].department.name: item for item in response.context["rows"]}


def export_rows(client) -> dict:
    response = client.get(reverse("dashboard:assessment-export"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def check_assessment(client, a_counts, a_rates) -> None:
    rows = assessment_rows(client)
    exported = export_rows(client)
    with translation.override("en"):
        titles = {key: str(indicator(key).label) for key in (*COUNTS, *RATES)}
    for name, counts, rate_values in (("综合科", a_counts, a_rates), ("城管科", EXPECTED_B, B_RATES)):
        want = expected_text(counts, rate_values)
        cells = {item["key"]: item["text"] for item in rows[name]["cells"]}
        assert {key: value for key, value in cells.items() if key in want} == {
            key: want[key] for key in cells if key in want
        }, name
        # Every figure of the contract the assessment counts (the row's figure set).
        assert as_text(rows[name]["row"].demands) == want, name
        columns = {key for key in (*COUNTS, *RATES) if titles[key] in exported[name]}
        shown = {key: exported[name][titles[key]] for key in columns}
        values = counts | rate_values
        assert shown == {key: cell(values[key]) for key in columns}, name
    # The new figures an assessor expects are columns of the page and the export.
    assert {"extensions_requested", "extensions_approved", "presses", "replied_late", "redo_overdue"} <= columns


def test_the_assessment_page_and_export_show_the_hand_counts_per_department(year, client_as):
    check_assessment(client_as("leader"), EXPECTED_A, A_RATES)


# --- The stored summary, the workbook, the draft ------------------------------------------------


def check_stored(figures, year_counts, year_rates, q4_counts, q4_rates, december, a_counts, a_rates) -> None:
    demands = figures["demands"]
    assert demands["total"] == {name: stored(value) for name, value in (year_counts | year_rates).items()}
    quarters = {"Q1": QUARTERS["Q1"], "Q2": QUARTERS["Q2"], "Q3": QUARTERS["Q3"], "Q4": (q4_counts, q4_rates)}
    for row in demands["by_period"]:
        if row["period"] == "quarter":
            counts, rate_values = quarters[row["key"]]
            assert {name: row[name] for name in RATES} == {name: stored(v) for name, v in rate_values.items()}
        else:
            month = int(row["key"][5:])
            counts = december if month == 12 else MONTHS[month]
            if month == 5:
                assert {name: row[name] for name in RATES} == {name: stored(v) for name, v in MAY_RATES.items()}
        assert {name: row[name] for name in COUNTS} == counts, row["key"]
    by_department = {row["key"]: row for row in demands["by_department"]}
    for name, counts, rate_values in (("综合科", a_counts, a_rates), ("城管科", EXPECTED_B, B_RATES)):
        assert {key: by_department[name][key] for key in (*COUNTS, *RATES)} == {
            key: stored(value) for key, value in (counts | rate_values).items()
        }
    assert {name: by_department[""][name] for name in COUNTS} == counted(merged=1)  # D10: no department
    assessed = {row["department"]: row["demands"] for row in figures["assessment"]}
    assert {name: assessed["综合科"][name] for name in COUNTS} == a_counts
    assert {name: assessed["城管科"][name] for name in COUNTS} == EXPECTED_B


def workbook(figures) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_annual_workbook(year=YEAR, figures=figures, stream=buffer, language="en")
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def check_workbook(figures, year_counts, year_rates, q4_counts, q4_rates, december, a_counts, a_rates) -> None:
    book = workbook(figures)
    with translation.override("en"):
        labels = {str(indicator(key).label): key for key in (*COUNTS, *RATES)}
    overview = {row[0]: row[1:18] for row in book["Overview"].iter_rows(values_only=True) if row and row[0] in labels}
    assert set(overview) == set(labels)
    quarters = {"Q1": QUARTERS["Q1"], "Q2": QUARTERS["Q2"], "Q3": QUARTERS["Q3"], "Q4": (q4_counts, q4_rates)}
    for label, key in labels.items():
        row = overview[label]
        # The year, Q1–Q4, then January–December.
        assert row[0] == cell((year_counts | year_rates)[key]), label
        for index, quarter in enumerate(("Q1", "Q2", "Q3", "Q4"), start=1):
            counts, rate_values = quarters[quarter]
            assert row[index] == cell((counts | rate_values)[key]), (label, quarter)
        if key in COUNTS:
            months = [december[key] if month == 12 else MONTHS[month][key] for month in range(1, 13)]
            assert list(row[5:17]) == months, label
        else:
            assert row[9] == cell(MAY_RATES[key]), label  # May
    sheet = book["Assessment"]
    header = next(sheet.iter_rows(values_only=True))
    assessed = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    for name, counts, rate_values in (("综合科", a_counts, a_rates), ("城管科", EXPECTED_B, B_RATES)):
        values = counts | rate_values
        shown = {labels[title]: value for title, value in assessed[name].items() if title in labels}
        assert shown == {key: cell(values[key]) for key in shown}, name


def draft_text(figures, language) -> str:
    buffer = io.BytesIO()
    write_annual_draft(figures=figures, stream=buffer, language=language)
    buffer.seek(0)
    return "\n".join(paragraph.text for paragraph in docx.Document(buffer).paragraphs)


def check_draft(figures, *, replied, reply_rate, replied_late, overdue) -> None:
    """The sentences carrying the figures, in English and as the office reads them in Chinese (no
    spaces around the numbers)."""
    english = draft_text(figures, "en")
    for sentence in (
        "The office received 14 demands from the public.",
        f"{replied} demands were replied to, a reply rate of {reply_rate}; 8 were replied to within the time "
        "limit, an on-time rate of 57.1%. 5 cases were completed, a completion rate of 35.7%.",
        f"{replied_late} demands were replied to after the time limit. Of the 14 demands signed for, 13 were signed "
        "for within the limit, a timely sign-for rate of 92.9%.",
        "1 cases were handed back and accepted as not the handling department's, a hand-back rate of 7.1%; 3 cases "
        "were handled again after an unsatisfied call-back, a redo rate of 21.4%, and 2 redo rounds ran past their "
        "deadline.",
        "2 extensions were requested and 1 approved; supervisors pressed handlers 1 times; 1 duplicate demands "
        "were merged into the cases they repeat and are not counted again.",
        "Of the 5 people reached on call-back, 3 were satisfied or fairly satisfied, a satisfaction of 60.0%.",
        "On the first call-back, 1 of the 4 people reached were satisfied or fairly satisfied, a first call-back "
        "satisfaction of 25.0%.",
        "4 of the 5 completed cases were called back, a call-back rate of 80.0%.",
    ):
        assert sentence in english
    chinese = draft_text(figures, "zh-hans")
    for sentence in (
        f"已答复{replied}件，答复率{reply_rate}；在时限内答复8件，按时答复率57.1%。已办结5件，办结率35.7%。",
        f"超期答复{replied_late}件。签收诉求14件，其中及时签收13件，及时签收率92.9%。",
        "退单1件，退单率7.1%；回访不满意重办3件，重办率21.4%，重办超期2件。",
        "申请延期2件，批准1件；催办1次；重复件1件，已并入原件，不重复计数。",
        "首次回访联系到群众4人，其中满意或基本满意1人，首次满意率25.0%。",
        "已办结的5件中回访4件，回访率80.0%。",
    ):
        assert sentence in chinese
    if overdue:
        assert "统计时仍有1件诉求超过期限未答复" in chinese
    else:
        assert "没有超过期限未答复的诉求。" in chinese


def test_the_stored_summary_workbook_and_draft_show_the_hand_counts(year):
    revision = AnnualSummaryRevision.objects.get(summary__year=YEAR)
    assert revision.number == 1
    figures = revision.figures
    assert figures["is_final"] is True
    args = (EXPECTED, YEAR_RATES, *QUARTERS["Q4"], MONTHS[12], EXPECTED_A, A_RATES)
    check_stored(figures, *args)
    check_workbook(figures, *args)
    check_draft(figures, replied=13, reply_rate="92.9%", replied_late=5, overdue=1)


# --- A late change after the final compile ------------------------------------------------------


def test_a_late_change_makes_revision_2_on_every_surface_and_revision_1_keeps_the_old(year, cast, client_as):
    make_late_change(year, cast)
    revisions = {r.number: r for r in AnnualSummaryRevision.objects.filter(summary__year=YEAR)}
    assert set(revisions) == {1, 2}
    changed = {change["figure"] for change in revisions[2].changes}
    assert {"demands.total.replied", "demands.total.replied_late", "demands.total.overdue"} <= changed
    year_counts, q4, december, a_counts = late(EXPECTED), late(QUARTERS["Q4"][0]), late(MONTHS[12]), late(EXPECTED_A)
    # The hand count after the change: replied 14, late 6, overdue 0 (A: 11, 5, 0; Q4: 3, 1, 0).
    assert (year_counts["replied"], year_counts["replied_late"], year_counts["overdue"]) == (14, 6, 0)
    assert (a_counts["replied"], a_counts["replied_late"], a_counts["overdue"]) == (11, 5, 0)
    assert (q4["replied"], q4["replied_late"], q4["overdue"]) == (3, 1, 0)
    new_args = (year_counts, LATE_YEAR_RATES, q4, LATE_Q4_RATES, december, a_counts, LATE_A_RATES)
    check_stored(revisions[2].figures, *new_args)
    check_workbook(revisions[2].figures, *new_args)
    check_draft(revisions[2].figures, replied=14, reply_rate="100.0%", replied_late=6, overdue=0)
    check_dashboard(year_counts, LATE_YEAR_RATES, q4, LATE_Q4_RATES, december)
    check_dashboard_page(client_as("leader"), year_counts, LATE_YEAR_RATES)
    check_assessment(client_as("leader"), a_counts, LATE_A_RATES)
    # The summary as it stands is revision 2; revision 1 keeps the figures of 1 January.
    assert revisions[2].summary.figures["demands"]["total"]["replied"] == 14
    old = (EXPECTED, YEAR_RATES, *QUARTERS["Q4"], MONTHS[12], EXPECTED_A, A_RATES)
    check_stored(revisions[1].figures, *old)
    check_workbook(revisions[1].figures, *old)
    check_draft(revisions[1].figures, replied=13, reply_rate="92.9%", replied_late=5, overdue=1)
    # The imported posts were found (recorded) on 1 March 2026: a post counts in the period it was
    # found in, so 2025's posts stay 0 found and 2026's are 2.
    assert revisions[2].figures["posts"]["total"]["found"] == 0
    board = dashboard(period=Period("range", date(2026, 1, 1), date(2026, 3, 2)))
    assert board.posts.found == 2


def test_every_dashboard_number_of_the_year_opens_a_list_with_the_same_count(year, client_as):
    """The lists behind the numbers: received 14, replied 13, on time 8, completed 5, overdue 1
    (D12; D11 is overdue in its redo round), reached 5; 综合科 11 received, 城管科 3."""
    client = client_as("leader")
    html = client.get(
        "/dashboard/", {"period": "range", "from": "2025-01-01", "to": "2025-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    links = [
        (unescape(href), int(number))
        for href, number in re.findall(r'<a[^>]*href="([^"]*count=1[^"]*)"[^>]*>\s*(\d+)\s*</a>', html)
    ]
    assert links
    for href, number in links:
        response = client.get(href)
        match = re.search(rb'data-testid="list-count" data-count="(\d+)"', response.content)
        assert match, href
        assert int(match.group(1)) == number, href


def test_the_assessment_links_each_department_to_the_cases_it_counts(year, client_as):
    """综合科 11 received (D11 among them: its redo went to 城管科 in 2026), 城管科 3 (D6 D7 D8)."""
    client = client_as("leader")
    rows = assessment_rows(client)
    for name, received in (("综合科", 11), ("城管科", 3)):
        response = client.get(rows[name]["demands_url"])
        match = re.search(rb'data-testid="list-count" data-count="(\d+)"', response.content)
        assert match, name
        assert int(match.group(1)) == received, name


def check_summary_page(client, url, year_counts, year_rates, q4_counts, q4_rates, *, revision) -> None:
    """The summary page (the current figures, or a revision's): which revision, and the overview's
    year and quarter columns as every surface writes them."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["revision"].number == revision
    with translation.override("en"):
        labels = {str(indicator(key).label): key for key in (*COUNTS, *RATES)}
    rows = {row[0]["text"]: row for row in response.context["overview"]["rows"] if row and row[0]["text"] in labels}
    quarters = [QUARTERS["Q1"], QUARTERS["Q2"], QUARTERS["Q3"], (q4_counts, q4_rates)]
    for label, key in labels.items():
        shown = [str(cell["text"]) for cell in rows[label][1:6]]  # a count is the number itself
        want = [text((year_counts | year_rates)[key]), *(text((c | r)[key]) for c, r in quarters)]
        assert shown == want, label


def test_the_summary_page_and_its_stored_workbook_before_and_after_the_late_change(year, cast, client_as):
    client = client_as("leader")
    detail = reverse("annual:summary-detail", args=[YEAR])
    check_summary_page(client, detail, EXPECTED, YEAR_RATES, *QUARTERS["Q4"], revision=1)
    make_late_change(year, cast)
    q4 = late(QUARTERS["Q4"][0])
    check_summary_page(client, detail, late(EXPECTED), LATE_YEAR_RATES, q4, LATE_Q4_RATES, revision=2)
    first = reverse("annual:summary-revision", args=[YEAR, 1])
    check_summary_page(client, first, EXPECTED, YEAR_RATES, *QUARTERS["Q4"], revision=1)
    # The workbook the nightly compile stored for revision 2 holds the cells written from its figures.
    summary = AnnualSummaryRevision.objects.get(summary__year=YEAR, number=2).summary
    assert summary.has_current_workbook
    with summary.workbook.open("rb") as stream:
        kept = openpyxl.load_workbook(io.BytesIO(stream.read()))
    buffer = io.BytesIO()
    write_annual_workbook(year=YEAR, figures=summary.figures, stream=buffer, language="zh-hans")
    buffer.seek(0)
    written = openpyxl.load_workbook(buffer)
    assert list(kept["概况"].iter_rows(values_only=True)) == list(written["概况"].iter_rows(values_only=True))
    replied = next(row for row in kept["概况"].iter_rows(values_only=True) if row and row[0] == "答复诉求数")
    assert replied[1] == 14
