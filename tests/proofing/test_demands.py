"""A demand's public reply: recorded with hits (warned), not approved in review until each is fixed
or acknowledged; who may acknowledge."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from archive.models import ArchiveRecord
from bureau.models import Role
from opinions.models import Demand, DemandKind, ReplyWindow
from opinions.selectors.proofing import demand_reply_proof
from opinions.services import demands as s
from proofing.models import ProofAcknowledgement
from tests.factories import PersonFactory
from tests.opinions.factories import ChannelFactory

REPLY = "您好，经核实，县旅游局已安排维修，详见内部资料。"


@pytest.fixture
def demand(cast, lists, travel):
    """A complaint whose replies are reviewed, signed for by the cast's staff member."""
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    channel = ChannelFactory(section__owner=cast["staff"])
    demand = s.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=channel,
        subject="路灯不亮",
        content="小区门口",
    )
    s.demand_claim(demand=demand, actor=cast["staff"].user)
    return demand


def keys(demand):
    demand.refresh_from_db()
    return {hit.written: hit.key for hit in demand_reply_proof(demand).hits}


def test_the_reply_waits_and_is_not_approved_while_hits_are_open(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    demand.refresh_from_db()
    assert demand.state == Demand.State.IN_REVIEW
    with pytest.raises(ValidationError) as refused:
        s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    (message,) = refused.value.messages
    assert message.startswith("Proofreading: 2 hits are neither fixed nor acknowledged:")
    assert "“旅游局” in reply given publicly (Replace it with “文化广电和旅游局”.)" in message
    assert "“内部资料” in reply given publicly" in message
    demand.refresh_from_db()
    assert demand.state == Demand.State.IN_REVIEW
    # Sending it back needs no proofreading.
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=False, opinion="请改正单位名称")


def test_fixed_in_a_new_reply_it_is_approved(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=False, opinion="请改正")
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text="您好，经核实，县文化广电和旅游局已安排维修。")
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    demand.refresh_from_db()
    assert demand.state == Demand.State.REPLIED


def test_acknowledged_by_the_handler_and_the_reviewer_it_is_approved(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    found = keys(demand)
    s.demand_proof_acknowledge(demand=demand, actor=cast["staff"].user, reasons={found["旅游局"]: "群众原话"})
    with pytest.raises(ValidationError, match="Proofreading: 1 hit"):
        s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    s.demand_proof_acknowledge(demand=demand, actor=cast["leader"].user, reasons={found["内部资料"]: "已删除附件"})
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    demand.refresh_from_db()
    assert demand.state == Demand.State.REPLIED
    assert sorted(ProofAcknowledgement.objects.values_list("written", "by__name")) == [
        ("内部资料", cast["leader"].name),
        ("旅游局", cast["staff"].name),
    ]
    assert (
        ArchiveRecord.objects.filter(
            action="proofing.proofacknowledgement.created", target_type="opinions.demand", target_id=str(demand.pk)
        ).count()
        == 2
    )


def test_a_new_reply_with_the_same_hit_once_more_blocks_again(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text="县旅游局已安排维修。")
    s.demand_proof_acknowledge(demand=demand, actor=cast["staff"].user, reasons={keys(demand)["旅游局"]: "原话"})
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=False, opinion="请补充")
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text="县旅游局已安排维修，县旅游局将回访。")
    with pytest.raises(ValidationError, match="Proofreading: 1 hit"):
        s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)


def test_who_may_acknowledge_a_hit_in_a_reply(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    key = keys(demand)["旅游局"]
    for actor in (PersonFactory(role=Role.STAFF).user, cast["outsider"]):
        with pytest.raises(PermissionDenied):
            s.demand_proof_acknowledge(demand=demand, actor=actor, reasons={key: "x"})
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=False, opinion="请改正")
    with pytest.raises(ValidationError, match="no reply awaiting review"):
        s.demand_proof_acknowledge(demand=demand, actor=cast["staff"].user, reasons={key: "x"})
    assert not ProofAcknowledgement.objects.exists()


def test_two_hits_kept_at_once_or_none_when_one_is_refused(cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    found = keys(demand)
    with pytest.raises(ValidationError) as refused:
        s.demand_proof_acknowledge(
            demand=demand, actor=cast["staff"].user, reasons={found["旅游局"]: "群众原话", found["内部资料"]: " "}
        )
    assert refused.value.message_dict == {found["内部资料"]: ["Say why the hit stays as written."]}
    assert not ProofAcknowledgement.objects.exists()
    s.demand_proof_acknowledge(
        demand=demand, actor=cast["staff"].user, reasons={found["旅游局"]: "群众原话", found["内部资料"]: "已删除附件"}
    )
    assert ProofAcknowledgement.objects.count() == 2
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)


def test_on_the_demand_page_a_refused_row_keeps_the_other_rows_reason(client_as, cast, demand):
    s.demand_reply(demand=demand, actor=cast["staff"].user, reply_text=REPLY)
    found = keys(demand)
    url = reverse("opinions:demand-action", args=[demand.pk, "proof-acknowledge"])
    typed = {"key-0": found["旅游局"], "reason-0": "群众原话", "key-1": found["内部资料"], "reason-1": "", "press": "1"}
    refused = client_as("staff").post(url, typed)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="proof-error-1" data-testid="proof-error">请说明保留原文的理由。</div>' in html
    assert 'value="群众原话"' in html
    assert 'data-testid="action-proof-acknowledge"' not in html  # no second copy of the rows
    assert not ProofAcknowledgement.objects.exists()
    typed["reason-1"] = "已删除附件"
    done = client_as("staff").post(url, typed, follow=True)
    assert "已确认：2 处保留原文，档案记录了确认人和理由。" in done.content.decode()
    assert ProofAcknowledgement.objects.count() == 2
