"""Registering a demand (录入): by hand from a call, letter or petition, or in one click from a post."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from bureau import bounds, clock
from bureau.models import Department, Section, User
from bureau.search import search_fill
from opinions.models import Channel, Demand, DemandNumberCounter, Post, demand_number_text
from opinions.services.calendar import reply_deadline
from opinions.services.demand_rounds import round_start
from opinions.services.demands._common import _record, _require
from opinions.services.demands.waiting import demand_notify_waiting
from opinions.services.posts import post_handle
from opinions.services.similarity import demand_index

# Insert the year's row or add to it, in one statement: the row is locked by it (inserted, or
# updated ON CONFLICT) until the transaction ends, and two entries opening a new year at once do
# not both insert it (the second updates the first's row once it commits).
_NUMBERS_TAKE_SQL = f"""
    INSERT INTO {DemandNumberCounter._meta.db_table} AS counter (year, last) VALUES (%s, %s)
    ON CONFLICT (year) DO UPDATE SET last = counter.last + EXCLUDED.last
    RETURNING last
"""  # noqa: S608 - our table name


def demand_numbers_take(*, received_at: datetime, count: int = 1) -> list[str]:
    """The next ``count`` case numbers of the local year of ``received_at``. The year's counter row
    is locked until the caller's transaction ends, so concurrent entries queue for it, and a
    rolled-back entry gives its number back (no gaps)."""
    year = clock.local_year(received_at)
    if connection.vendor == "postgresql":
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(_NUMBERS_TAKE_SQL, [year, count])
            last = cursor.fetchone()[0]
    else:
        with transaction.atomic():
            # Insert-if-absent first: two entries opening a new year at once must not both insert it.
            DemandNumberCounter.objects.bulk_create([DemandNumberCounter(year=year)], ignore_conflicts=True)
            counter = DemandNumberCounter.objects.select_for_update().get(year=year)
            counter.last += count
            counter.save(update_fields=["last"])
            last = counter.last
    first = last - count + 1
    return [demand_number_text(year, sequence) for sequence in range(first, first + count)]


@transaction.atomic
def demand_create(
    *,
    actor: User,
    kind: str,
    channel: Channel,
    subject: str,
    content: str,
    citizen_name: str = "",
    citizen_contact: str = "",
    level: str = Demand.Level.III,
    department: Department | None = None,
    section: Section | None = None,
    about_bureau: bool = False,
    post: Post | None = None,
    received_at: datetime | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Record a demand (a hotline call, a letter, a petition, or a post). Its deadline is computed
    here, once, from the kind's reply window, and kept as its first round's."""
    now = now or clock.now()
    _require(actor, "opinions.enter_demand")
    subject, content = subject.strip(), content.strip()
    if not subject or not content:
        raise ValidationError(_("A demand needs a subject and its content."))
    if received_at is not None and received_at > now:
        raise ValidationError({"received_at": _("A demand cannot be received in the future.")})
    # Typed by hand: within bounds.DEMAND_ENTRY_DAYS_BACK days; from a post, when the post was found.
    bounds.check_moment(
        received_at, field="received_at", now=now, days_back=None if post else bounds.DEMAND_ENTRY_DAYS_BACK
    )
    received_at = received_at or now
    demand = Demand(
        number=demand_numbers_take(received_at=received_at)[0],
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
    search_fill(demand).save(force_insert=True)
    round_start(demand=demand, number=0, started_at=received_at, due_at=demand.due_at)
    demand_index(demand=demand, now=now)
    _record(
        "received",
        actor=actor,
        demand=demand,
        before={},
        after={"state": demand.state, "kind": kind, "due_at": demand.due_at.isoformat(), "post_id": demand.post_id},
        request=request,
        now=now,
    )
    # Nobody has it yet: its section's owner signs for it, or (no owner) the office head dispatches it.
    step = "claim" if demand.section is not None and demand.section.owner_id is not None else "assign"
    demand_notify_waiting(demand=demand, step=step, occasion="received", actor=actor, now=now)
    return demand


@transaction.atomic
def demand_create_from_post(
    *,
    post: Post,
    actor: User,
    kind: str,
    subject: str = "",
    content: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
    **fields: Any,
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
