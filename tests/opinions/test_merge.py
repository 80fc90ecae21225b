"""并单: a repeat demand merged into the original counts once, as 重复件, in every figure; it leaves
the open and overdue lists and the sweep; 取消并单 gives it back; only supervisors may do either."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveRecord
from bureau import clock
from opinions.models import Demand, DemandKind, NearDuplicate
from opinions.selectors.figures import office_demand_figures
from opinions.services import demands as s
from opinions.services.demand_sweep import demands_sweep_deadlines
from reports.annual.figures import demand_section
from tests.opinions.factories import DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = (datetime(2026, 1, 1, tzinfo=SHANGHAI), datetime(2027, 1, 1, tzinfo=SHANGHAI))
pytestmark = pytest.mark.usefixtures("travel")  # now: 2026-03-02 09:00

NOISE = "城东路夜间施工噪音扰民严重，晚上十一点以后还在打桩，请有关部门管一管"
NOISE_TRADITIONAL = "城東路夜間施工噪音擾民嚴重！！晚上十一點以後還在打樁……請有關部門管一管。"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 2, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def year(db):
    """February 2026, six demands (each due 24 hours after receipt):
    D1 replied on time; D2 replied on time and completed; D3 replied 2 hours late;
    D4, D5, D6 never answered (overdue now, 2 March)."""
    d1 = DemandFactory(received_at=at(2), state=Demand.State.REPLIED, first_replied_at=at(2, 12), replied_at=at(2, 12))
    d2 = DemandFactory(
        received_at=at(3),
        state=Demand.State.COMPLETED,
        first_replied_at=at(3, 11),
        replied_at=at(3, 11),
        completed_at=at(3, 15),
    )
    d3 = DemandFactory(received_at=at(4), state=Demand.State.REPLIED, first_replied_at=at(5, 12), replied_at=at(5, 12))
    d4, d5, d6 = (DemandFactory(received_at=at(day)) for day in (5, 6, 7))
    return {"D1": d1, "D2": d2, "D3": d3, "D4": d4, "D5": d5, "D6": d6}


def counts() -> tuple[int, ...]:
    total, _rows = office_demand_figures(start=YEAR[0], end=YEAR[1])
    return (
        total.received,
        total.replied,
        total.replied_on_time,
        total.replied_late,
        total.completed,
        total.overdue,
        total.merged,
    )


def test_merged_repeats_count_once_as_duplicates(year, cast):
    supervisor = cast["supervisor"].user
    assert counts() == (6, 3, 2, 1, 1, 3, 0)
    s.demand_merge(demand=year["D5"], actor=supervisor, into=year["D4"])
    s.demand_merge(demand=year["D6"], actor=supervisor, into=year["D1"])
    # 6 demands of which 2 merged: received 4; replied 3 (D1 D2 D3), on time 2, late 1; overdue 1 (D4).
    assert counts() == (4, 3, 2, 1, 1, 1, 2)
    total, _rows = office_demand_figures(start=YEAR[0], end=YEAR[1])
    assert (total.reply_rate, total.on_time_rate, total.completion_rate) == (
        Decimal("75.0"),
        Decimal("50.0"),
        Decimal("25.0"),
    )
    summary = demand_section(year=2026, now=clock.now())["total"]
    assert (summary["received"], summary["replied"], summary["replied_on_time"], summary["merged"]) == (4, 3, 2, 2)
    # Off the open and overdue lists, and out of the sweep.
    assert set(Demand.objects.open()) == {year["D4"]}
    assert set(Demand.objects.overdue(at=clock.now())) == {year["D4"]}
    assert set(Demand.objects.merged()) == {year["D5"], year["D6"]}
    assert Demand.objects.counted().count() == 4
    assert demands_sweep_deadlines().overdue == 1  # D4 only


def test_undo_gives_the_repeat_back(year, cast):
    supervisor = cast["supervisor"].user
    s.demand_merge(demand=year["D5"], actor=supervisor, into=year["D4"])
    s.demand_merge(demand=year["D6"], actor=supervisor, into=year["D1"])
    s.demand_unmerge(demand=year["D6"], actor=supervisor)
    d6 = Demand.objects.get(pk=year["D6"].pk)
    assert (d6.state, d6.duplicate_of_id, d6.merged_at, d6.state_before_merge) == ("received", None, None, "")
    # Received 5; overdue 2 (D4, D6); merged 1 (D5).
    assert counts() == (5, 3, 2, 1, 1, 2, 1)
    actions = ArchiveRecord.objects.filter(target_type="opinions.demand", target_id=str(d6.pk)).values_list(
        "action", flat=True
    )
    assert list(actions.order_by("pk"))[-2:] == ["opinions.demand.merged", "opinions.demand.unmerged"]


def test_only_supervisors_merge_or_undo(year, cast):
    with pytest.raises(PermissionDenied):
        s.demand_merge(demand=year["D5"], actor=cast["staff"].user, into=year["D4"])
    s.demand_merge(demand=year["D5"], actor=cast["supervisor"].user, into=year["D4"])
    with pytest.raises(PermissionDenied):
        s.demand_unmerge(demand=year["D5"], actor=cast["staff"].user)


# --- The pages --------------------------------------------------------------------------------


@pytest.fixture
def pair(cast, channel_factory):
    """The same complaint by the hotline, then (an hour later) in the mailbox, in traditional script."""
    hotline, mailbox = channel_factory.create_batch(2)
    supervisor = cast["supervisor"].user
    original = s.demand_create(
        actor=supervisor, kind=DemandKind.COMPLAINT, channel=hotline, subject="打桩扰民", content=NOISE
    )
    repeat = s.demand_create(
        actor=supervisor,
        kind=DemandKind.COMPLAINT,
        channel=mailbox,
        subject="打樁擾民",
        content=NOISE_TRADITIONAL,
        received_at=clock.now(),
        now=clock.now() + timedelta(hours=1),
    )
    return original, repeat


def test_the_demand_page_suggests_the_merge_and_one_click_does_it(pair, client_as):
    original, repeat = pair
    similarity = NearDuplicate.objects.get(demand=repeat, similar_demand=original).similarity
    assert similarity == 100  # 打桩扰民 and 打樁擾民 fold the same, and so do the two texts
    client = client_as("supervisor")
    page = client.get(reverse("opinions:demand-detail", args=[repeat.pk])).content.decode()
    assert f"与诉求 {original.number} 相似 100%" in page  # the pages speak Chinese
    assert f"并单：本诉求作为重复件并入 {original.number}" in page
    page = client.get(reverse("opinions:demand-detail", args=[original.pk])).content.decode()
    assert f"并单：{repeat.number} 作为重复件并入本诉求" in page
    response = client.post(reverse("opinions:demand-action", args=[repeat.pk, "merge"]), {"into": original.pk})
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.state, repeat.duplicate_of_id) == (Demand.State.MERGED, original.pk)
    page = client.get(reverse("opinions:demand-detail", args=[repeat.pk])).content.decode()
    assert 'data-testid="duplicate-of"' in page
    assert "action-unmerge" in page
    response = client.post(reverse("opinions:demand-action", args=[repeat.pk, "unmerge"]))
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.state, repeat.duplicate_of_id) == (Demand.State.RECEIVED, None)


def test_staff_may_not_merge_or_undo(pair, client_as, cast):
    original, repeat = pair
    client = client_as("staff")
    url = reverse("opinions:demand-action", args=[repeat.pk, "merge"])
    assert client.post(url, {"into": original.pk}).status_code in (403, 404)
    s.demand_merge(demand=repeat, actor=cast["supervisor"].user, into=original)
    assert client.post(reverse("opinions:demand-action", args=[repeat.pk, "unmerge"])).status_code in (403, 404)
    repeat.refresh_from_db()
    assert repeat.state == Demand.State.MERGED


def test_a_reader_who_may_not_supervise_gets_403(pair, django_user_model):
    """A login that sees every demand but may not supervise gets a 403, not the merge."""
    original, repeat = pair
    viewer = django_user_model.objects.create_user("viewer")
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_all_demands", "handle_demand"], content_type__app_label="opinions"
        )
    )
    client = Client()
    client.force_login(viewer)
    response = client.post(reverse("opinions:demand-action", args=[repeat.pk, "merge"]), {"into": original.pk})
    assert response.status_code == 403
    repeat.refresh_from_db()
    assert repeat.state == Demand.State.RECEIVED


def test_the_similar_panel_keeps_the_page_queries_constant(cast, client_as, channel_factory):
    supervisor = cast["supervisor"].user
    channels = channel_factory.create_batch(6)

    def enter(n: int) -> Demand:
        return s.demand_create(
            actor=supervisor, kind=DemandKind.COMPLAINT, channel=channels[n], subject="打桩扰民", content=NOISE
        )

    first = enter(0)
    enter(1)
    client = client_as("supervisor")
    url = reverse("opinions:demand-detail", args=[first.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 6):
        enter(n)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count('data-testid="similar-row"') == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_entry_check_returns_the_top_matches(pair, client_as):
    original, repeat = pair
    url = reverse("opinions:demand-similar")
    client = client_as("supervisor")
    data = client.get(url, {"subject": "打桩扰民", "content": NOISE}).json()
    assert [(m["number"], m["similarity"]) for m in data["matches"]] == [(original.number, 100), (repeat.number, 100)]
    assert data["matches"][0]["text"] == f"与诉求 {original.number} 相似 100%"
    assert client.get(url, {"subject": "路灯", "content": "不亮"}).json() == {"matches": []}
    assert client_as("outsider").get(url, {"content": NOISE}).status_code == 403


def test_the_entry_form_still_submits_without_the_check(cast, client_as, channel_factory):
    response = client_as("supervisor").get(reverse("opinions:demand-entry"))
    page = response.content.decode()
    assert 'data-similar-url="/' in page
    assert "js/similar.js" in page
    assert 'method="post"' in page


def test_the_dashboard_shows_the_repeats_and_counts_them_once(year, cast, client_as):
    supervisor = cast["supervisor"].user
    s.demand_merge(demand=year["D5"], actor=supervisor, into=year["D4"])
    s.demand_merge(demand=year["D6"], actor=supervisor, into=year["D1"])
    html = client_as("supervisor").get(reverse("dashboard:dashboard"), {"period": "year"}).content.decode()

    def card(key: str) -> str:
        match = re.search(rf'data-testid="card-{key}".*?class="figure-value"[^>]*>([^<]+)<', html, re.S)
        assert match, key
        return match.group(1).strip()

    assert (card("received"), card("replied"), card("replied_on_time"), card("merged")) == ("4", "3", "2", "2")
