"""Manual entry, opening a post, handling, takedowns and their undo, bulk import."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from archive.models import ArchiveRecord
from opinions.intake.tables import read_upload
from opinions.models import Post, ScreeningCategory
from opinions.services.posts import post_enter, post_handle, post_view, posts_import
from opinions.services.takedowns import takedown_clear, takedown_confirm, takedown_undo


def records(post, action):
    return ArchiveRecord.objects.filter(action=action, target_id=str(post.pk))


@pytest.fixture
def flagged(channel_factory, cast):
    channel = channel_factory(name="12345热线")
    return post_enter(
        channel=channel, actor=cast["staff"].user, title="来电反映有人贩卖毒 品", body="地点在城西，请核实。"
    )


def test_manual_entry_is_screened_and_archived(flagged, cast):
    assert flagged.source == Post.Source.MANUAL
    assert flagged.entered_by == cast["staff"].user
    assert flagged.screening == Post.Screening.FLAGGED
    assert flagged.category.code == "drugs"
    assert records(flagged, "opinions.post.entered").exists()
    assert records(flagged, "opinions.post.flagged").exists()


def test_manual_entry_twice_is_refused(flagged, cast):
    with pytest.raises(ValidationError):
        post_enter(channel=flagged.channel, actor=cast["staff"].user, title=flagged.title, body=flagged.body)


def test_confirm_takedown_keeps_the_text(flagged, cast, travel):
    drugs = ScreeningCategory.objects.get(code="drugs")
    post = takedown_confirm(post=flagged, actor=cast["staff"].user, category=drugs, reason="贩毒信息")
    post.refresh_from_db()
    assert post.status == Post.Status.TAKEN_DOWN
    assert post.screening == Post.Screening.CONFIRMED
    assert post.title == "来电反映有人贩卖毒 品"
    assert post.decided_by == cast["staff"].user
    record = records(post, "opinions.post.taken_down").get()
    assert record.actor == cast["staff"].user
    assert record.after["reason"] == "贩毒信息"
    with pytest.raises(ValidationError):
        takedown_confirm(post=post, actor=cast["staff"].user, category=drugs, reason="again")


def test_takedown_needs_a_reason_and_the_permission(flagged, cast):
    drugs = ScreeningCategory.objects.get(code="drugs")
    with pytest.raises(ValidationError):
        takedown_confirm(post=flagged, actor=cast["staff"].user, category=drugs, reason=" ")
    with pytest.raises(PermissionDenied):
        takedown_confirm(post=flagged, actor=cast["leader"].user, category=drugs, reason="x")


def test_only_supervisors_undo_a_takedown(flagged, cast):
    drugs = ScreeningCategory.objects.get(code="drugs")
    takedown_confirm(post=flagged, actor=cast["staff"].user, category=drugs, reason="贩毒信息")
    with pytest.raises(PermissionDenied):
        takedown_undo(post=flagged, actor=cast["staff"].user, reason="误删")
    post = takedown_undo(post=flagged, actor=cast["supervisor"].user, reason="经核实为反映线索，不应删除")
    assert post.status == Post.Status.NEW
    assert post.screening == Post.Screening.CLEARED
    assert records(post, "opinions.post.takedown_undone").get().actor == cast["supervisor"].user


def test_clear_false_alarm(flagged, cast):
    post = takedown_clear(post=flagged, actor=cast["staff"].user, reason="群众举报线索")
    assert post.screening == Post.Screening.CLEARED
    assert post.status == Post.Status.NEW
    assert records(post, "opinions.post.cleared").exists()
    with pytest.raises(ValidationError):  # no longer in the queue
        takedown_clear(post=post, actor=cast["staff"].user, reason="再次清除")


def test_clearing_a_false_alarm_needs_a_reason(flagged, cast):
    with pytest.raises(ValidationError, match="false alarm"):
        takedown_clear(post=flagged, actor=cast["staff"].user, reason="  ")
    flagged.refresh_from_db()
    assert flagged.screening == Post.Screening.FLAGGED


def test_viewing_records_the_browsing_and_marks_read(post_factory, cast):
    post = post_factory()
    post_view(post=post, actor=cast["staff"].user)
    post_view(post=post, actor=cast["leader"].user)
    post.refresh_from_db()
    assert post.status == Post.Status.READ
    viewed = records(post, "opinions.post.viewed").order_by("pk")
    assert [r.actor for r in viewed] == [cast["staff"].user, cast["leader"].user]
    assert viewed[0].before == {"status": "new"}


def test_handling_steps_are_archived(post_factory, cast):
    post = post_factory()
    for status, action in [
        (Post.Status.FOLLOWED_UP, "opinions.post.followed_up"),
        (Post.Status.ANSWERED, "opinions.post.answered"),
        (Post.Status.FILED, "opinions.post.filed"),
    ]:
        post = post_handle(post=post, actor=cast["staff"].user, status=status, note="已处理")
        assert post.status == status
        assert records(post, action).exists()


def test_a_flagged_post_must_be_decided_before_handling(flagged, cast):
    with pytest.raises(ValidationError):
        post_handle(post=flagged, actor=cast["staff"].user, status=Post.Status.FILED)


# --- Bulk import ---------------------------------------------------------------------------------

HEADER = ["渠道", "标题", "内容", "作者", "链接", "发帖时间", "版块"]


def xlsx_file(rows, name="posts.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("posts.csv", buffer.getvalue().encode(encoding))


@pytest.fixture
def hotline(channel_factory):
    return channel_factory(name="12345热线")


def test_xlsx_import_with_good_and_bad_rows(hotline, cast, travel):
    upload = xlsx_file(
        [
            HEADER,
            ["12345热线", "网吧噪音扰民", "晚上十二点仍有噪音", "李女士", "", "2026-03-01 10:30", ""],
            ["不存在的渠道", "标题", "", "", "", "", ""],
            ["12345热线", "", "没有标题", "", "", "", ""],
            ["12345热线", "时间错误", "", "", "javascript:alert(1)", "昨天", ""],
            [],
            ["12345热线", "群里有人卖枪支", "", "", "https://weibo.example/1", "2026/03/01 11:00", ""],
        ]
    )
    preview = read_upload(upload)
    assert preview.total == 5
    assert [number for number, _reason in preview.bad] == [3, 4, 5]
    assert "unknown channel" in preview.bad[0][1]
    assert "title is empty" in preview.bad[1][1]
    assert "link" in preview.bad[2][1]
    assert "time" in preview.bad[2][1]
    assert Post.objects.count() == 0  # nothing stored before the person chooses
    totals = posts_import(rows=preview.good, actor=cast["staff"].user)
    assert totals == {"created": 2, "unchanged": 0, "flagged": 1}
    imported = Post.objects.get(title="网吧噪音扰民")
    assert imported.source == Post.Source.IMPORT
    assert imported.posted_at == datetime.fromisoformat("2026-03-01T10:30:00+08:00")
    assert imported.found_at == datetime.fromisoformat("2026-03-02T09:00:00+08:00")
    assert Post.objects.get(title="群里有人卖枪支").screening == Post.Screening.FLAGGED
    # importing the same rows again stores nothing new
    travel.shift(timedelta(minutes=5))
    assert posts_import(rows=preview.good, actor=cast["staff"].user)["created"] == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_import_in_every_encoding(hotline, cast, encoding):
    upload = csv_file([HEADER, ["12345热线", "图书馆开放时间咨询", "周末开吗", "王先生", "", "", ""]], encoding)
    preview = read_upload(upload)
    assert preview.bad == []
    posts_import(rows=preview.good, actor=cast["staff"].user)
    assert Post.objects.get().title == "图书馆开放时间咨询"


def test_oversized_and_empty_files_are_refused(hotline):
    with pytest.raises(ValidationError):
        read_upload(csv_file([HEADER]))
    big = SimpleUploadedFile("big.csv", b"a,b\n" * 2_000_000)
    with pytest.raises(ValidationError, match="large|big|MB"):
        read_upload(big)
