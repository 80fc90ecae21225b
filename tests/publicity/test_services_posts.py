from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import ArchiveRecord
from bureau.models import Notification
from publicity.models import PublicityPost
from publicity.services import (
    post_approve,
    post_correct_publication,
    post_create,
    post_publish,
    post_return,
    post_submit,
    post_update,
    post_withdraw,
)


def actions_for(post):
    return list(
        ArchiveRecord.objects.filter(target_type="publicity.publicitypost", target_id=str(post.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_staff_drafts_submits_a_leader_approves_and_it_is_published(cast, draft):
    staff, leader = cast["staff"].user, cast["leader"].user
    post_submit(post=draft, actor=staff)
    post_approve(post=draft, actor=leader, comment="同意发布")
    post = post_publish(post=draft, actor=staff, published_on=date(2026, 3, 2), link="https://www.example.gov.cn/1")

    post.refresh_from_db()
    assert post.state == PublicityPost.State.PUBLISHED
    assert post.reviewer == cast["leader"]
    assert post.review_comment == "同意发布"
    assert post.published_by == cast["staff"]
    assert actions_for(post) == [
        "publicity.publicitypost.created",
        "publicity.publicitypost.submitted",
        "publicity.publicitypost.approved",
        "publicity.publicitypost.published",
    ]


def test_submitting_tells_the_leaders_and_the_decision_tells_the_author(cast, draft):
    post_submit(post=draft, actor=cast["staff"].user)
    assert Notification.objects.filter(recipient=cast["leader"].user, kind="publicity.submitted").count() == 1
    assert not Notification.objects.filter(recipient=cast["supervisor"].user).exists()
    post_return(post=draft, actor=cast["leader"].user, comment="标题不够准确")
    notice = Notification.objects.get(recipient=cast["staff"].user, kind="publicity.returned")
    assert notice.body == "标题不够准确"


@pytest.mark.parametrize("role", ["staff", "supervisor", "admin"])
def test_only_leaders_approve(cast, draft, role):
    post_submit(post=draft, actor=cast["staff"].user)
    actor = cast[role].user
    with pytest.raises(PermissionDenied, match="leader"):
        post_approve(post=draft, actor=actor)
    with pytest.raises(PermissionDenied, match="leader"):
        post_return(post=draft, actor=actor, comment="不行")
    draft.refresh_from_db()
    assert draft.state == PublicityPost.State.SUBMITTED


def test_a_login_without_a_person_cannot_approve(cast, draft):
    post_submit(post=draft, actor=cast["staff"].user)
    with pytest.raises(PermissionDenied):
        post_approve(post=draft, actor=cast["outsider"])


def test_a_leader_cannot_approve_their_own_post(cast, platform):
    leader = cast["leader"]
    post = post_create(
        actor=leader.user,
        title="局领导调研文化市场",
        body="调研",
        department=leader.department,
        platform=platform,
        planned_on=date(2026, 3, 5),
    )
    post_submit(post=post, actor=leader.user)
    with pytest.raises(PermissionDenied, match="own"):
        post_approve(post=post, actor=leader.user)
    post_approve(post=post, actor=cast["director"].user)  # another leader may
    post.refresh_from_db()
    assert post.state == PublicityPost.State.APPROVED
    assert post.reviewer == cast["director"]


def test_only_a_submitted_post_can_be_approved(cast, draft):
    with pytest.raises(ValidationError, match="not waiting"):
        post_approve(post=draft, actor=cast["leader"].user)
    post_submit(post=draft, actor=cast["staff"].user)
    post_approve(post=draft, actor=cast["leader"].user)
    with pytest.raises(ValidationError, match="not waiting"):
        post_approve(post=draft, actor=cast["director"].user)


def test_returning_needs_a_reason(cast, draft):
    post_submit(post=draft, actor=cast["staff"].user)
    with pytest.raises(ValidationError):
        post_return(post=draft, actor=cast["leader"].user, comment="  ")


def test_a_returned_post_is_edited_and_resubmitted(cast, draft, travel):
    staff, leader = cast["staff"].user, cast["leader"].user
    post_submit(post=draft, actor=staff)
    post_return(post=draft, actor=leader, comment="请补充演出场次")
    travel.shift(timedelta(hours=2))
    post_update(post=draft, actor=staff, body="3月1日起，我局组织县锡剧团赴12个乡镇开展送戏下乡演出20场。")
    post_submit(post=draft, actor=staff)
    post_approve(post=draft, actor=leader)
    draft.refresh_from_db()
    assert draft.state == PublicityPost.State.APPROVED
    assert "20场" in draft.body
    assert actions_for(draft)[1:] == [
        "publicity.publicitypost.submitted",
        "publicity.publicitypost.returned",
        "publicity.publicitypost.edited",
        "publicity.publicitypost.submitted",
        "publicity.publicitypost.approved",
    ]
    edit = ArchiveRecord.objects.get(action="publicity.publicitypost.edited")
    assert edit.before["body"].startswith("3月1日，")
    assert "20场" in edit.after["body"]


def test_only_the_author_edits_or_submits(cast, draft):
    with pytest.raises(PermissionDenied, match="author"):
        post_update(post=draft, actor=cast["supervisor"].user, title="改标题")
    with pytest.raises(PermissionDenied, match="author"):
        post_submit(post=draft, actor=cast["leader"].user)


@pytest.mark.parametrize("stage", ["submitted", "approved", "published"])
def test_a_post_past_the_draft_stage_cannot_be_edited(cast, draft, stage):
    staff, leader = cast["staff"].user, cast["leader"].user
    post_submit(post=draft, actor=staff)
    if stage in ("approved", "published"):
        post_approve(post=draft, actor=leader)
    if stage == "published":
        post_publish(post=draft, actor=staff, published_on=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="draft"):
        post_update(post=draft, actor=staff, title="悄悄改掉的标题")
    draft.refresh_from_db()
    assert draft.title == "我局开展送戏下乡活动"
    assert "publicity.publicitypost.edited" not in actions_for(draft)


def test_a_published_post_is_corrected_only_with_a_reason_and_on_the_record(cast, draft):
    staff, leader = cast["staff"].user, cast["leader"].user
    post_submit(post=draft, actor=staff)
    post_approve(post=draft, actor=leader)
    post_publish(post=draft, actor=staff, published_on=date(2026, 3, 1), link="https://a.example/1")
    with pytest.raises(ValidationError):
        post_correct_publication(
            post=draft, actor=staff, published_on=date(2026, 3, 2), link="https://a.example/2", reason=""
        )
    post_correct_publication(
        post=draft, actor=staff, published_on=date(2026, 3, 2), link="https://a.example/2", reason="链接填错"
    )
    record = ArchiveRecord.objects.get(action="publicity.publicitypost.corrected")
    assert record.before == {"published_on": "2026-03-01", "link": "https://a.example/1"}
    assert record.after == {"published_on": "2026-03-02", "link": "https://a.example/2"}
    assert record.summary == "链接填错"


def test_publishing_needs_approval_a_real_date_and_the_right_person(cast, draft):
    staff = cast["staff"].user
    post_submit(post=draft, actor=staff)
    with pytest.raises(ValidationError, match="approved"):
        post_publish(post=draft, actor=staff, published_on=date(2026, 3, 2))
    post_approve(post=draft, actor=cast["leader"].user)
    with pytest.raises(ValidationError, match="future"):
        post_publish(post=draft, actor=staff, published_on=date(2026, 3, 3))
    with pytest.raises(PermissionDenied, match="author"):
        post_publish(post=draft, actor=cast["leader"].user, published_on=date(2026, 3, 2))
    post_publish(post=draft, actor=cast["supervisor"].user, published_on=date(2026, 3, 2))  # the office may
    draft.refresh_from_db()
    assert draft.published_by == cast["supervisor"]


def test_the_author_withdraws_a_submission_before_the_decision(cast, draft):
    staff = cast["staff"].user
    post_submit(post=draft, actor=staff)
    with pytest.raises(PermissionDenied, match="author"):
        post_withdraw(post=draft, actor=cast["leader"].user)
    post_withdraw(post=draft, actor=staff)
    draft.refresh_from_db()
    assert draft.state == PublicityPost.State.DRAFT
    post_update(post=draft, actor=staff, title="我局开展送戏下乡惠民演出活动")
    post_submit(post=draft, actor=staff)
    post_approve(post=draft, actor=cast["leader"].user)
    with pytest.raises(ValidationError, match="waiting"):
        post_withdraw(post=draft, actor=staff)
    assert "publicity.publicitypost.withdrawn" in actions_for(draft)
