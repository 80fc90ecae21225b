"""Who may do what to a publicity post: the detail page offers exactly what the services accept."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from publicity.policies import post_actions, post_require
from publicity.services import post_approve, post_create, post_publish, post_submit

NONE = {
    "edit": False,
    "submit": False,
    "withdraw": False,
    "review": False,
    "publish": False,
    "correct": False,
    "acknowledge": False,  # a proofreading hit: the author, or a leader once it waits for approval
}


def test_each_step_is_offered_to_whom_the_service_accepts(cast, draft):
    staff, leader, supervisor = cast["staff"].user, cast["leader"].user, cast["supervisor"].user
    # The draft's author is the cast's staff member (tests/publicity/conftest.py).
    assert post_actions(staff, draft) == {**NONE, "edit": True, "submit": True, "acknowledge": True}
    assert post_actions(leader, draft) == NONE  # not the author
    draft = post_submit(post=draft, actor=staff)
    assert post_actions(staff, draft) == {**NONE, "withdraw": True, "acknowledge": True}
    assert post_actions(leader, draft) == {**NONE, "review": True, "acknowledge": True}
    assert post_actions(supervisor, draft) == NONE  # the office head records publication, not approval
    draft = post_approve(post=draft, actor=leader)
    # Publication: the author, or the office head (publish_publicitypost); not the leader.
    assert post_actions(staff, draft) == {**NONE, "publish": True}
    assert post_actions(supervisor, draft) == {**NONE, "publish": True}
    assert post_actions(leader, draft) == NONE
    draft = post_publish(post=draft, actor=supervisor, published_on=date(2026, 3, 2))  # the test clock's day
    assert post_actions(staff, draft) == {**NONE, "correct": True}


@translation.override("en")
def test_a_refusal_is_a_403_for_the_person_and_a_message_for_the_state(cast, draft):
    with pytest.raises(PermissionDenied, match="Only the author can submit"):
        post_require(cast["leader"].user, draft, "submit")
    with pytest.raises(ValidationError) as refused:
        post_require(cast["staff"].user, draft, "withdraw")
    assert refused.value.messages == ["Only a post waiting for approval can be withdrawn."]


@translation.override("en")
def test_a_leader_cannot_review_their_own_post(cast, platform, travel):
    own = post_create(
        actor=cast["leader"].user,
        title="局长带队开展文化下乡",
        body="活动覆盖三个乡镇。",
        department=cast["leader"].department,
        platform=platform,
        planned_on=date(2026, 3, 2),
    )
    own = post_submit(post=own, actor=cast["leader"].user)
    assert post_actions(cast["leader"].user, own)["review"] is False
    with pytest.raises(PermissionDenied, match="your own publicity post"):
        post_approve(post=own, actor=cast["leader"].user)


def test_the_page_shows_only_the_allowed_buttons(client_as, cast, draft):
    url = reverse("publicity:post-detail", args=[draft.pk])
    page = client_as("staff").get(url).content.decode()
    assert 'data-testid="submit-post"' in page
    assert 'data-testid="approve-post"' not in page
    post_submit(post=draft, actor=cast["staff"].user)
    page = client_as("leader").get(url).content.decode()
    assert 'data-testid="approve-post"' in page
    assert 'data-testid="submit-post"' not in page
    assert 'data-testid="publish-post"' not in page


def test_the_edit_form_is_not_offered_to_someone_who_may_not_save_it(client_as, cast, draft):
    post_submit(post=draft, actor=cast["staff"].user)
    url = reverse("publicity:post-update", args=[draft.pk])
    assert client_as("leader").get(url).status_code == 403  # sees the submitted post, is not its author
    assert client_as("staff").get(url).status_code == 200  # the author, who is told on saving that it waits
