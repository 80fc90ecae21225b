"""One figure, one number: for the crafted year 2025 (tests/bureau/test_annual.py), the dashboard
(its selector and its page), the stored annual summary, the workbook read back and the draft text
all give the hand counts."""

from opinions.services.daily_figures import daily_figures_rebuild
from reports.annual.services import annual_summary_compile
from reports.dashboard.selectors import dashboard, year_period
from reports.indicators import indicator
from tests.bureau.test_annual import (  # noqa: F401 (the fixtures)
    DEMANDS,
    YEAR,
    _draft_text,
    _find_row,
    _workbook,
    _year_2025_and_figures,
    year_2025,
)

DEMAND_ROWS = {
    "received": "Demands received",
    "replied": "Demands replied",
    "replied_on_time": "Demands replied on time",
    "completed": "Demands completed",
    "overdue": "Demands overdue",
    "reply_rate": "Reply rate",
    "on_time_rate": "On-time rate",
    "completion_rate": "Completion rate",
    "satisfaction": "Satisfaction",
}


def test_dashboard_summary_workbook_and_draft_give_the_same_numbers(year_2025, client_as):  # noqa: F811
    daily_figures_rebuild()
    board = dashboard(period=year_period(YEAR))
    summary = annual_summary_compile(year=YEAR, schedule_workbook=False)
    stored = summary.figures
    overview = _workbook(stored)["Overview"]
    text = _draft_text(stored)

    for name, label in DEMAND_ROWS.items():
        expected = DEMANDS[name]
        if name.endswith("_rate") or name == "satisfaction":
            # A rate: the dashboard's text, the stored number of percent and the cell agree.
            assert indicator(name).text(board.demands.total) == f"{expected:.1f}%", name
            assert stored["demands"]["total"][name] == expected, name
            assert _find_row(overview, label)[1] == round(expected / 100, 4), name
            continue
        assert getattr(board.demands.total, name) == expected, name
        assert stored["demands"]["total"][name] == expected, name
        assert _find_row(overview, label)[1] == expected, name

    posts = stored["posts"]["total"]
    assert board.posts.found == posts["found"] == _find_row(overview, "Posts found")[1] == 4
    assert board.posts.taken_down == posts["taken_down"] == _find_row(overview, "Posts taken down")[1] == 3
    assert board.publicity.published == stored["publicity"]["published"] == 4
    assert _find_row(overview, "Publicity published")[1] == 4

    assert "The office received 4 demands from the public." in text
    assert "3 demands were replied to, a reply rate of 75.0%; 2 were replied to within the time limit" in text
    assert "2 cases were completed, a completion rate of 50.0%." in text
    assert "3 posts with prohibited content were taken down" in text
    assert "the bureau published 4, 133.3% of the quota." in text

    # And the page a leader reads shows the same year.
    page = client_as("leader").get(
        "/dashboard/", {"period": "range", "from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    cards = {card["key"]: card["value"] for card in page.context["demand_cards"]}
    for name in ("received", "replied", "replied_on_time", "completed", "overdue"):
        assert cards[name] == str(DEMANDS[name]), name
    assert cards["reply_rate"] == "75.0%"  # percent_text: always one decimal
    assert cards["on_time_rate"] == cards["completion_rate"] == "50.0%"
