"""Demand pages: permissions, visibility shared by list/detail/export, actions, constant queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import clock
from bureau.search import search_fill
from opinions.models import Demand, DemandKind, Post
from tests.factories import SectionFactory
from tests.opinions.factories import DemandFactory

pytestmark = pytest.mark.usefixtures("travel")


def test_list_queries_do_not_grow(client_as, cast):
    client, url = client_as("supervisor"), reverse("opinions:demand-list")
    DemandFactory.create_batch(10, handler=cast["staff"], state=Demand.State.ASSIGNED)
    client.get(url)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    DemandFactory.create_batch(190, received_at=clock.now() - timedelta(days=2))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url + "?overdue=true&kind=complaint")
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert response.content.decode().count('data-testid="overdue"') == 50


def test_home_panel_queries_do_not_grow(client_as, cast):
    client = client_as("staff")
    section = SectionFactory(owner=cast["staff"])  # owning none, the section lists skip their queries
    DemandFactory.create_batch(5, handler=cast["staff"], state=Demand.State.ASSIGNED)
    DemandFactory(section=section)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/")
    assert 'data-testid="demands-panel"' in response.content.decode()
    DemandFactory.create_batch(60, handler=cast["staff"], state=Demand.State.ASSIGNED)
    DemandFactory.create_batch(20, section=section)
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large) == len(small)


def test_staff_sees_own_sections_and_assignments_only(client_as, cast):
    mine = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, subject="我的诉求")
    section = DemandFactory(section=SectionFactory(owner=cast["staff"]), subject="本版块诉求")
    other = DemandFactory(subject="别人的诉求")
    client = client_as("staff")
    page = client.get(reverse("opinions:demand-list")).content.decode()
    assert "我的诉求" in page
    assert "本版块诉求" in page
    assert "别人的诉求" not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(section.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("opinions:demand-print", args=[other.pk])).status_code == 404
    exported = client.get(reverse("opinions:demand-export", args=["csv"])).content.decode("utf-8-sig")
    assert "别人的诉求" not in exported
    assert "我的诉求" in exported


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("admin", 403), ("leader", 200), ("director", 200)])
def test_list_permissions(client_as, role, status):
    assert client_as(role).get(reverse("opinions:demand-list")).status_code == status


def test_anonymous_goes_to_login(client, db):
    demand = DemandFactory()
    response = client.get(demand.get_absolute_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_export_neutralises_formulas(client_as):
    DemandFactory(subject="=HYPERLINK(1)")
    response = client_as("supervisor").get(reverse("opinions:demand-export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "'=HYPERLINK(1)"
    xlsx = client_as("supervisor").get(reverse("opinions:demand-export", args=["xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith("attachment")


def test_claim_reply_complete_through_the_pages(client_as, cast):
    demand = DemandFactory(section=SectionFactory(owner=cast["staff"]))
    client = client_as("staff")

    def act(action, **data):
        return client.post(reverse("opinions:demand-action", args=[demand.pk, action]), data)

    assert act("claim").status_code == 302
    assert act("reply", reply_text="已安排维修", notes="").status_code == 302
    # A double-clicked submit: the second is refused, the page keeps what was typed.
    again = act("reply", reply_text="第二次提交的答复", notes="")
    assert again.status_code == 200
    assert 'data-testid="refused"' in again.content.decode()
    assert "第二次提交的答复" in again.content.decode()
    assert act("complete", resolution="已修复", measures="联系供电所").status_code == 302
    demand.refresh_from_db()
    assert demand.state == Demand.State.COMPLETED
    assert demand.reply_text == "已安排维修"
    detail = client.get(demand.get_absolute_url()).content.decode()
    assert "Completed" in detail or "办结" in detail
    printed = client.get(reverse("opinions:demand-print", args=[demand.pk])).content.decode()
    assert "已安排维修" in printed
    assert "已修复" in printed


def test_leader_cannot_reply_through_the_page(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    client = client_as("leader")
    assert 'data-testid="action-reply"' not in client.get(demand.get_absolute_url()).content.decode()
    response = client.post(reverse("opinions:demand-action", args=[demand.pk, "reply"]), {"reply_text": "领导答复"})
    assert response.status_code == 403  # not the handler: the service's PermissionDenied, through Django
    demand.refresh_from_db()
    assert demand.state == Demand.State.ASSIGNED


def test_create_from_post(client_as, post_factory):
    post = post_factory()
    response = client_as("staff").post(reverse("opinions:demand-from-post", args=[post.pk]), {"kind": "complaint"})
    demand = Demand.objects.get(post=post)
    assert response["Location"] == demand.get_absolute_url()
    post.refresh_from_db()
    assert post.status == Post.Status.FOLLOWED_UP
    page = client_as("staff").get(post.get_absolute_url()).content.decode()
    assert demand.subject[:20] in page


def test_enter_a_demand(client_as, channel_factory):
    channel = channel_factory()
    response = client_as("staff").post(
        reverse("opinions:demand-entry"),
        {
            "kind": DemandKind.CONSULTATION,
            "channel": channel.pk,
            "subject": "社保咨询",
            "content": "如何补缴",
            "level": "III",
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get(subject="社保咨询")
    assert demand.due_at == clock.now() + timedelta(hours=24)


def test_faq_ranks_hot_issues(client_as, cast):
    from opinions.models import FaqEntry

    cold = search_fill(
        FaqEntry(question="冷门问题", answer="答", created_at=clock.now(), created_by=cast["admin"].user)
    )
    hot = search_fill(FaqEntry(question="热门问题", answer="答", created_at=clock.now(), created_by=cast["admin"].user))
    cold.save()
    hot.save()
    DemandFactory.create_batch(3, kind=DemandKind.CONSULTATION, faq_entry=hot)
    DemandFactory(kind=DemandKind.CONSULTATION, faq_entry=cold)
    page = client_as("staff").get(reverse("opinions:demand-faq")).content.decode()
    assert page.index("热门问题") < page.index("冷门问题")
    searched = client_as("staff").get(reverse("opinions:demand-faq") + "?q=冷门").content.decode()
    assert "热门问题" not in searched
    assert "冷门问题" in searched


def test_admin_sets_a_reply_window_with_an_archive_record(client_as):
    from archive.models import ArchiveRecord
    from opinions.models import ReplyWindow

    client = client_as("admin")
    response = client.post(
        reverse("admin:opinions_replywindow_add"),
        {"kind": "consultation", "amount": 3, "unit": "working_days", "needs_review": ""},
    )
    assert response.status_code == 302
    assert ReplyWindow.objects.get(kind="consultation").unit == "working_days"
    assert ArchiveRecord.objects.filter(action="opinions.replywindow.created").count() == 1
    demand = DemandFactory()
    assert client.get(reverse("admin:opinions_demand_change", args=[demand.pk])).status_code == 200
    assert client.post(reverse("admin:opinions_demand_change", args=[demand.pk]), {}).status_code == 403


def test_supervisor_home_shows_the_office_overdue_count(client_as):
    DemandFactory.create_batch(3, received_at=clock.now() - timedelta(days=2))
    DemandFactory()
    page = client_as("supervisor").get("/").content.decode()
    assert 'data-testid="overdue-count"' in page
    assert 'data-testid="overdue-count"' not in client_as("staff").get("/").content.decode()


def test_citizen_contact_only_for_those_handling(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, citizen_contact="13800001111")
    assert "13800001111" in client_as("staff").get(demand.get_absolute_url()).content.decode()
    assert "13800001111" in client_as("supervisor").get(demand.get_absolute_url()).content.decode()
    assert "13800001111" not in client_as("leader").get(demand.get_absolute_url()).content.decode()
    printed = client_as("leader").get(reverse("opinions:demand-print", args=[demand.pk])).content.decode()
    assert "13800001111" not in printed


def test_every_action_names_its_service_and_an_unknown_one_is_404(client_as, cast):
    from opinions.views.demands import DEMAND_ACTIONS

    assert all(view.service is not None for view in DEMAND_ACTIONS.values())
    demand = DemandFactory(section=SectionFactory(owner=cast["staff"]))
    assert client_as("staff").post(reverse("opinions:demand-action", args=[demand.pk, "explode"])).status_code == 404


def test_the_page_offers_what_the_policy_allows(client_as, cast):
    from opinions.policies import demand_actions

    demand = DemandFactory(section=SectionFactory(owner=cast["staff"]))
    for role in ("staff", "supervisor", "leader"):
        page = client_as(role).get(demand.get_absolute_url()).content.decode()
        allowed = demand_actions(cast[role].user, demand)
        for name, shown in allowed.items():
            if name == "faq_link":
                continue  # also needs a policy entry to link to
            assert (f'data-testid="action-{name.replace("_", "-")}"' in page) == shown, (role, name)


def test_supervisor_decides_an_extension_through_the_page(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    until = demand.due_at + timedelta(days=2)
    Demand.objects.filter(pk=demand.pk).update(extension_until=until, extension_reason="需现场核查")
    response = client_as("supervisor").post(
        reverse("opinions:demand-action", args=[demand.pk, "decide-extension"]), {"accept": "1", "note": "同意"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.due_at == until
    assert demand.extension_until is None


def test_merge_into_an_unknown_number_keeps_the_form(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    response = client_as("supervisor").post(
        reverse("opinions:demand-action", args=[demand.pk, "merge"]), {"into": 999999}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="refused"' in page
    assert "There is no demand with that number." in page
    assert 'value="999999"' in page
    demand.refresh_from_db()
    assert demand.state == Demand.State.ASSIGNED
