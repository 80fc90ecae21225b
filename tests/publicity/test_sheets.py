"""The publicity approval form (信息发布审批表): its print page, reachable from the post's page, and
its Word document (python-docx) — title, body, submitter, approver, opinion, dates."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document

from publicity.models import PublicityPost
from tests.publicity.factories import PublicityPostFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def approved(cast):
    return PublicityPostFactory(
        title="我局开展文化惠民演出进社区活动",
        body="3月5日，我局组织文艺志愿者走进城关社区，为群众送上文艺演出。",
        author=cast["staff"],
        state=PublicityPost.State.APPROVED,
        planned_on=date(2026, 3, 6),
        submitted_at=datetime(2026, 3, 5, 16, 0, tzinfo=SHANGHAI),
        reviewer=cast["leader"],
        reviewed_at=datetime(2026, 3, 5, 17, 30, tzinfo=SHANGHAI),
        review_comment="同意发布，注意配图清晰。",
    )


def _text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_approval_form_prints_from_the_post_page(client_as, cast, approved):
    client = client_as("leader")
    detail = client.get(approved.get_absolute_url()).content.decode()
    assert reverse("publicity:post-print", args=[approved.pk]) in detail
    assert reverse("publicity:post-word", args=[approved.pk]) in detail
    page = client.get(reverse("publicity:post-print", args=[approved.pk])).content.decode()
    assert "信息发布审批表" in page
    assert 'data-testid="print-button"' in page
    assert "同意发布，注意配图清晰。" in page
    assert cast["staff"].name in page
    assert cast["leader"].name in page
    # The approval's time is labelled 审批时间, not the patrol log's 巡查时间 ("Reviewed at").
    assert "审批时间" in page
    assert "巡查时间" not in page


def test_approval_form_word_has_the_fields(client_as, cast, approved):
    response = client_as("leader").get(reverse("publicity:post-word", args=[approved.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), section.orientation) == (210, 297, 0)
    assert document.paragraphs[0].text == "信息发布审批表"
    text = _text(document)
    for expected in (
        "我局开展文化惠民演出进社区活动",
        "3月5日，我局组织文艺志愿者走进城关社区，为群众送上文艺演出。",
        cast["staff"].name,  # submitter
        cast["leader"].name,  # approver
        "同意发布，注意配图清晰。",
        "2026-03-05 16:00",  # submitted, local time
        "2026-03-05 17:30",  # approved
        "2026-03-06",  # planned
    ):
        assert expected in text


def test_approval_form_is_checked_like_the_post(client_as, cast):
    draft = PublicityPostFactory(author=cast["supervisor"])  # someone else's draft: not visible to staff
    for name in ("publicity:post-print", "publicity:post-word"):
        url = reverse(name, args=[draft.pk])
        assert client_as("staff").get(url).status_code == 404
        assert client_as("outsider").get(url).status_code == 403
        assert client_as("supervisor").get(url).status_code == 200
