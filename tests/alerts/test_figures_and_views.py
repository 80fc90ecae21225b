"""The alert figures (hand-counted), the pages (policy 403, one-tap acknowledgement, the badge), and
query counts that do not grow with the alerts (the list, the dashboard)."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alerts.models import Alert
from alerts.selectors import alert_figures
from alerts.services.delivery import alert_deliveries_send
from alerts.services.raising import alert_acknowledge, alert_raise
from bureau import clock
from bureau.models import Role
from reports.annual.draft import opinion_paragraphs
from reports.annual.figures import alert_section, annual_figures
from reports.annual.workbook import write_annual_workbook
from tests.alerts.factories import AlertRuleFactory
from tests.assignments.factories import ShiftAssignmentFactory, ShiftFactory, ShiftTypeFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _four_alerts(travel, cast):
    """09:00 Monday 2 March 2026: four alerts (limit 10 minutes) acknowledged after 3, 12 and 5
    minutes, one never; and one the day before, outside the day counted."""
    rule = AlertRuleFactory(quiet_minutes=1, acknowledge_minutes=10)
    yesterday = clock.now() - timedelta(days=1)
    alert_raise(rule=rule, key="old", title="昨天的预警", now=yesterday)
    alerts = [alert_raise(rule=rule, key=f"k{n}", title=f"预警{n}") for n in range(4)]
    start = clock.now()
    for alert, minutes in zip(alerts, (3, 12, 5), strict=False):
        alert_acknowledge(alert=alert, actor=cast["supervisor"].user, now=start + timedelta(minutes=minutes))
    return alerts


def test_figures_raised_in_time_and_median(travel, cast):
    _four_alerts(travel, cast)
    start = clock.now().replace(hour=0, minute=0) - timedelta(hours=8)  # local midnight (UTC+8)
    figures = alert_figures(start=start, end=start + timedelta(days=1))
    assert (figures.raised, figures.acknowledged, figures.acknowledged_in_time) == (4, 3, 2)
    assert str(figures.median_minutes) == "5.0"  # of 3, 5 and 12
    assert str(figures.in_time_rate) == "50.0"  # 2 of 4
    nothing = alert_figures(start=start - timedelta(days=10), end=start - timedelta(days=5))
    assert (nothing.raised, nothing.median_minutes) == (0, None)


def test_an_even_count_takes_the_mean_of_the_middle_two(travel, cast):
    rule = AlertRuleFactory(quiet_minutes=1)
    start = clock.now()
    for n, minutes in enumerate((2, 7)):
        alert = alert_raise(rule=rule, key=f"k{n}", title="t")
        alert_acknowledge(alert=alert, actor=cast["leader"].user, now=start + timedelta(minutes=minutes))
    figures = alert_figures(start=start, end=start + timedelta(hours=1))
    assert str(figures.median_minutes) == "4.5"


def test_the_annual_summary_and_its_draft_carry_the_figures(travel, cast):
    _four_alerts(travel, cast)
    section = alert_section(year=2026)
    assert section == {
        "raised": 5,  # the one of the day before is in the year
        "acknowledged": 3,
        "acknowledged_in_time": 2,
        "median_minutes": 5.0,
        "in_time_rate": 40.0,
    }
    text = (
        "The early-warning system raised 5 alerts to the people on duty; 2 were acknowledged within their limit, "
        "in a median of 5 min."
    )
    assert text in _alert_paragraph(section)


def test_the_annual_workbook_lists_the_alert_figures(travel, cast):
    _four_alerts(travel, cast)
    buffer = io.BytesIO()
    write_annual_workbook(year=2026, figures=annual_figures(year=2026), stream=buffer, language="en")
    buffer.seek(0)
    rows = {row[0]: row[1:2] for row in openpyxl.load_workbook(buffer)["Overview"].iter_rows(values_only=True) if row}
    assert rows["Alerts raised"] == (5,)
    assert rows["Acknowledged in time"] == (2,)
    assert rows["Median minutes to acknowledge"] == (5.0,)


def _alert_paragraph(section) -> list[str]:
    figures = annual_figures(year=2026)  # the whole year, compiled as the summary does
    assert figures["alerts"] == section
    with translation.override("en"):
        return [str(p) for p in opinion_paragraphs(figures)]


def test_dashboard_shows_the_alert_figures(travel, cast, client_as):
    _four_alerts(travel, cast)
    body = client_as("supervisor").get(reverse("dashboard:dashboard") + "?period=today").content.decode()
    assert 'data-figure="alerts_raised">4<' in body
    assert 'data-figure="alerts_in_time">2<' in body
    assert 'data-figure="alerts_median">5 分钟<' in body


def test_dashboard_queries_do_not_grow_with_the_alerts(travel, cast, client_as):
    client, url = client_as("supervisor"), reverse("dashboard:dashboard") + "?period=month"
    rule = AlertRuleFactory(quiet_minutes=1)

    def raise_acknowledged(count: int, offset: int) -> None:
        for n in range(count):
            alert = alert_raise(rule=rule, key=f"k{offset + n}", title="t")
            alert_acknowledge(alert=alert, actor=cast["leader"].user)

    raise_acknowledged(3, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    raise_acknowledged(27, 3)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


# --- Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def on_duty_alert(travel, cast):
    """An alert sent to the staff member on duty."""
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=ShiftTypeFactory()), person=cast["staff"])
    return alert_raise(rule=AlertRuleFactory(), key="word:图书馆", title="县图书馆停水")


def test_the_recipient_acknowledges_with_one_post(on_duty_alert, client_as):
    client = client_as("staff")
    page = client.get(reverse("alerts:alert-detail", args=[on_duty_alert.pk]))
    assert page.status_code == 200
    assert 'data-testid="acknowledge"' in page.content.decode()
    response = client.post(reverse("alerts:alert-acknowledge", args=[on_duty_alert.pk]))
    assert response.status_code == 302
    on_duty_alert.refresh_from_db()
    assert on_duty_alert.acknowledged_at is not None


def test_someone_not_told_gets_403(on_duty_alert, client):
    other = PersonFactory(role=Role.STAFF)
    client.force_login(other.user)
    assert client.get(reverse("alerts:alert-detail", args=[on_duty_alert.pk])).status_code == 403
    assert client.post(reverse("alerts:alert-acknowledge", args=[on_duty_alert.pk])).status_code == 403
    assert client.get(reverse("alerts:alert-detail", args=[on_duty_alert.pk + 1000])).status_code == 404
    on_duty_alert.refresh_from_db()
    assert on_duty_alert.acknowledged_at is None


def test_an_outsider_gets_403_and_office_heads_and_leaders_may_acknowledge(on_duty_alert, client_as):
    assert client_as("outsider").get(reverse("alerts:alert-list")).status_code == 403
    assert client_as("leader").get(reverse("alerts:alert-detail", args=[on_duty_alert.pk])).status_code == 200
    client_as("supervisor").post(reverse("alerts:alert-acknowledge", args=[on_duty_alert.pk]))
    on_duty_alert.refresh_from_db()
    assert on_duty_alert.acknowledged_by.person.role == Role.OFFICE_HEAD


def test_the_menu_badge_counts_unacknowledged_alerts(on_duty_alert, cast, client_as):
    client = client_as("staff")
    assert 'data-testid="alerts-badge"' not in client.get(reverse("todo")).content.decode()
    alert_deliveries_send()  # the notice is the alert's e-mail and in-app message
    assert 'data-testid="alerts-badge">1<' in client.get(reverse("todo")).content.decode()
    alert_acknowledge(alert=on_duty_alert, actor=cast["staff"].user)
    assert 'data-testid="alerts-badge"' not in client.get(reverse("todo")).content.decode()


def test_the_list_shows_my_alerts_as_cards_in_constant_queries(travel, cast, client_as):
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=ShiftTypeFactory()), person=cast["staff"])
    rule = AlertRuleFactory(quiet_minutes=1)
    client, url = client_as("staff"), reverse("alerts:alert-list")
    for n in range(3):
        alert_raise(rule=rule, key=f"k{n}", title=f"预警{n}")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        body = client.get(url).content.decode()
    assert body.count('<td class="cell-title"><a href="/alerts/') == 3
    assert 'table-cards" data-testid="alert-list"' in body
    for n in range(3, 30):
        alert_raise(rule=rule, key=f"k{n}", title=f"预警{n}")
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert body.count('<td class="cell-title"><a href="/alerts/') == 30
    assert len(large) == len(small)
    other = client_as("director").get(url + "?state=open").content.decode()
    assert other.count('<td class="cell-title"><a href="/alerts/') == 30  # leaders see every alert
    assert Alert.objects.count() == 30


def test_the_acknowledgement_in_the_archive_reads_14_minutes_not_14_0(travel, cast):
    from django.utils import translation

    from archive.models import ArchiveRecord

    alert = alert_raise(rule=AlertRuleFactory(), key="k", title="预警")
    with translation.override("zh-hans"):
        alert_acknowledge(alert=alert, actor=cast["supervisor"].user, now=clock.now() + timedelta(minutes=14))
    record = ArchiveRecord.objects.get(action="alerts.alert.acknowledged", target_id=str(alert.pk))
    assert record.summary == "预警发出 14 分钟后确认"
    later = alert_raise(rule=AlertRuleFactory(), key="k2", title="预警二")
    with translation.override("zh-hans"):
        alert_acknowledge(alert=later, actor=cast["supervisor"].user, now=clock.now() + timedelta(minutes=65))
    record = ArchiveRecord.objects.get(action="alerts.alert.acknowledged", target_id=str(later.pk))
    assert record.summary == "预警发出 1 小时 5 分钟后确认"
