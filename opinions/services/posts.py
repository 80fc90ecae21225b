"""Posts entered by hand, opened, and handled (followed up, answered, filed)."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import bounds, clock
from bureau.models import Section, User
from bureau.types import AnyUser
from opinions.intake.items import IncomingItem, clean_text
from opinions.models import Channel, PendingImport, Post
from opinions.services.intake import posts_ingest


def post_enter(
    *,
    channel: Channel,
    actor: User,
    title: str,
    body: str = "",
    link: str = "",
    author: str = "",
    posted_at: datetime | None = None,
    section: Section | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Post:
    """Store a post typed in by a person (phone call, letter, a site without a feed).

    Screened like any other post. Entering the same text twice on one channel is refused."""
    now = now or clock.now()
    bounds.check_moment(posted_at, field="posted_at", now=now)
    item = IncomingItem(
        title=clean_text(title), body=clean_text(body), link=link.strip(), author=author.strip(), posted_at=posted_at
    )
    if not item.title:
        raise ValidationError(_("A post needs a title."))
    with transaction.atomic():
        if Post.objects.filter(channel=channel, dedupe_key=item.dedupe_key).exists():
            raise ValidationError(_("This post has already been recorded on this channel."))
        result = posts_ingest(
            channel=channel,
            items=[item],
            source=Post.Source.MANUAL,
            actor=actor,
            request=request,
            section=section,
            now=now,
        )
        assert result.created_ids is not None  # posts_ingest always lists what it created
        post = Post.objects.get(pk=result.created_ids[0])
        archive_record(
            action="opinions.post.entered",
            actor=actor,
            request=request,
            target=post,
            summary=post.title[:200],
            after={"channel": channel.name, "section_id": post.section_id, "screening": post.screening},
            now=now,
        )
    return post


@transaction.atomic
def post_view(*, post: Post, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None) -> Post:
    """Record that a person opened a post (the browsing record); a new post becomes read."""
    now = now or clock.now()
    before_status = post.status
    marked_read = Post.objects.filter(pk=post.pk, status=Post.Status.NEW).update(status=Post.Status.READ)
    if marked_read:
        post.status = Post.Status.READ
    archive_record(
        action="opinions.post.viewed",
        actor=actor,
        request=request,
        target=post,
        before={"status": before_status},
        after={"status": post.status},
        now=now,
    )
    return post


HANDLING_ACTIONS: dict[str, str] = {
    Post.Status.FOLLOWED_UP: "opinions.post.followed_up",
    Post.Status.ANSWERED: "opinions.post.answered",
    Post.Status.FILED: "opinions.post.filed",
}


@transaction.atomic
def post_handle(
    *,
    post: Post,
    actor: AnyUser,
    status: str,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Post:
    """Move a post to followed up, answered or filed. A taken-down post cannot be handled;
    a post still in the takedown queue must be decided first."""
    now = now or clock.now()
    if status not in HANDLING_ACTIONS:
        raise ValidationError(_("Unknown handling step."))
    if not actor.has_perm("opinions.handle_post"):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == Post.Status.TAKEN_DOWN:
        raise ValidationError(_("This post has been taken down."))
    if post.screening == Post.Screening.FLAGGED:
        raise ValidationError(_("This post is in the takedown queue: confirm or clear the takedown first."))
    before = {"status": post.status}
    post.status = status
    post.save(update_fields=["status"])
    archive_record(
        action=HANDLING_ACTIONS[status],
        actor=actor,
        request=request,
        target=post,
        summary=note,
        before=before,
        after={"status": status},
        now=now,
    )
    return post


# A preview left without a choice is forgotten after this.
PENDING_IMPORT_KEPT = timedelta(days=1)


def import_preview_keep(*, rows: list[dict[str, Any]], actor: User, now: datetime | None = None) -> str:
    """Keep a preview's good rows on the server until the person chooses; returns its token. Older
    forgotten previews go at the same time."""
    now = now or clock.now()
    PendingImport.objects.filter(created_at__lt=now - PENDING_IMPORT_KEPT).delete()
    token = secrets.token_urlsafe(24)
    PendingImport.objects.create(token=token, created_by=actor, rows=rows, created_at=now)
    return token


def import_preview_take(*, token: str | None, actor: User) -> list[dict[str, Any]] | None:
    """The rows kept under ``token`` by this person (nobody else's), removed as they are taken."""
    if not token:
        return None
    with transaction.atomic():
        pending = PendingImport.objects.select_for_update().filter(token=token, created_by=actor).first()
        if pending is None:
            return None
        pending.delete()
    return pending.rows


def posts_import(
    *, rows: list[dict[str, Any]], actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Store the checked rows of an import (``opinions.intake.tables.check_rows``), all or nothing.

    Rows already recorded on their channel are skipped, so importing a file twice stores it once."""
    now = now or clock.now()
    by_target: dict[tuple[int, int | None], list[IncomingItem]] = {}
    for row in rows:
        item = IncomingItem(
            title=clean_text(row["title"]),
            body=clean_text(row.get("body", "")),
            link=row.get("link", ""),
            author=row.get("author", ""),
            posted_at=datetime.fromisoformat(row["posted_at"]) if row.get("posted_at") else None,
        )
        by_target.setdefault((row["channel_id"], row.get("section_id")), []).append(item)
    totals = {"created": 0, "unchanged": 0, "flagged": 0}
    with transaction.atomic():
        sections: dict[int | None, Section] = {
            s.pk: s for s in Section.objects.filter(pk__in={key[1] for key in by_target if key[1]})
        }
        for (channel_id, section_id), items in by_target.items():
            result = posts_ingest(
                channel=Channel(pk=channel_id),
                items=items,
                source=Post.Source.IMPORT,
                actor=actor,
                request=request,
                section=sections.get(section_id),
                now=now,
            )
            totals["created"] += result.created
            totals["unchanged"] += result.unchanged + result.updated
            totals["flagged"] += result.flagged
        archive_record(
            action="opinions.post.imported",
            actor=actor,
            request=request,
            summary=_("%(created)s posts imported, %(unchanged)s already recorded") % totals,
            after=totals,
            now=now,
        )
    return totals
