"""Publicity posts: draft → submitted → approved or returned by a leader in charge → published.
Every step locks the post, re-checks its state and writes its archive record.

Proofreading (``proofing``): a submission with hits is warned, not blocked (the page shows them
and the message says how many are open); an approval is refused while any hit is neither fixed
nor acknowledged (``post_approve``)."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import Department
from bureau.search import SEARCH_COLUMNS, search_fill
from bureau.types import AnyUser
from proofing.services import proof_acknowledge, proof_require_clear
from publicity.models import Platform, PublicityPost
from publicity.policies import post_require
from publicity.selectors import post_texts
from publicity.services._common import leaders_in_charge, notify, person_of

POST_FIELDS = ("title", "body", "department", "platform", "planned_on")


def _snapshot(post: PublicityPost, fields: Iterable[str]) -> dict:
    values = {}
    for name in fields:
        value = getattr(post, f"{name}_id") if name in ("department", "platform") else getattr(post, name)
        values[name] = value
    return values


def _locked(post: PublicityPost) -> PublicityPost:
    return PublicityPost.objects.select_for_update().get(pk=post.pk)


@transaction.atomic
def post_create(
    *,
    actor: AnyUser,
    title: str,
    body: str,
    department: Department,
    platform: Platform,
    planned_on: date,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """A new draft written by the actor."""
    now = now or clock.now()
    author = person_of(actor)
    post = PublicityPost(
        title=title,
        body=body,
        department=department,
        platform=platform,
        planned_on=planned_on,
        author=author,
        created_at=now,
        updated_at=now,
    )
    search_fill(post).save(force_insert=True)  # with its search columns (bureau.search)
    archive_record(
        action="publicity.publicitypost.created",
        actor=actor,
        target=post,
        summary=post.title,
        after={**_snapshot(post, POST_FIELDS), "state": post.state},
        request=request,
        now=now,
    )
    return post


@transaction.atomic
def post_update(
    *,
    post: PublicityPost,
    actor: AnyUser,
    now: datetime | None = None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> PublicityPost:
    """The author edits a draft or a returned post. Anything else (submitted, approved, published)
    is refused: what a leader approved is what goes out."""
    now = now or clock.now()
    unknown = set(changes) - set(POST_FIELDS)
    if unknown:
        raise TypeError(f"post_update() got unexpected fields: {sorted(unknown)}")
    post = _locked(post)
    post_require(actor, post, "edit")
    before = _snapshot(post, changes)
    for name, value in changes.items():
        setattr(post, name, value)
    after = _snapshot(post, changes)
    changed = [name for name in changes if before[name] != after[name]]
    if not changed:
        return post
    post.updated_at = now
    search_fill(post)  # the title and text are searched
    post.save(update_fields=[*changed, "updated_at", *SEARCH_COLUMNS])
    archive_record(
        action="publicity.publicitypost.edited",
        actor=actor,
        target=post,
        summary=post.title,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        request=request,
        now=now,
    )
    return post


@transaction.atomic
def post_submit(
    *, post: PublicityPost, actor: AnyUser, now: datetime | None = None, request: HttpRequest | None = None
) -> PublicityPost:
    """The author sends a draft (or a returned post, edited) to the leaders for approval."""
    now = now or clock.now()
    post = _locked(post)
    post_require(actor, post, "submit")
    before = {"state": post.state}
    post.state, post.submitted_at, post.updated_at = PublicityPost.State.SUBMITTED, now, now
    post.save(update_fields=["state", "submitted_at", "updated_at"])
    archive_record(
        action="publicity.publicitypost.submitted",
        actor=actor,
        target=post,
        summary=post.title,
        before=before,
        after={"state": post.state},
        request=request,
        now=now,
    )
    notify(
        people=leaders_in_charge(),
        kind="publicity.submitted",
        key=f"publicity.submitted:{post.pk}:{now.isoformat()}",
        title=_("Publicity post to approve: %(title)s") % {"title": post.title},
        body=_("%(author)s submitted a publicity post for approval.") % {"author": post.author.name},
        link=reverse("publicity:post-detail", args=[post.pk]),
        now=now,
    )
    return post


@transaction.atomic
def post_withdraw(
    *, post: PublicityPost, actor: AnyUser, now: datetime | None = None, request: HttpRequest | None = None
) -> PublicityPost:
    """The author takes a submission back before a leader has decided; it becomes a draft again."""
    now = now or clock.now()
    post = _locked(post)
    post_require(actor, post, "withdraw")
    post.state, post.updated_at = PublicityPost.State.DRAFT, now
    post.save(update_fields=["state", "updated_at"])
    archive_record(
        action="publicity.publicitypost.withdrawn",
        actor=actor,
        target=post,
        summary=post.title,
        before={"state": PublicityPost.State.SUBMITTED},
        after={"state": post.state},
        request=request,
        now=now,
    )
    return post


def _review(
    *, post: PublicityPost, actor: AnyUser, approve: bool, comment: str, now: datetime, request: HttpRequest | None
) -> PublicityPost:
    post = _locked(post)
    post_require(actor, post, "review")
    reviewer = person_of(actor)
    if approve:
        proof_require_clear(subject=post, texts=post_texts(post))  # the text checked again, as it stands
    before = {"state": post.state}
    post.state = PublicityPost.State.APPROVED if approve else PublicityPost.State.RETURNED
    post.reviewer, post.reviewed_at, post.review_comment, post.updated_at = reviewer, now, comment, now
    post.save(update_fields=["state", "reviewer", "reviewed_at", "review_comment", "updated_at"])
    verb = "approved" if approve else "returned"
    archive_record(
        action=f"publicity.publicitypost.{verb}",
        actor=actor,
        target=post,
        summary=comment or post.title,
        before=before,
        after={"state": post.state, "comment": comment},
        request=request,
        now=now,
    )
    if approve:
        title = _("Publicity post approved: %(title)s") % {"title": post.title}
    else:
        title = _("Publicity post returned: %(title)s") % {"title": post.title}
    notify(
        people=[post.author],
        kind=f"publicity.{verb}",
        key=f"publicity.{verb}:{post.pk}:{now.isoformat()}",
        title=title,
        body=comment,
        link=reverse("publicity:post-detail", args=[post.pk]),
        now=now,
    )
    return post


@transaction.atomic
def post_approve(
    *,
    post: PublicityPost,
    actor: AnyUser,
    comment: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """A leader in charge approves a submitted post (not their own)."""
    return _review(
        post=post, actor=actor, approve=True, comment=comment.strip(), now=now or clock.now(), request=request
    )


@transaction.atomic
def post_return(
    *,
    post: PublicityPost,
    actor: AnyUser,
    comment: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """A leader in charge sends a submitted post back to its author, saying why."""
    if not comment.strip():
        raise ValidationError(_("Say why the post is returned."))
    return _review(
        post=post, actor=actor, approve=False, comment=comment.strip(), now=now or clock.now(), request=request
    )


@transaction.atomic
def post_proof_acknowledge(
    *,
    post: PublicityPost,
    actor: AnyUser,
    reasons: Mapping[str, str],
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """The author or a leader in charge records that proofreading hits stay as written, and why
    (``reasons``: each hit's key and its reason; all or none, see ``proof_acknowledge``)."""
    post = _locked(post)
    post_require(actor, post, "acknowledge")
    proof_acknowledge(actor=actor, subject=post, texts=post_texts(post), reasons=reasons, request=request, now=now)
    return post


def _check_publication(published_on: date, now: datetime) -> None:
    if published_on > timezone.localdate(now):
        raise ValidationError(_("The publication date cannot be in the future."))


@transaction.atomic
def post_publish(
    *,
    post: PublicityPost,
    actor: AnyUser,
    published_on: date,
    link: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """Record that an approved post went out: the date, and the link where it can be read."""
    now = now or clock.now()
    post = _locked(post)
    post_require(actor, post, "publish")
    _check_publication(published_on, now)
    before = {"state": post.state}
    post.state, post.published_on, post.link = PublicityPost.State.PUBLISHED, published_on, link
    post.published_by, post.updated_at = person_of(actor), now
    post.save(update_fields=["state", "published_on", "link", "published_by", "updated_at"])
    archive_record(
        action="publicity.publicitypost.published",
        actor=actor,
        target=post,
        summary=post.title,
        before=before,
        after={"state": post.state, "published_on": published_on, "link": link},
        request=request,
        now=now,
    )
    return post


@transaction.atomic
def post_correct_publication(
    *,
    post: PublicityPost,
    actor: AnyUser,
    published_on: date,
    link: str,
    reason: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublicityPost:
    """Correct the date or link of a published post. Never silent: a reason is required and the
    archive keeps the old and new values. The approved text itself cannot change."""
    now = now or clock.now()
    if not reason.strip():
        raise ValidationError(_("Say why the publication details are corrected."))
    post = _locked(post)
    post_require(actor, post, "correct")
    _check_publication(published_on, now)
    before = {"published_on": post.published_on, "link": post.link}
    if before == {"published_on": published_on, "link": link}:
        return post
    post.published_on, post.link, post.updated_at = published_on, link, now
    post.save(update_fields=["published_on", "link", "updated_at"])
    archive_record(
        action="publicity.publicitypost.corrected",
        actor=actor,
        target=post,
        summary=reason.strip(),
        before=before,
        after={"published_on": published_on, "link": link},
        request=request,
        now=now,
    )
    return post
