"""The one text search (bureau.search): folded words of one, two and four characters over posts,
demands and the archive, the columns kept up to date, the indexes used on PostgreSQL, and the
unindexed fallback on SQLite."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from archive.models import ArchiveRecord
from archive.selectors import archive_record_list
from archive.services import archive_record
from bureau import clock, search
from bureau.search import search_document, search_filter, search_probe
from opinions.intake.items import IncomingItem
from opinions.models import Demand, DemandKind, Post
from opinions.selectors.posts import post_list
from opinions.services import demands as demand_services
from opinions.services.intake import posts_ingest
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory

ROOT = Path(__file__).resolve().parents[2]


def _titles(queryset) -> list[str]:
    return sorted(row.title for row in queryset)


# --- The folded document ---------------------------------------------------------------------


def test_the_document_is_folded_and_holds_every_character_and_bigram():
    text, grams = search_document("賭場 噪-音", "", "ＡＢ")
    assert text == "赌场噪音\nab"  # traditional → simplified, spaces and punctuation gone, full-width → ab
    assert grams == sorted({"赌", "场", "噪", "音", "赌场", "场噪", "噪音", "a", "b", "ab"})


def test_no_bigram_spans_two_fields():
    _text, grams = search_document("路灯", "不亮")
    assert "灯不" not in grams


# --- Posts: one, two and four characters, present and absent ----------------------------------


@pytest.fixture
def posts(db):
    channel = ChannelFactory()
    PostFactory(channel=channel, title="小区噪音扰民严重", body="夜里施工", author="张三")
    PostFactory(channel=channel, title="路灯不亮", body="噪-音 擾民！也有", author="李四")  # punctuation, traditional
    PostFactory(channel=channel, title="停车难", body="车位太少", author="王五")
    return Post.objects.order_by("-found_at", "-id")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("噪", ["小区噪音扰民严重", "路灯不亮"]),  # one character
        ("车", ["停车难"]),
        ("鱼", []),  # one character, absent
        ("噪音", ["小区噪音扰民严重", "路灯不亮"]),  # two characters (one of them written 噪-音)
        ("车位", ["停车难"]),
        ("龙舟", []),  # two characters, absent
        ("噪音扰民", ["小区噪音扰民严重", "路灯不亮"]),  # four characters, the second written 噪-音 擾民
        ("噪音擾民", ["小区噪音扰民严重", "路灯不亮"]),  # a traditional query finds simplified text
        ("量子纠缠", []),  # four characters, absent
        ("張三", ["小区噪音扰民严重"]),  # the author, in traditional form
        ("  噪，音  ", ["小区噪音扰民严重", "路灯不亮"]),  # the query's punctuation is folded away too
        ("灯夜", []),  # no match across two posts, nor across title and text
        ("亮噪", []),  # the end of one field and the start of the next are not a bigram
    ],
)
def test_posts_are_found_by_folded_words(posts, word, expected):
    assert _titles(search_filter(posts, word)) == expected


def test_an_empty_or_punctuation_only_word_filters_nothing(posts):
    assert search_filter(posts, "").count() == 3
    assert search_filter(posts, " ！？ ").count() == 3


def test_a_common_word_is_searched_along_the_list_order_with_the_same_rows(posts, monkeypatch):
    # Above the id cap the list filters by the word's own condition: the same rows, in the same order.
    monkeypatch.setattr(search, "ID_CAP", 1)
    assert [post.title for post in search_filter(posts, "噪音")] == ["路灯不亮", "小区噪音扰民严重"]
    assert _titles(search_filter(posts, "噪音扰民")) == ["小区噪音扰民严重", "路灯不亮"]


def test_the_monitor_keeps_its_other_filters_and_its_order(cast, posts):
    channel = posts.first().channel
    other = PostFactory(title="噪音另一渠道")
    _form, listed = post_list(user=cast["staff"].user, filters={"q": "噪音", "channel": str(channel.pk)})
    assert [post.title for post in listed] == ["路灯不亮", "小区噪音扰民严重"]  # newest first
    _form, everywhere = post_list(user=cast["staff"].user, filters={"q": "噪音"})
    assert other in list(everywhere)


def test_an_edited_post_is_found_by_its_new_words_only(cast):
    channel = ChannelFactory()
    item = IncomingItem(title="旧标题", body="井盖缺失", external_id="x1")
    posts_ingest(channel=channel, items=[item])
    posts_ingest(channel=channel, items=[IncomingItem(title="新标题", body="垃圾清运", external_id="x1")])
    everything = Post.objects.all()
    assert _titles(search_filter(everything, "垃圾清运")) == ["新标题"]
    assert _titles(search_filter(everything, "井盖")) == []


# --- Demands: title, text, number and reply ----------------------------------------------------


def test_demands_are_found_by_title_text_number_and_reply(cast):
    channel = ChannelFactory(section__owner=cast["staff"])
    demand = demand_services.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=channel,
        subject="路燈不亮",  # traditional 燈
        content="小区门口，连续一周",
    )
    DemandFactory(subject="停车难", content="车位太少")
    demands = Demand.objects.all()
    assert [d.pk for d in search_filter(demands, "路灯")] == [demand.pk]
    assert [d.pk for d in search_filter(demands, "门口连续")] == [demand.pk]  # across the comma
    assert [d.pk for d in search_filter(demands, demand.number)] == [demand.pk]  # "2026-0001"
    assert list(search_filter(demands, "供电")) == []

    demand_services.demand_claim(demand=demand, actor=cast["staff"].user)
    demand_services.demand_reply(demand=demand, actor=cast["staff"].user, reply_text="已联系供電所维修")

    assert [d.pk for d in search_filter(demands, "供电")] == [demand.pk]  # the reply is searched
    assert [d.pk for d in search_filter(demands, "供电所维修")] == [demand.pk]
    demand.refresh_from_db()
    assert "已联系供电所维修" in demand.search_text.split("\n")


def test_the_demand_list_searches_through_its_form(client_as):
    DemandFactory(subject="噪音扰民", content="夜里施工")
    DemandFactory(subject="停车难", content="车位太少")
    client = client_as("supervisor")
    page = client.get(reverse("opinions:demand-list"), {"q": "噪音"}).content.decode()
    assert "噪音扰民" in page
    assert "停车难" not in page
    response = client.get(reverse("opinions:demand-list"), {"q": "噪音", "received_from": "不是日期"})
    assert response.status_code == 200  # a malformed value is a form error, not a failure
    assert response.context["filter"].errors


# --- The archive --------------------------------------------------------------------------------


def test_archive_records_are_found_by_summary_object_and_name(cast):
    archive_record(action="opinions.post.taken_down", summary="删除涉賭帖子")
    archive_record(action="bureau.user.login_failed", actor_name="王小明")
    archive_record(action="opinions.post.viewed", summary="其他")
    user = cast["supervisor"].user
    assert [r.summary for r in archive_record_list(user=user, filters={"q": "涉赌"})] == ["删除涉賭帖子"]
    assert [r.actor_name for r in archive_record_list(user=user, filters={"q": "小明"})] == ["王小明"]
    assert [r.summary for r in archive_record_list(user=user, filters={"q": "賭"})] == ["删除涉賭帖子"]
    assert list(archive_record_list(user=user, filters={"q": "量子纠缠"})) == []


def test_the_archive_page_searches_and_pages(client_as):
    for n in range(3):
        archive_record(action="opinions.post.taken_down", summary=f"删除涉赌帖子{n}")
    page = client_as("supervisor").get(reverse("archive:record-list"), {"q": "涉赌帖子"})
    assert page.status_code == 200
    assert len(page.context["records"]) == 3
    assert not page.context["page"].has_next


def test_the_archive_chain_still_verifies_with_search_columns(cast):
    from archive.services import archive_verify  # why: read here, beside the records it checks

    archive_record(action="a.b.c", summary="删除涉赌帖子")
    assert archive_verify().ok
    assert ArchiveRecord.objects.get().search_grams[:1] == ["删"]


# --- PostgreSQL: the indexes exist and serve the search -----------------------------------------


def _plan(queryset) -> str:
    return queryset.explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "trgm", "grams"),
    [
        (Post, "post_search_trgm_idx", "post_search_grams_idx"),
        (Demand, "demand_search_trgm_idx", "demand_search_grams_idx"),
        (ArchiveRecord, "archive_search_trgm_idx", "archive_search_grams_idx"),
    ],
)
def test_the_search_index_serves_a_four_and_a_two_character_word(db, model, trgm, grams):
    # A test table holds a handful of rows, where a sequential scan is cheapest whatever indexes
    # exist: the planner is told not to scan sequentially (SET LOCAL, this test's transaction only),
    # so what is shown is which index it uses for the search, not whether one pays at this size.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    four = _plan(search_probe(model.objects.all(), "噪音扰民"))
    two = _plan(search_probe(model.objects.all(), "噪音"))
    assert trgm in four, four
    assert grams in two, two


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's")
def test_the_search_indexes_are_gin_and_trigram(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s ORDER BY indexname", ["%search%"]
        )
        definitions = dict(cursor.fetchall())
    # Nine searchable tables: posts, demands, archive records, FAQ entries, publicity posts, media
    # coverage, disclosure items, county tasks, events; two indexes each.
    assert len(definitions) == 18, sorted(definitions)
    for name, definition in definitions.items():
        column = "search_text gin_trgm_ops" if name.endswith("_trgm_idx") else "search_grams"
        assert f"USING gin ({column})" in definition, definition


# --- SQLite: the same function, unindexed -------------------------------------------------------

# Migrated from nothing in the same process (the embedded default's first start), without the
# system checks other tests run: one Django start-up instead of two.
SQLITE_SCRIPT = """
from django.core.management import call_command
call_command("migrate", verbosity=0, skip_checks=True)
from archive.models import ArchiveRecord
from archive.services import archive_record
from bureau.search import search_filter
archive_record(action="a.b.c", summary="删除涉賭帖子，噪-音扰民")
archive_record(action="a.b.c", summary="停车难")
records = ArchiveRecord.objects.all()
for word in ["賭", "涉赌", "噪音扰民", "噪音擾民", "龙舟", "停车"]:
    print(word, len(search_filter(records, word)))
