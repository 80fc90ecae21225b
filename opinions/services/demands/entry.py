"""Registering a demand (录入): by hand from a call, letter or petition, or in one click from a post."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau import clock
from opinions.models import Channel, Demand, Post
from opinions.services.calendar import reply_deadline
from opinions.services.demand_rounds import round_start
from opinions.services.demands._common import _record, _require
from opinions.services.posts import post_handle


@transaction.atomic
def demand_create(
    *,
    actor,
    kind: str,
    channel: Channel,
    subject: str,
    content: str,
    citizen_name: str = "",
    citizen_contact: str = "",
    level: str = Demand.Level.III,
    department=None,
    section=None,
    about_bureau: bool = False,
    post: Post | None = None,
    received_at: datetime | None = None,
    request=None,
    now: datetime | None = None,
) -> Demand:
    """Record a demand (a hotline call, a letter, a petition, or a post). Its deadline is computed
    here, once, from the kind's reply window, and kept as its first round's."""
    now = now or clock.now()
    _require(actor, "opinions.enter_demand")
    subject, content = subject.strip(), content.strip()
    if not subject or not content:
        raise ValidationError(_("A demand needs a subject and its content."))
    received_at = received_at or now
    if received_at > now:
        raise ValidationError(_("A demand cannot be received in the future."))
    demand = Demand.objects.create(
        kind=kind,
        channel=channel,
        post=post,
        section=section if section is not None else (post.section if post else channel.section),
        subject=subject[:300],
        content=content,
        citizen_name=citizen_name.strip(),
        citizen_contact=citizen_contact.strip(),
        level=level,
        department=department,
        about_bureau=about_bureau,
        received_at=received_at,
        due_at=reply_deadline(kind=kind, received_at=received_at),
        created_by=actor,
    )
    round_start(demand=demand, number=0, started_at=received_at, due_at=demand.due_at)
    _record(
        "received",
        actor=actor,
        demand=demand,
        before={},
        after={"state": demand.state, "kind": kind, "due_at": demand.due_at.isoformat(), "post_id": demand.post_id},
        request=request,
        now=now,
    )
    return demand


@transaction.atomic
def demand_create_from_post(
    *, post: Post, actor, kind: str, subject: str = "", content: str = "", request=None, now=None, **fields
) -> Demand:
    """One click on a post: a demand prefilled from it (received when the post was found) and the
    post marked followed up. A post already turned into a demand is refused."""

    now = now or clock.now()
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.demands.exists():
        raise ValidationError(_("A demand has already been created from this post."))
    demand = demand_create(
        actor=actor,
        kind=kind,
        channel=post.channel,
        post=post,
        section=post.section,
        subject=subject or post.title,
        content=content or post.body or post.title,
        citizen_name=fields.pop("citizen_name", post.author),
        received_at=min(post.found_at, now),
        request=request,
        now=now,
        **fields,
    )
    if post.status in (Post.Status.NEW, Post.Status.READ):
        post_handle(post=post, actor=actor, status=Post.Status.FOLLOWED_UP, note=_("Demand created"), now=now)
    return demand
