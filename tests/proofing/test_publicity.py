"""A publicity post: submission warned, approval refused until every hit is fixed or acknowledged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import ArchiveRecord
from bureau.models import Role
from proofing.models import ProofAcknowledgement
from publicity.models import PublicityPost
from publicity.selectors import post_proof
from publicity.services import post_approve, post_proof_acknowledge, post_submit, post_update, post_withdraw
from tests.factories import PersonFactory

BODY = "3月1日，郁志刚带队赴各乡镇开展送戏下乡演出。"


def key_of(post, written):
    return next(hit.key for hit in post_proof(post).hits if hit.written == written)


def test_submission_goes_through_and_approval_is_refused_with_the_hits_listed(cast, lists, make_draft):
    post = make_draft(BODY)
    post_submit(post=post, actor=cast["staff"].user)  # warned on the page, not blocked
    with pytest.raises(ValidationError) as refused:
        post_approve(post=post, actor=cast["leader"].user)
    assert refused.value.messages == [
        "Proofreading: 1 hit is neither fixed nor acknowledged: “郁志刚” in summary or text (Write “郁志强”.). "
        "Fix the text or acknowledge it first."
    ]
    post.refresh_from_db()
    assert post.state == PublicityPost.State.SUBMITTED


def test_fixing_the_text_lets_it_be_approved(cast, lists, make_draft):
    staff, leader = cast["staff"].user, cast["leader"].user
    post = make_draft(BODY)
    post_submit(post=post, actor=staff)
    post_withdraw(post=post, actor=staff)
    post_update(post=post, actor=staff, body=BODY.replace("郁志刚", "郁志强"))
    post_submit(post=post, actor=staff)
    post_approve(post=post, actor=leader)
    post.refresh_from_db()
    assert post.state == PublicityPost.State.APPROVED


def test_an_acknowledged_hit_is_recorded_archived_and_lets_it_be_approved(cast, lists, make_draft):
    staff, leader = cast["staff"].user, cast["leader"].user
    post = make_draft(BODY)
    post_proof_acknowledge(post=post, actor=staff, reasons={key_of(post, "郁志刚"): "引用原文件"})
    post_submit(post=post, actor=staff)
    post_approve(post=post, actor=leader)

    acknowledgement = ProofAcknowledgement.objects.get()
    assert (acknowledgement.by, acknowledgement.written, acknowledgement.occurrence) == (cast["staff"], "郁志刚", 1)
    assert acknowledgement.reason == "引用原文件"
    record = ArchiveRecord.objects.get(action="proofing.proofacknowledgement.created")
    assert (record.target_type, record.target_id) == ("publicity.publicitypost", str(post.pk))
    assert record.actor_id == staff.pk
    assert record.after["reason"] == "引用原文件"
    assert record.after["correct"] == "郁志强"
    (hit,) = post_proof(post).hits
    assert hit.acknowledgement == acknowledgement


def test_a_leader_may_acknowledge_while_it_waits(cast, lists, make_draft):
    post = make_draft(BODY)
    post_submit(post=post, actor=cast["staff"].user)
    post_proof_acknowledge(post=post, actor=cast["leader"].user, reasons={key_of(post, "郁志刚"): "同意保留"})
    post_approve(post=post, actor=cast["leader"].user)
    assert ProofAcknowledgement.objects.get().by == cast["leader"]


def test_a_new_hit_after_acknowledgement_blocks_again(cast, lists, make_draft):
    staff, leader = cast["staff"].user, cast["leader"].user
    post = make_draft(BODY)
    post_proof_acknowledge(post=post, actor=staff, reasons={key_of(post, "郁志刚"): "引用原文件"})
    # An edit elsewhere keeps the acknowledgement; a second 郁志刚 and a sensitive term are new hits.
    post_update(post=post, actor=staff, body="据内部资料，" + BODY + "郁志刚讲话。")
    post_submit(post=post, actor=staff)
    with pytest.raises(ValidationError) as refused:
        post_approve(post=post, actor=leader)
    (message,) = refused.value.messages
    assert message.startswith("Proofreading: 2 hits are neither fixed nor acknowledged: “内部资料” in summary or text")
    assert "“郁志刚” in summary or text (Write “郁志强”.)" in message
    assert [hit.occurrence for hit in post_proof(post).acknowledged] == [1]


def test_who_may_acknowledge(cast, lists, make_draft):
    post = make_draft(BODY)
    key = key_of(post, "郁志刚")
    other_staff = PersonFactory(role=Role.STAFF)
    for actor in (cast["supervisor"].user, other_staff.user, cast["outsider"]):
        with pytest.raises(PermissionDenied):
            post_proof_acknowledge(post=post, actor=actor, reasons={key: "x"})
    with pytest.raises(ValidationError, match="Say why"):
        post_proof_acknowledge(post=post, actor=cast["staff"].user, reasons={key: "  "})
    with pytest.raises(ValidationError, match="no longer in the text"):
        post_proof_acknowledge(post=post, actor=cast["staff"].user, reasons={key.replace("|1|", "|2|"): "x"})
    assert not ProofAcknowledgement.objects.exists()
    post_submit(post=post, actor=cast["staff"].user)
    with pytest.raises(ValidationError, match="Proofreading: 1 hit"):
        post_approve(post=post, actor=cast["leader"].user)


def test_an_approved_post_is_not_proofread_any_more(cast, lists, make_draft):
    post = make_draft("3月1日，我局组织县锡剧团赴各乡镇开展送戏下乡演出。")
    post_submit(post=post, actor=cast["staff"].user)
    post_approve(post=post, actor=cast["leader"].user)
    with pytest.raises(ValidationError, match="not yet approved"):
        post_proof_acknowledge(post=post, actor=cast["staff"].user, reasons={"body|1|1|x": "x"})


def test_a_leader_may_not_acknowledge_a_draft(cast, lists, make_draft):
    post = make_draft(BODY)
    with pytest.raises(PermissionDenied, match="author or a leader in charge"):
        post_proof_acknowledge(post=post, actor=cast["leader"].user, reasons={key_of(post, "郁志刚"): "x"})
