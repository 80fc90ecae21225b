"""Keyword lists edited in the admin (pasted lines and a text file), channel settings, the load generator."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import ArchiveRecord
from bureau import clock
from demo.load import opinions as load
from opinions.models import Channel, DemandRound, NearDuplicate, Post, ScreeningCategory
from opinions.services.screening import screen_text
from tests.factories import SectionFactory


def test_admin_pastes_lines_and_imports_a_text_file(client_as):
    guns = ScreeningCategory.objects.get(code="guns")
    url = reverse("admin:opinions_screeningcategory_change", args=[guns.pk])
    upload = SimpleUploadedFile("words.txt", "钢珠枪\n弩箭\n".encode("gb18030"))
    response = client_as("admin").post(
        url,
        {
            "code": guns.code,
            "name": guns.name,
            "purpose": guns.purpose,
            "is_active": "on",
            "sort_order": guns.sort_order,
            "keywords": guns.keywords,
            "added_keywords": "麻醉枪\n电击枪\n麻醉枪",
            "keyword_file": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    guns.refresh_from_db()
    assert {"钢珠枪", "弩箭", "麻醉枪", "电击枪"} <= set(guns.keyword_list)
    assert guns.keyword_list.count("麻醉枪") == 1
    record = ArchiveRecord.objects.get(action="opinions.screeningcategory.changed", target_id=str(guns.pk))
    assert set(record.after["added"]) == {"钢珠枪", "弩箭", "麻醉枪", "电击枪"}
    assert screen_text(title="出售弩 箭", body="").is_prohibited


def test_admin_refuses_a_binary_keyword_file(client_as):
    guns = ScreeningCategory.objects.get(code="guns")
    url = reverse("admin:opinions_screeningcategory_change", args=[guns.pk])
    upload = SimpleUploadedFile("words.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    response = client_as("admin").post(
        url,
        {
            "code": guns.code,
            "name": guns.name,
            "purpose": guns.purpose,
            "sort_order": 1,
            "keywords": "x",
            "keyword_file": upload,
        },
    )
    assert response.status_code == 200
    guns.refresh_from_db()
    assert guns.keywords != "x"


def test_admin_sets_a_poll_interval_between_1_and_60(client_as):
    section = SectionFactory()
    client = client_as("admin")
    url = reverse("admin:opinions_channel_add")
    data = {
        "name": "县论坛",
        "kind": "own_forum",
        "section": section.pk,
        "is_active": "on",
        "feed_url": "https://bbs.example.cn/rss",
        "sort_order": 1,
    }
    assert client.post(url, {**data, "poll_interval_minutes": 61}).status_code == 200
    assert client.post(url, {**data, "poll_interval_minutes": 3}).status_code == 302
    channel = Channel.objects.get(name="县论坛")
    assert channel.poll_interval_minutes == 3
    assert ArchiveRecord.objects.filter(action="opinions.channel.created", target_id=str(channel.pk)).exists()


@pytest.mark.parametrize("model", ["demandround", "demandcallback", "demandhandback"])
def test_admin_shows_the_rounds_read_only(client_as, model):
    client = client_as("admin")
    assert client.get(reverse(f"admin:opinions_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:opinions_{model}_add")).status_code == 403


def test_staff_cannot_open_the_admin(client_as):
    assert client_as("staff").get(reverse("admin:opinions_screeningcategory_changelist")).status_code == 302


def test_load_generates_posts_and_keywords(db, travel):
    SectionFactory.create_batch(2)
    out = io.StringIO()
    counts = load.generate(
        options={"opinions_posts": 1200, "opinions_channels": 3, "opinions_keywords": 600}, stdout=out
    )
    # The planted near-duplicates' rate is tests/test_load_near_duplicates.py's subject; here the
    # reported rows are the rows written.
    rows = counts.pop("opinions near-duplicate rows (pairs both ways)")
    assert rows == NearDuplicate.objects.count() > 0
    assert counts == {
        "opinions channels": 3,
        "opinions keywords": 600,
        "opinions posts": 1200,
        "opinions demands": 0,
        "opinions demand near-duplicate rows (pairs both ways)": 0,
    }
    assert Post.objects.filter(external_id__startswith="load-").count() == 1200
    words = sum(c.keyword_count for c in ScreeningCategory.objects.filter(code__startswith="load-"))
    assert words == 600
    load.generate(options={"opinions_posts": 10, "opinions_channels": 3, "opinions_keywords": 600}, stdout=out)
    assert Post.objects.filter(external_id__startswith="load-").count() == 1210


def test_load_generates_demands_some_open_some_overdue(db, travel):
    from opinions.models import Demand
    from tests.factories import PersonFactory

    SectionFactory.create_batch(2)
    PersonFactory.create_batch(2)
    counts = load.generate(
        options={"opinions_posts": 0, "opinions_channels": 2, "opinions_keywords": 6, "opinions_demands": 500},
        stdout=io.StringIO(),
    )
    assert counts["opinions demands"] == 500
    assert Demand.objects.count() == 500
    assert Demand.objects.open().count() == 50
    assert Demand.objects.open().filter(due_at__lt=clock.now()).exists()
    assert DemandRound.objects.filter(number=0).count() == 500  # each generated row gets its first round
