from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import ResponsibilityArea
from tests.factories import PersonFactory, SectionFactory


def test_organisation_page_shows_chain_sections_spokespeople_and_phones(client_as, cast):
    spokesperson = PersonFactory(name="周发言", is_spokesperson=True, phone="13800000001")
    section = SectionFactory(name="民生诉求", owner=cast["staff"])
    ResponsibilityArea.objects.create(
        name="网络舆情宣传管理", overall=cast["director"], lead=cast["leader"], executor=cast["supervisor"]
    )
    page = client_as("staff").get(reverse("organisation")).content.decode()
    for text in ("网络舆情宣传管理", cast["director"].name, section.name, spokesperson.name, "13800000001"):
        assert text in page


def test_organisation_page_query_count_does_not_grow(client_as, cast):
    client = client_as("supervisor")
    SectionFactory.create_batch(3)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("organisation"))
    SectionFactory.create_batch(30)
    PersonFactory.create_batch(20, is_spokesperson=True)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("organisation"))
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_home_page_lists_my_sections_only(client_as, cast):
    mine = SectionFactory(name="工作动态", owner=cast["staff"])
    theirs = SectionFactory(name="通知公告", owner=cast["supervisor"])
    page = client_as("staff").get(reverse("home")).content.decode()
    assert mine.name in page
    assert theirs.name not in page


def test_home_page_warns_a_login_without_a_person(client_as):
    response = client_as("outsider").get(reverse("home"))
    assert response.status_code == 200
    assert response.context["person"] is None


def test_resources_page_lists_equipment_and_training(client_as, cast):
    from bureau.models import Equipment, TrainingRecord

    Equipment.objects.create(kind="camera", name="佳能相机", asset_number="CAM-1", holder=cast["staff"])
    training = TrainingRecord.objects.create(held_on="2026-03-01", topic="舆情培训", organiser="宣传部")
    training.attendees.add(cast["staff"])
    page = client_as("staff").get(reverse("resources")).content.decode()
    assert "CAM-1" in page
    assert "舆情培训" in page
