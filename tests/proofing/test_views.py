"""The proofreading panel on the post and demand pages, the acknowledge button, the refusals (pages
in Chinese, as the office sees them)."""

import pytest
from django.urls import reverse

from opinions.models import Demand, DemandKind, ReplyWindow
from opinions.services import demands as s
from proofing.models import ProofAcknowledgement
from proofing.services import proof_acknowledge as acknowledge
from publicity.models import PublicityPost
from publicity.selectors import post_proof, post_texts
from publicity.services import post_submit
from tests.opinions.factories import ChannelFactory

BODY = "3月1日，郁志刚带队赴各乡镇开展送戏下乡演出，县旅游局协办。"


@pytest.fixture
def post(make_draft, lists):
    return make_draft(BODY)


def test_the_post_page_highlights_each_hit_with_its_correct_form(client_as, cast, post, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(17):  # the matcher built (2), the acknowledgements (1)
        page = client.get(reverse("publicity:post-detail", args=[post.pk]))
    html = page.content.decode()
    assert html.count('data-testid="proof-hit"') == 2
    assert (
        '<mark class="proof-open" title="应写作“郁志强”。 ">郁志刚</mark><span class="proof-correct">〔郁志强〕</span>'
        in html
    )
    assert '<strong data-testid="proof-correct">文化广电和旅游局</strong>' in html
    assert html.count('data-testid="proof-acknowledge"') == 2
    assert reverse("publicity:post-update", args=[post.pk]) in html  # the fix hint links to the edit page
    for hit in post_proof(post).hits:
        acknowledge(actor=cast["staff"].user, subject=post, texts=post_texts(post), reasons={hit.key: "原文"})
    with django_assert_max_num_queries(16):  # the matcher kept: two acknowledgements cost nothing more
        html = client.get(reverse("publicity:post-detail", args=[post.pk])).content.decode()
    assert html.count('data-testid="proof-acknowledged"') == 2


def rows(post) -> dict[str, str]:
    """The panel's rows as the page numbers them: 郁志刚 first (row 0), then 旅游局 (row 1)."""
    return {hit.written: hit.key for hit in post_proof(post).unresolved}


def test_one_form_holds_every_open_row_each_with_its_own_reason(client_as, post):
    html = client_as("staff").get(reverse("publicity:post-detail", args=[post.pk])).content.decode()
    keys = rows(post)
    assert html.count('data-testid="proof-form"') == 1
    assert f'name="key-0" value="{keys["郁志刚"]}"' in html
    assert f'name="key-1" value="{keys["旅游局"]}"' in html
    assert html.count('name="reason-0"') == html.count('name="reason-1"') == 1
    assert html.count('name="press" value="0"') == html.count('name="press" value="1"') == 1


def test_a_refused_row_says_why_next_to_it_in_chinese_and_keeps_every_reason(client_as, post):
    keys = rows(post)
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    typed = {"key-0": keys["郁志刚"], "reason-0": "", "key-1": keys["旅游局"], "reason-1": "县委文件原文"}
    refused = client_as("staff").post(url, {**typed, "press": "0"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert not ProofAcknowledgement.objects.exists()
    assert 'id="proof-error-0" data-testid="proof-error">请说明保留原文的理由。</div>' in html
    assert html.count('data-testid="proof-error"') == 1
    assert 'id="proof-reason-1" name="reason-1" maxlength="500"' in html
    assert 'value="县委文件原文"' in html  # the other row's reason, as typed
    assert 'data-testid="proof-refused"' in html


def test_pressing_one_row_keeps_it_and_every_other_row_with_a_reason(client_as, cast, post):
    keys = rows(post)
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    typed = {"key-0": keys["郁志刚"], "reason-0": "引用县委文件原文", "key-1": keys["旅游局"], "reason-1": "群众原话"}
    done = client_as("staff").post(url, {**typed, "press": "0"}, follow=True)
    html = done.content.decode()
    assert "已确认：2 处保留原文，档案记录了确认人和理由。" in html
    assert f"{cast['staff'].name} 于 2026-03-02 09:00 确认保留：引用县委文件原文" in html
    assert f"{cast['staff'].name} 于 2026-03-02 09:00 确认保留：群众原话" in html
    assert 'data-testid="proof-acknowledge"' not in html
    assert sorted(ProofAcknowledgement.objects.values_list("written", "reason")) == [
        ("旅游局", "群众原话"),
        ("郁志刚", "引用县委文件原文"),
    ]


def test_a_row_left_empty_stays_open_and_enter_keeps_the_rows_with_a_reason(client_as, cast, post):
    keys = rows(post)
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    # Enter in a reason field: the form's first, hidden button, which names no row.
    done = client_as("staff").post(
        url, {"key-0": keys["郁志刚"], "reason-0": "", "key-1": keys["旅游局"], "reason-1": "群众原话"}, follow=True
    )
    html = done.content.decode()
    assert "已确认：1 处保留原文，档案记录了确认人和理由。" in html
    assert [hit.written for hit in post_proof(post).unresolved] == ["郁志刚"]
    assert html.count('data-testid="proof-acknowledge"') == 1
    nothing = client_as("staff").post(url, {"key-0": keys["郁志刚"], "reason-0": "  "})
    assert "请说明保留原文的理由。" in nothing.content.decode()
    assert ProofAcknowledgement.objects.count() == 1


def test_a_row_whose_hit_is_gone_is_refused_next_to_it_and_nothing_is_kept(client_as, cast, post):
    keys = rows(post)
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    gone = keys["旅游局"].replace("|1|", "|2|")
    typed = {"key-0": keys["郁志刚"], "reason-0": "引用原文", "key-1": gone, "reason-1": "群众原话"}
    refused = client_as("staff").post(url, {**typed, "press": "0"})
    html = refused.content.decode()
    assert '<div class="text-danger mt-1"' not in html.split('name="key-0"')[1].split('name="key-1"')[0]
    assert "文中已没有这一处：已改正或文字已修改。" in html
    assert 'value="引用原文"' in html
    assert not ProofAcknowledgement.objects.exists()


def test_submission_warns_and_approval_is_refused_on_the_page(client_as, cast, post):
    submitted = client_as("staff").post(reverse("publicity:post-submit", args=[post.pk]), follow=True)
    assert "校对发现 2 处尚未改正或确认：处理完之前领导无法审批该稿件。" in submitted.content.decode()
    post.refresh_from_db()
    assert post.state == PublicityPost.State.SUBMITTED
    refused = client_as("leader").post(
        reverse("publicity:post-review", args=[post.pk]), {"decision": "approve", "comment": "同意"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "错敏词校对：还有 2 处既未改正也未确认" in html
    assert "同意" in html  # the comment typed is kept
    post.refresh_from_db()
    assert post.state == PublicityPost.State.SUBMITTED


def test_who_may_not_acknowledge_gets_403(client_as, cast, post):
    post_submit(post=post, actor=cast["staff"].user)
    key = post_proof(post).hits[0].key
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    assert client_as("supervisor").post(url, {"key-0": key, "reason-0": "x", "press": "0"}).status_code == 403
    page = client_as("supervisor").get(reverse("publicity:post-detail", args=[post.pk])).content.decode()
    assert 'data-testid="proof-hit"' in page
    assert 'data-testid="proof-acknowledge"' not in page


def test_the_reply_is_proofread_before_it_is_sent_and_on_the_demand_page(client_as, cast, lists, travel):
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    demand = s.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=ChannelFactory(section__owner=cast["staff"]),
        subject="路灯不亮",
        content="小区门口",
    )
    s.demand_claim(demand=demand, actor=cast["staff"].user)
    url = reverse("opinions:demand-action", args=[demand.pk, "reply"])
    typed = "您好，郁志刚副局长已安排维修。"
    preview = client_as("staff").post(url, {"reply_text": typed, "proofread": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "〔郁志强〕" in html
    assert typed in html  # kept in the form
    demand.refresh_from_db()
    assert (demand.state, demand.reply_text) == (Demand.State.ASSIGNED, "")

    sent = client_as("staff").post(url, {"reply_text": typed}, follow=True)
    assert "校对发现答复中有 1 处尚未改正或确认" in sent.content.decode()
    page = client_as("leader").get(reverse("opinions:demand-detail", args=[demand.pk])).content.decode()
    assert page.count('data-testid="proof-hit"') == 1
    assert 'data-testid="proof-acknowledge"' in page
    refused = client_as("leader").post(reverse("opinions:demand-action", args=[demand.pk, "review"]), {"approve": "1"})
    assert "错敏词校对：还有 1 处既未改正也未确认" in refused.content.decode()
    other = client_as("director").get(reverse("opinions:demand-detail", args=[demand.pk])).content.decode()
    assert 'data-testid="proof-hit"' in other


def test_the_menu_reaches_the_lists_in_the_admin(client_as, lists):
    changelist = reverse("admin:proofing_prooflist_changelist")
    assert changelist in client_as("admin").get(reverse("publicity:post-list")).content.decode()
    assert changelist not in client_as("staff").get(reverse("publicity:post-list")).content.decode()
    page = client_as("admin").get(changelist)
    assert page.status_code == 200
    assert "领导姓名" in page.content.decode()
    assert client_as("staff").get(reverse("admin:proofing_prooflist_changelist")).status_code == 302


def test_an_admin_adds_a_list_with_its_terms_and_the_check_sees_it_at_once(client_as, db):
    from archive.models import ArchiveRecord
    from proofing.models import ProofList
    from proofing.selectors import Text, proof_read

    assert proof_read(subject=None, texts=[Text("body", "Text", "李春花副局长")]).hits == []
    data = {
        "name": "领导姓名和职务",
        "kind": "wrong_form",
        "is_active": "on",
        "note": "",
        "terms-TOTAL_FORMS": "2",
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
        "terms-0-wrong": "李春花",
        "terms-0-correct": "李春华",
        "terms-0-note": "副局长",
        "terms-1-wrong": "",
        "terms-1-correct": "",
        "terms-1-note": "",
    }
    response = client_as("admin").post(reverse("admin:proofing_prooflist_add"), data)
    assert response.status_code == 302
    proof_list = ProofList.objects.get()
    assert list(proof_list.terms.values_list("wrong", "correct")) == [("李春花", "李春华")]
    record = ArchiveRecord.objects.get(action="proofing.prooflist.created")
    assert record.after["terms"] == ["李春花 → 李春华"]
    (hit,) = proof_read(subject=None, texts=[Text("body", "Text", "李春花副局长")]).hits
    assert hit.correct == "李春华"


def test_an_admin_imports_terms_from_a_csv(client_as, lists):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archive.models import ArchiveRecord
    from proofing.selectors import Text, proof_read

    names = lists["names"]
    table = "查找的写法,正确写法,说明\n郁志刚,郁志强,改过的说明\n城关乡,城关镇,\n,,\n".encode("gb18030")
    data = {
        "name": names.name,
        "kind": names.kind,
        "is_active": "on",
        "note": "",
        "term_file": SimpleUploadedFile("terms.csv", table, content_type="text/csv"),
        "terms-TOTAL_FORMS": "0",
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    response = client_as("admin").post(reverse("admin:proofing_prooflist_change", args=[names.pk]), data)
    assert response.status_code == 302
    assert sorted(names.terms.values_list("wrong", "correct", "note")) == [
        ("5A级景区", "国家5A级旅游景区", ""),
        ("城关乡", "城关镇", ""),
        ("郁志刚", "郁志强", "改过的说明"),
    ]
    record = ArchiveRecord.objects.filter(action="proofing.prooflist.changed", target_id=str(names.pk)).get()
    assert "城关乡 → 城关镇" in record.after["terms"]
    (hit,) = proof_read(subject=None, texts=[Text("body", "Text", "城关乡文化站")]).hits
    assert hit.correct == "城关镇"


def test_the_history_writes_chinese_with_full_width_brackets_and_colons(client_as, cast, post):
    keys = rows(post)
    url = reverse("publicity:post-proof-acknowledge", args=[post.pk])
    client_as("staff").post(url, {"key-0": keys["郁志刚"], "reason-0": "引用县委文件原文", "press": "0"})
    html = client_as("staff").get(reverse("publicity:post-detail", args=[post.pk])).content.decode()
    history = html[html.index('id="archive-history-title"') :]
    assert "<div>郁志刚（摘要或正文）：引用县委文件原文</div>" in history
    assert "(" not in history.split("郁志刚", 1)[1].split("</div>")[0]


def test_a_lists_archived_summary_is_chinese_with_a_full_width_colon(lists):
    from django.utils import translation

    from archive.models import ArchiveRecord
    from proofing.services import proof_list_saved

    with translation.override("zh-hans"):
        proof_list_saved(proof_list=lists["names"], actor=None)
    record = ArchiveRecord.objects.filter(action="proofing.prooflist.changed").get()
    assert record.summary == "领导姓名：2 个词条"
