"""Scoring (考核): the score rule at its exact thresholds, tiers, a department scored from real
counts on the assessment page, and the rules set in the admin."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from opinions.models import Demand
from reports.models import ScoringRule
from reports.scoring import Tier, department_score, indicator_points, tier_for
from tests.factories import DepartmentFactory
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _rule(**kwargs) -> ScoringRule:
    values = {"year": 2025, "indicator": "on_time_rate", "weight": Decimal("10"), "higher_is_better": True}
    return ScoringRule(**{**values, **kwargs})


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("100.0", "10"),
        ("95.0", "10"),  # exactly the full-marks threshold: full marks
        ("94.9", "5"),  # a tenth below: half
        ("90.0", "5"),  # exactly the half-marks threshold: half
        ("89.9", "0"),  # below it: none
        ("0.0", "0"),
    ],
)
def test_higher_is_better_at_the_exact_thresholds(value, points):
    rule = _rule(full_at=Decimal("95.0"), half_at=Decimal("90.0"))
    assert indicator_points(rule, Decimal(value)) == Decimal(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [("0.0", "6"), ("5.0", "6"), ("5.1", "3"), ("10.0", "3"), ("10.1", "0")],
)
def test_lower_is_better_at_the_exact_thresholds(value, points):
    rule = _rule(indicator="hand_back_rate", weight=Decimal("6"), full_at=Decimal("5.0"), half_at=Decimal("10.0"))
    rule.higher_is_better = False
    assert indicator_points(rule, Decimal(value)) == Decimal(points)


def test_nothing_to_divide_by_is_not_scored():
    assert indicator_points(_rule(full_at=Decimal("95"), half_at=Decimal("90")), None) is None


@pytest.mark.parametrize(
    ("share", "tier"),
    [
        ("100.0", Tier.EXCELLENT),
        ("90.0", Tier.EXCELLENT),
        ("89.9", Tier.GOOD),
        ("75.0", Tier.GOOD),
        ("74.9", Tier.PASS),
        ("60.0", Tier.PASS),
        ("59.9", Tier.FAIL),
        (None, None),
    ],
)
def test_tiers_at_their_cuts(share, tier):
    assert tier_for(Decimal(share) if share else None) == tier


def test_a_department_score_leaves_out_what_cannot_be_scored():
    rules = [
        _rule(full_at=Decimal("95"), half_at=Decimal("90")),
        _rule(indicator="satisfaction", weight=Decimal("5"), full_at=Decimal("90"), half_at=Decimal("80")),
    ]
    # 19 of 20 on time = 95.0 → 10; nobody reached, satisfaction not scored: 10 of 10.
    sets = {"demands": {"received": 20, "replied_on_time": 19, "satisfied": 0, "called_back": 0}}
    score = department_score(rules, sets)
    assert (score.points, score.maximum, score.share, score.tier) == (
        Decimal("10"),
        Decimal("10"),
        Decimal("100.0"),
        Tier.EXCELLENT,
    )
    assert score.by_indicator == {"on_time_rate": Decimal("10"), "satisfaction": None}


def _demands(department, count, on_time, received):
    """``count`` demands of ``department``, the first ``on_time`` replied 2 hours after receipt, the
    rest 30 hours after (deadline: 24 hours)."""
    channel = ChannelFactory()
    for number in range(count):
        at = received + timedelta(hours=number)
        replied = at + timedelta(hours=2 if number < on_time else 30)
        DemandFactory(
            channel=channel,
            department=department,
            received_at=at,
            due_at=at + timedelta(hours=24),
            state=Demand.State.REPLIED,
            replied_at=replied,
            first_replied_at=replied,
        )


def test_assessment_page_scores_95_0_full_and_94_9_half(db, travel, client_as):
    """2024, on-time rate weight 10, full ≥ 95.0, half ≥ 90.0:
    督查科 19 of 20 on time = 95.0% → 10 of 10 → Excellent;
    信息科 37 of 39 on time = 94.87 → 94.9% → 5 of 10 = 50% → Fail."""
    exact = DepartmentFactory(name="督查科", sort_order=1)
    below = DepartmentFactory(name="信息科", sort_order=2)
    start = datetime(2024, 5, 1, 9, tzinfo=SHANGHAI)
    _demands(exact, 20, 19, start)
    _demands(below, 39, 37, start)
    ScoringRule.objects.create(year=2024, indicator="on_time_rate", weight=10, full_at=95, half_at=90)
    response = client_as("leader").get(reverse("dashboard:assessment"), {"year": 2024}, HTTP_ACCEPT_LANGUAGE="en")
    rows = {item["row"].department.name: item for item in response.context["rows"]}
    cells = {name: {c["key"]: c["text"] for c in item["cells"]} for name, item in rows.items()}
    assert cells["督查科"]["on_time_rate"] == "95.0%"
    assert (rows["督查科"]["score"], rows["督查科"]["maximum"], rows["督查科"]["tier"]) == ("10", "10", "Excellent")
    assert cells["信息科"]["on_time_rate"] == "94.9%"
    assert (rows["信息科"]["score"], rows["信息科"]["maximum"], rows["信息科"]["tier"]) == ("5", "10", "Fail")


def test_administrators_set_the_rules_in_the_admin(client_as):
    client = client_as("admin")
    url = reverse("admin:reports_scoringrule_add")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
    data = {"year": 2025, "indicator": "on_time_rate", "weight": "10", "full_at": "95.0", "half_at": "90.0"}
    response = client.post(url, {**data, "higher_is_better": "on"})
    assert response.status_code == 302
    assert ScoringRule.objects.get().full_at == Decimal("95.0")


def test_thresholds_out_of_order_get_a_clear_message_in_chinese(client_as):
    client = client_as("admin")
    data = {"year": 2025, "indicator": "on_time_rate", "weight": "10", "full_at": "90.0", "half_at": "95.0"}
    response = client.post(
        reverse("admin:reports_scoringrule_add"), {**data, "higher_is_better": "on"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200  # shown again, what was typed kept
    page = response.content.decode()
    assert "半分线不能优于满分线。" in page
    assert 'value="95.0"' in page
    assert not ScoringRule.objects.exists()


def test_leaders_read_the_assessment_but_cannot_change_the_rules(client_as):
    assert client_as("staff").get(reverse("dashboard:assessment-export")).status_code == 403
    assert client_as("leader").get(reverse("dashboard:assessment-export")).status_code == 200
    assert client_as("leader").post(reverse("admin:reports_scoringrule_add"), {}).status_code in (302, 403)