print("sql", str(search_filter(records, "涉赌").query).count("LIKE"))
print("grams", ArchiveRecord.objects.order_by("pk").first().search_grams[:2])
"""


def test_sqlite_searches_search_text_unindexed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SQLITE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-8:] == [
        "賭 1",
        "涉赌 1",
        "噪音扰民 1",
        "噪音擾民 1",
        "龙舟 0",
        "停车 1",
        "sql 1",
        "grams ['删', '删除']",
    ]


# --- The other text boxes: publicity, the disclosure ledger, county tasks, the FAQ --------------


def test_a_publicity_draft_is_found_by_its_edited_words(cast):
    from publicity.models import PublicityPost
    from publicity.services import post_create, post_update
    from tests.publicity.factories import PlatformFactory

    staff = cast["staff"]
    post = post_create(
        actor=staff.user,
        title="我局開展送戲下鄉活動",  # traditional
        body="锡剧团演出",
        department=staff.department,
        platform=PlatformFactory(),
        planned_on=clock.today(),
    )
    posts = PublicityPost.objects.all()
    assert list(search_filter(posts, "送戏下乡")) == [post]
    assert list(search_filter(posts, "锡剧")) == [post]

    post_update(post=post, actor=staff.user, body="文艺汇演")

    assert list(search_filter(posts, "锡剧")) == []
    assert list(search_filter(posts, "汇演")) == [post]


def test_county_tasks_and_disclosure_items_are_found_through_their_lists(client_as):
    from tests.assignments.factories import CountyTaskFactory
    from tests.publicity.factories import DisclosureFactory

    CountyTaskFactory(title="關於網吧噪音的交辦", content="请核查")
    CountyTaskFactory(title="道路积水", content="请处置")
    DisclosureFactory(title="政府信息公开年报", document_number="县政发〔2026〕3号")
    tasks = client_as("supervisor").get(reverse("assignments:task-list"), {"q": "网吧噪音"}).content.decode()
    assert "關於網吧噪音的交辦" in tasks
    assert "道路积水" not in tasks
    ledger = client_as("supervisor").get(reverse("publicity:disclosure-list"), {"q": "2026〕3"}).content.decode()
    assert "政府信息公开年报" in ledger


def test_the_backfill_fills_rows_written_before_the_columns(db):
    from django.apps import apps

    from bureau.migration_helpers import search_backfill

    post = PostFactory(title="井蓋丢失", body="", author="")
    Post.objects.filter(pk=post.pk).update(search_text="", search_grams=[])  # as before migration 0020

    assert search_backfill(apps.get_model("opinions", "Post"), Post.SEARCH_FIELDS, batch_size=1) >= 1

    post.refresh_from_db()
    assert (post.search_text, post.search_grams) == (
        "井盖丢失",
        sorted({"井", "盖", "丢", "失", "井盖", "盖丢", "丢失"}),
    )
