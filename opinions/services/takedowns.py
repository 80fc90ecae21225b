"""The takedown queue: confirm (the post keeps its text, its status becomes taken down), clear as a
false alarm, or — supervisors only — undo a takedown. Each decision is archived with who and why."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import User
from opinions.models import Post, ScreeningCategory
from opinions.services.evidence import post_snapshot_taken_down


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update().get(pk=post.pk)


@transaction.atomic
def takedown_confirm(
    *,
    post: Post,
    actor: User,
    category: ScreeningCategory,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Post:
    """Take a post down. Works on a flagged post, and on any other post a person finds prohibited."""
    now = now or clock.now()
    if not actor.has_perm("opinions.take_down_post"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give the reason for the takedown."))
    post = _locked(post)
    if post.status == Post.Status.TAKEN_DOWN:
        raise ValidationError(_("This post has already been taken down."))
    before = {"status": post.status, "screening": post.screening, "category_id": post.category_id}
    post.status_before_takedown = post.status
    post.status = Post.Status.TAKEN_DOWN
    post.screening = Post.Screening.CONFIRMED
    post.category = category
    post.decided_at, post.decided_by, post.decision_reason = now, actor, reason.strip()
    post.save(
        update_fields=[
            "status_before_takedown",
            "status",
            "screening",
            "category",
            "decided_at",
            "decided_by",
            "decision_reason",
        ]
    )
    archive_record(
        action="opinions.post.taken_down",
        actor=actor,
        request=request,
        target=post,
        summary=_("%(category)s: %(reason)s") % {"category": category.name, "reason": post.decision_reason},
        before=before,
        after={"status": post.status, "screening": post.screening, "category_id": category.pk, "reason": reason},
        now=now,
    )
    post_snapshot_taken_down(post=post, actor=actor, request=request, now=now)
    return post


@transaction.atomic
def takedown_clear(
    *, post: Post, actor: User, reason: str, request: HttpRequest | None = None, now: datetime | None = None
) -> Post:
    """Clear a flagged post as a false alarm; it leaves the takedown queue and keeps its status.
    Like a takedown, the decision needs its reason: the archive must say why prohibited-looking text
    was left up."""
    now = now or clock.now()
    if not actor.has_perm("opinions.take_down_post"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why it is a false alarm."))
    post = _locked(post)
    if post.screening != Post.Screening.FLAGGED:
        raise ValidationError(_("This post is no longer in the takedown queue."))
    before = {"screening": post.screening, "category_id": post.category_id}
    post.screening = Post.Screening.CLEARED
    post.decided_at, post.decided_by, post.decision_reason = now, actor, reason.strip()
    post.save(update_fields=["screening", "decided_at", "decided_by", "decision_reason"])
    archive_record(
        action="opinions.post.cleared",
        actor=actor,
        request=request,
        target=post,
        summary=reason,
        before=before,
        after={"screening": post.screening},
        now=now,
    )
    return post


@transaction.atomic
def takedown_undo(
    *, post: Post, actor: User, reason: str, request: HttpRequest | None = None, now: datetime | None = None
) -> Post:
    """Put a taken-down post back (supervisors only). It returns to the status it had before."""
    now = now or clock.now()
    if not actor.has_perm("opinions.undo_takedown"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give the reason for undoing the takedown."))
    post = _locked(post)
    if post.status != Post.Status.TAKEN_DOWN:
        raise ValidationError(_("This post is not taken down."))
    before = {"status": post.status, "screening": post.screening, "category_id": post.category_id}
    post.status = post.status_before_takedown or Post.Status.READ
    post.status_before_takedown = ""
    post.screening = Post.Screening.CLEARED
    post.decided_at, post.decided_by, post.decision_reason = now, actor, reason.strip()
    post.save(
        update_fields=["status", "status_before_takedown", "screening", "decided_at", "decided_by", "decision_reason"]
    )
    archive_record(
        action="opinions.post.takedown_undone",
        actor=actor,
        request=request,
        target=post,
        summary=reason,
        before=before,
        after={"status": post.status, "screening": post.screening},
        now=now,
    )
    return post
