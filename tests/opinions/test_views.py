"""Pages: permissions, the service's effect, constant query counts."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from archive.models import ArchiveRecord
from opinions.models import Post, ScreeningCategory
from tests.factories import SectionFactory
from tests.opinions.factories import ChannelFactory, PostFactory

MONITOR = reverse("opinions:monitor")


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 200), ("supervisor", 200), ("leader", 200), ("director", 200), ("outsider", 403)]
)
def test_monitor_permissions(client_as, role, status):
    assert client_as(role).get(MONITOR).status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get(MONITOR)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def make_posts(count, *, channels, sections):
    for index in range(count):
        PostFactory(channel=channels[index % len(channels)], section=sections[index % len(sections)])


@pytest.mark.parametrize(
    "query",
    ["", "?status=new", "?q=标题&relevant=on", "?kind=own_forum&found_from=2026-03-01&found_to=2026-03-02", "?page=2"],
)
def test_monitor_query_count_does_not_grow(client_as, cast, travel, query):
    client = client_as("supervisor")
    sections = SectionFactory.create_batch(3)
    channels = [ChannelFactory(section=section) for section in sections]
    make_posts(10, channels=channels, sections=sections)
    with CaptureQueriesContext(connection) as small:
        assert client.get(MONITOR + query).status_code == 200
    make_posts(190, channels=channels, sections=sections)
    ChannelFactory.create_batch(3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(MONITOR + query)
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_monitor_filters_and_the_partial(client_as, post_factory, travel):
    flagged = post_factory(title="有人赌博", screening=Post.Screening.FLAGGED, is_relevant=True)
    plain = post_factory(title="图书馆开放时间")
    client = client_as("staff")
    body = client.get(MONITOR + "?screening=flagged").content.decode()
    assert flagged.title in body
    assert plain.title not in body
    partial = client.get(MONITOR + "?relevant=on&partial=1").content.decode()
    assert partial.lstrip().startswith('<div id="monitor-table"')
    assert flagged.title in partial
    assert plain.title not in partial


def test_every_monitor_filter_has_its_own_label_and_empty_choices_read_all(client_as):
    form = client_as("staff").get(MONITOR).context["filter"].form
    labels = [str(field.label) for field in form]
    assert len(labels) == len(set(labels)), labels
    assert "渠道类型" in labels
    assert "违禁类别" in labels
    selects = [field for field in form if hasattr(field.field, "choices")]
    assert selects
    for field in selects:
        first = list(field.field.choices)[0]
        assert str(first[1]) != "---------", field.name


def test_failing_channel_is_shown_on_the_monitor(client_as, channel_factory):
    channel_factory(name="失败的渠道", feed_url="http://127.0.0.1:9/x", consecutive_failures=3, last_error="HTTP 500")
    body = client_as("staff").get(MONITOR).content.decode()
    assert "失败的渠道" in body
    assert 'data-testid="failing-channels"' in body


def test_post_page_records_the_view_and_escapes_the_text(client_as, post_factory, cast):
    post = post_factory(
        title="<script>alert(1)</script>赌博",
        body="正文<b>加粗</b>",
        hits=[
            {
                "field": "title",
                "start": 25,
                "end": 27,
                "text": "赌博",
                "keyword": "赌博",
                "category": "gambling",
                "purpose": "prohibited",
                "category_id": 1,
            }
        ],
    )
    response = client_as("staff").get(post.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert "&lt;b&gt;加粗" in body
    assert '<mark class="hit-prohibited" title="赌博">赌博</mark>' in body
    assert ArchiveRecord.objects.filter(
        action="opinions.post.viewed", target_id=str(post.pk), actor=cast["staff"].user
    ).exists()
    post.refresh_from_db()
    assert post.status == Post.Status.READ


def test_the_history_folds_the_views_and_names_each_change(client_as, post_factory, cast, travel):
    post = post_factory(title="反映噪音扰民")
    client_as("staff").get(post.get_absolute_url())  # 09:00, the travel fixture's clock
    travel.shift(timedelta(minutes=30))
    client_as("supervisor").get(post.get_absolute_url())
    travel.shift(timedelta(minutes=45))
    body = client_as("staff").get(post.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    # Three openings, each archived, one line in the history: the third is the page being read.
    assert ArchiveRecord.objects.filter(action="opinions.post.viewed", target_id=str(post.pk)).count() == 3
    assert f"已浏览 3 次，最近一次：{cast['staff'].name}，2026-03-02 10:15。" in body
    history = body.split('id="archive-history-title"')[1].split("</section>")[0]
    assert "浏览帖子" not in history
    assert "<code>" not in history


def test_unknown_post_is_404_and_outsider_403(client_as):
    assert client_as("staff").get(reverse("opinions:post-detail", args=[999999])).status_code == 404
    assert client_as("outsider").get(reverse("opinions:post-detail", args=[999999])).status_code == 403


def test_takedown_from_the_queue(client_as, post_factory, cast):
    gambling = ScreeningCategory.objects.get(code="gambling")
    post = post_factory(screening=Post.Screening.FLAGGED, category=gambling)
    client = client_as("staff")
    queue = client.get(reverse("opinions:takedown-queue"))
    assert post.title in queue.content.decode()
    response = client.post(
        reverse("opinions:takedown-confirm", args=[post.pk]),
        {"prefix": f"p{post.pk}", f"p{post.pk}-category": gambling.pk, f"p{post.pk}-reason": "赌博广告", "next": "/x"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.TAKEN_DOWN
    assert post.decision_reason == "赌博广告"
    assert (
        client_as("staff").post(reverse("opinions:takedown-undo", args=[post.pk]), {"reason": "x"}).status_code == 403
    )
    client_as("supervisor").post(reverse("opinions:takedown-undo", args=[post.pk]), {"reason": "误判"})
    post.refresh_from_db()
    assert post.status != Post.Status.TAKEN_DOWN


def test_takedown_queue_query_count_does_not_grow(client_as, post_factory):
    client = client_as("staff")
    post_factory.create_batch(3, screening=Post.Screening.FLAGGED)
    client.get(reverse("opinions:takedown-queue"))  # the screening categories, read once per process, are read here
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("opinions:takedown-queue"))
    post_factory.create_batch(30, screening=Post.Screening.FLAGGED)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("opinions:takedown-queue"))
    assert len(large) == len(small)


def test_leaders_cannot_take_down(client_as, post_factory):
    post = post_factory(screening=Post.Screening.FLAGGED)
    assert client_as("leader").get(reverse("opinions:takedown-queue")).status_code == 403
    assert client_as("leader").post(reverse("opinions:takedown-clear", args=[post.pk])).status_code == 403


def test_clearing_a_false_alarm_from_the_queue_asks_the_reason(client_as, post_factory):
    post = post_factory(screening=Post.Screening.FLAGGED)
    client = client_as("staff")
    queue = reverse("opinions:takedown-queue")
    url = reverse("opinions:takedown-clear", args=[post.pk])
    assert f'name="c{post.pk}-reason"' in client.get(queue).content.decode()

    refused = client.post(url, {"prefix": f"c{post.pk}", f"c{post.pk}-reason": "  ", "next": queue})

    assert refused.status_code == 200
    post.refresh_from_db()
    assert post.screening == Post.Screening.FLAGGED

    client.post(url, {"prefix": f"c{post.pk}", f"c{post.pk}-reason": "引用的是新闻原文", "next": queue})

    post.refresh_from_db()
    assert post.screening == Post.Screening.CLEARED
    assert post.decision_reason == "引用的是新闻原文"
    record = ArchiveRecord.objects.get(action="opinions.post.cleared", target_id=str(post.pk))
    assert record.summary == "引用的是新闻原文"


def test_manual_entry_keeps_what_was_typed_on_error(client_as, channel_factory):
    channel = channel_factory(name="县长信箱")
    client = client_as("staff")
    url = reverse("opinions:post-entry")
    response = client.post(url, {"channel": channel.pk, "title": "", "body": "来信内容很长很长", "link": "ftp://x"})
    assert response.status_code == 200
    assert "来信内容很长很长" in response.content.decode()
    response = client.post(url, {"channel": channel.pk, "title": "来信：反映噪音", "body": "来信内容"})
    post = Post.objects.get(title="来信：反映噪音")
    assert response["Location"] == post.get_absolute_url()
    assert post.entered_by is not None
    again = client.post(url, {"channel": channel.pk, "title": "来信：反映噪音", "body": "来信内容"})
    assert again.status_code == 200
    assert "来信内容" in again.content.decode()


def test_import_shows_bad_rows_and_lets_the_user_choose(client_as, channel_factory):
    channel_factory(name="12345热线")
    client = client_as("staff")
    content = "渠道,标题,内容,作者,链接,发帖时间,版块\n12345热线,好的一行,内容,,,,\n没有的渠道,坏的一行,,,,,\n"
    upload = SimpleUploadedFile("posts.csv", content.encode("utf-8-sig"))
    response = client.post(reverse("opinions:post-import"), {"file": upload})
    body = response.content.decode()
    assert 'data-testid="import-preview"' in body
    assert "<td>3</td>" in body
    assert not Post.objects.exists()
    client.post(reverse("opinions:post-import-confirm"), {"choice": "cancel"})
    assert not Post.objects.exists()
    upload = SimpleUploadedFile("posts.csv", content.encode("utf-8-sig"))
    client.post(reverse("opinions:post-import"), {"file": upload})
    client.post(reverse("opinions:post-import-confirm"), {"choice": "import"})
    assert list(Post.objects.values_list("title", flat=True)) == ["好的一行"]


def test_the_import_preview_is_kept_on_the_server_not_in_the_session(client_as, channel_factory, cast):
    from opinions.models import PendingImport
    from opinions.services.posts import import_preview_take

    channel_factory(name="12345热线")
    client = client_as("staff")
    rows = "".join(f"12345热线,第{n}行的标题,{'很长的内容' * 40},,,,\n" for n in range(300))
    upload = SimpleUploadedFile("posts.csv", ("渠道,标题,内容,作者,链接,发帖时间,版块\n" + rows).encode("utf-8-sig"))
    client.post(reverse("opinions:post-import"), {"file": upload})

    token = client.session["opinions.import"]
    assert isinstance(token, str)
    assert len(token) < 64  # 300 rows of 200 characters each stay out of the session
    assert len(PendingImport.objects.get(token=token).rows) == 300
    assert import_preview_take(token=token, actor=cast["supervisor"].user) is None  # not theirs

    client.post(reverse("opinions:post-import-confirm"), {"choice": "import"})
    assert Post.objects.count() == 300
    assert not PendingImport.objects.exists()


def test_import_refuses_a_file_that_is_not_a_table(client_as):
    upload = SimpleUploadedFile("posts.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client_as("staff").post(reverse("opinions:post-import"), {"file": upload})
    assert response.status_code == 200
    assert 'data-testid="import-preview"' not in response.content.decode()


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))


def test_the_import_template_imports_as_downloaded(client_as, channel_factory, travel):
    channel_factory(name="县长信箱")
    section = SectionFactory(name="投诉咨询")
    client = client_as("staff")
    book = _workbook(
        client.get(reverse("opinions:post-import-template", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    )

    assert book.sheetnames == ["帖子", "可选值"]
    values = list(book["可选值"].values)
    assert values[0] == ("渠道", "渠道类型", "版块（可选）")
    assert ("县长信箱", "县长信箱", None) in values or any(row[0] == "县长信箱" for row in values)
    assert any(row[2] == str(section) for row in values)
    example = list(book["帖子"].values)[1]
    assert example[0] == "县长信箱"  # a channel that exists, not a made-up "12345热线"
    assert example[5] == "2026-03-02 08:00"  # an hour before the test clock's 09:00

    stream = io.BytesIO()
    book.save(stream)
    upload = SimpleUploadedFile("template.xlsx", stream.getvalue())
    preview = client.post(reverse("opinions:post-import"), {"file": upload}).context["preview"]
    assert (preview.total, len(preview.good), preview.bad) == (1, 1, [])
    assert client.get(reverse("opinions:post-import-template", args=["csv"])).status_code == 200


def test_a_formula_cell_is_reported_as_a_formula_not_as_empty(client_as, channel_factory):
    channel_factory(name="县长信箱")
    book = Workbook()
    book.active.append(["渠道", "标题", "内容"])
    book.active.append(["县长信箱", '=CONCATENATE("反映","噪音")', "内容"])
    stream = io.BytesIO()
    book.save(stream)

    upload = SimpleUploadedFile("posts.xlsx", stream.getvalue())
    response = client_as("staff").post(
        reverse("opinions:post-import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.context["preview"].bad == [(2, "标题是公式，请复制这些单元格并“粘贴为数值”")]


def test_patrol_review_from_the_page(client_as, cast, travel):
    section = SectionFactory(owner=cast["staff"])
    PostFactory.create_batch(2, section=section, channel__section=section)
    client = client_as("staff")
    client.post(reverse("opinions:patrol-review"), {"section": section.pk})
    page = client.get(reverse("opinions:patrol-log")).content.decode()
    assert section.name in page
    travel.shift(timedelta(minutes=1))
    assert client_as("leader").post(reverse("opinions:patrol-review"), {"section": section.pk}).status_code == 403


def test_channel_health_page(client_as, channel_factory):
    channel_factory(name="本局论坛", feed_url="http://127.0.0.1:9/f", consecutive_failures=4, last_error="超时")
    assert "本局论坛" in client_as("supervisor").get(reverse("opinions:channel-list")).content.decode()
    assert client_as("staff").get(reverse("opinions:channel-list")).status_code == 403


def test_home_panel_lists_new_posts_in_my_sections(client_as, cast):
    mine = SectionFactory(owner=cast["staff"])
    PostFactory(title="我的版块新帖", section=mine, channel__section=mine)
    PostFactory(title="别人的版块新帖")
    body = client_as("staff").get(reverse("home")).content.decode()
    assert "我的版块新帖" in body
    assert "别人的版块新帖" not in body


def test_a_refused_takedown_shows_the_post_page_with_why(client_as, post_factory, cast):
    gambling = ScreeningCategory.objects.get(code="gambling")
    post = post_factory(screening=Post.Screening.FLAGGED, category=gambling)
    client, url = client_as("staff"), reverse("opinions:takedown-confirm", args=[post.pk])
    data = {"prefix": f"p{post.pk}", f"p{post.pk}-category": gambling.pk, f"p{post.pk}-reason": "赌博广告"}
    assert client.post(url, {**data, "next": "/opinions/takedowns/"})["Location"] == "/opinions/takedowns/"
    again = client.post(url, {**data, f"p{post.pk}-reason": "第二次"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200  # a double click: the page says why instead of a silent redirect
    assert 'data-testid="refused"' in again.content.decode()
    assert "already been taken down" in again.content.decode()
    post.refresh_from_db()
    assert post.decision_reason == "赌博广告"
