"""Defects 1–6 of the closed loop (issue 12): each test failed before its fix (except where the
docstring says the house branch had already fixed it and the test now pins it)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau import clock
from bureau.models import Notification
from opinions.intake.tables import check_rows
from opinions.models import Demand, DemandKind, DemandPress
from opinions.services import demands as s
from publicity.forms import PublicityQuotaForm
from publicity.models import PublicityQuota
from publicity.services import quota_save
from tests.factories import SectionFactory
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 Shanghai


# 1. Deciding an extension through the real page -------------------------------------------------


@pytest.mark.parametrize(("decision", "moves"), [("1", True), ("0", False)])
def test_extension_decided_through_the_page_both_ways(client_as, cast, decision, moves):
    """Pinned: the house branch already maps the form's ``accept`` to the service's ``approve``."""
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    due = demand.due_at
    until = due + timedelta(days=2)
    s.demand_request_extension(demand=demand, actor=cast["staff"].user, until=until, reason="需现场核查")
    client = client_as("supervisor")
    page = client.get(demand.get_absolute_url()).content.decode()
    assert 'data-testid="action-decide-extension"' in page
    assert 'name="accept"' in page  # the form the page shows is the form the view reads
    response = client.post(
        reverse("opinions:demand-action", args=[demand.pk, "decide-extension"]), {"accept": decision, "note": "意见"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.due_at == (until if moves else due)
    assert demand.extension_until is None


# 2. Whoever registered a demand sees it ---------------------------------------------------------


def test_registrant_is_redirected_to_a_page_they_can_see(client_as, cast):
    hotline = ChannelFactory(name="12345热线", section=SectionFactory(owner=cast["supervisor"]))
    client = client_as("staff")  # staff owns neither the channel's section nor the case
    response = client.post(
        reverse("opinions:demand-entry"),
        {
            "kind": DemandKind.COMPLAINT,
            "channel": hotline.pk,
            "subject": "噪音扰民",
            "content": "夜间施工",
            "level": "III",
        },
    )
    demand = Demand.objects.get(subject="噪音扰民")
    assert response["Location"] == demand.get_absolute_url()
    page = client.get(response["Location"])
    assert page.status_code == 200  # was 404
    assert "噪音扰民" in client.get(reverse("opinions:demand-list")).content.decode()
    assert client_as("director").get(demand.get_absolute_url()).status_code == 200
    other = DemandFactory(channel=hotline, section=hotline.section, subject="别人录入的")
    assert client.get(other.get_absolute_url()).status_code == 404  # only what they registered


# 4. Replied demands stay in "my demands"; the list's order ---------------------------------------


def test_replied_and_completed_cases_stay_with_the_handler_until_called_back(client_as, cast):
    staff = cast["staff"]
    now = clock.now()
    DemandFactory(handler=staff, state=Demand.State.ASSIGNED, subject="待答复")
    DemandFactory(handler=staff, state=Demand.State.REPLIED, replied_at=now, subject="待办结")
    DemandFactory(handler=staff, state=Demand.State.COMPLETED, completed_at=now, subject="待回访")
    DemandFactory(
        handler=staff,
        state=Demand.State.COMPLETED,
        completed_at=now,
        called_back_at=now,
        satisfaction="satisfied",
        subject="已回访",
    )
    panel = client_as("staff").get("/").content.decode()
    for subject in ("待答复", "待办结", "待回访"):
        assert subject in panel, subject
    assert "已回访" not in panel


def test_default_order_open_first_by_deadline_then_newest(client_as, cast):
    now = clock.now()
    year_ago = now - timedelta(days=365)
    DemandFactory(state=Demand.State.COMPLETED, received_at=year_ago, completed_at=year_ago, subject="去年办结")
    DemandFactory(state=Demand.State.COMPLETED, received_at=now - timedelta(days=3), subject="上周办结")
    DemandFactory(received_at=now - timedelta(hours=1), subject="晚到期")  # due in 23 h
    DemandFactory(received_at=now - timedelta(hours=20), subject="早到期")  # due in 4 h
    page = client_as("supervisor").get(reverse("opinions:demand-list")).content.decode()
    positions = [page.index(subject) for subject in ("早到期", "晚到期", "上周办结", "去年办结")]
    assert positions == sorted(positions)


# 5. Pressing an unassigned demand; the page offers only what the rules allow ---------------------


def test_press_on_an_unassigned_demand_reaches_the_section_owner(cast):
    demand = DemandFactory(section=SectionFactory(owner=cast["staff"]))
    s.demand_press(demand=demand, actor=cast["supervisor"].user, note="请尽快签收")
    assert Notification.objects.filter(recipient=cast["staff"].user, kind="opinions.demand.pressed").count() == 1


def test_press_with_nobody_to_press_is_refused_with_a_reason(client_as, cast):
    demand = DemandFactory(section=None)
    client = client_as("supervisor")
    assert 'data-testid="action-press"' not in client.get(demand.get_absolute_url()).content.decode()
    response = client.post(reverse("opinions:demand-action", args=[demand.pk, "press"]), {"note": "快"})
    assert response.status_code == 200
    assert "无法催办：请先派单" in response.content.decode()  # the page speaks Chinese by default
    assert not DemandPress.objects.filter(demand=demand).exists()  # was: "pressed", nobody told


def test_completed_demand_offers_no_extension(client_as, cast):
    """Pinned: ``policies.WHEN['extension']`` already hid it; a forged POST is refused, not a 500."""
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.COMPLETED, completed_at=clock.now())
    client = client_as("staff")
    assert 'data-testid="action-extension"' not in client.get(demand.get_absolute_url()).content.decode()
    response = client.post(
        reverse("opinions:demand-action", args=[demand.pk, "extension"]),
        {"until": "2026-03-05T09:00", "reason": "再等等"},
    )
    assert response.status_code == 200
    assert "再等等" in response.content.decode()  # what was typed is kept


# 6. Dates have bounds ---------------------------------------------------------------------------


def test_demand_received_in_1999_is_refused_and_the_form_keeps_what_was_typed(client_as, cast):
    channel = ChannelFactory()
    response = client_as("supervisor").post(
        reverse("opinions:demand-entry"),
        {
            "kind": DemandKind.COMPLAINT,
            "channel": channel.pk,
            "subject": "很久以前",
            "content": "一九九九年的来电",
            "level": "III",
            "received_at": "1999-01-01T08:00",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1999-01-01 08:00 早于本办开始建档的日期（2015-01-01）" in page  # beside the field, in Chinese
    assert "一九九九年的来电" in page
    assert not Demand.objects.exists()
    assert not Notification.objects.exists()  # no escalation notices either


def test_demand_entered_by_hand_more_than_31_days_back_is_refused(cast):
    with pytest.raises(ValidationError, match="more than 31 days ago"):
        s.demand_create(
            actor=cast["staff"].user,
            kind=DemandKind.COMPLAINT,
            channel=ChannelFactory(),
            subject="太久",
            content="内容",
            received_at=clock.now() - timedelta(days=32),
        )


def test_post_dated_in_the_future_is_refused_and_kept(client_as):
    channel = ChannelFactory(name="县长信箱")
    response = client_as("staff").post(
        reverse("opinions:post-entry"),
        {"channel": channel.pk, "title": "未来的帖子", "body": "正文", "posted_at": "2026-03-03T09:00"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-03-03 09:00 晚于当前时间" in page
    assert "未来的帖子" in page


def test_import_row_dated_2030_is_a_bad_row(db):
    ChannelFactory(name="12345热线")
    preview = check_rows(
        [
            ["channel", "title", "body", "author", "link", "posted_at", "section"],
            ["12345热线", "今天的", "", "", "", "2026-03-02 08:00", ""],
            ["12345热线", "将来的", "", "", "", "2030-01-01 08:00", ""],
        ]
    )
    assert [row["title"] for row in preview.good] == ["今天的"]
    assert preview.bad == [(3, "2030-01-01 08:00 is in the future.")]


def test_quota_for_1999_is_refused_in_the_admin_form_and_the_service(cast):
    form = PublicityQuotaForm(data={"year": 1999, "minimum": 30})
    assert not form.is_valid()
    assert form.errors["year"] == ["The year 1999 is outside 2015–2027."]
    assert type(admin_site._registry[PublicityQuota].form) is type(PublicityQuotaForm)
    assert admin_site._registry[PublicityQuota].form is PublicityQuotaForm
    with pytest.raises(ValidationError):
        quota_save(quota=PublicityQuota(year=1999, minimum=30), actor=cast["admin"].user)
    assert quota_save(quota=PublicityQuota(year=2027, minimum=30), actor=cast["admin"].user).pk


def test_bounds_at_the_edges():
    from bureau.bounds import moment_problem  # noqa: PLC0415 - the one function under test

    now = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    assert moment_problem(datetime(2015, 1, 1, 0, 0, tzinfo=SHANGHAI), now=now) is None
    assert moment_problem(datetime(2014, 12, 31, 23, 59, tzinfo=SHANGHAI), now=now)
    assert moment_problem(now + timedelta(minutes=5), now=now) is None  # clocks a few minutes apart
    assert moment_problem(now + timedelta(minutes=5, seconds=1), now=now)
