"""Media coverage, monthly platform statistics and the disclosure ledger."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from archive.services import archive_record
from bureau import clock
from bureau.models import Department, Person
from bureau.search import search_fill
from bureau.types import AnyUser
from publicity.models import DisclosureItem, MediaCoverage, MediaOutlet, Platform, PlatformStatistic, PublicityPost
from publicity.services._common import person_of


@transaction.atomic
def coverage_create(
    *,
    actor: AnyUser,
    outlet: MediaOutlet,
    reported_on: date,
    title: str,
    link: str = "",
    post: PublicityPost | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> MediaCoverage:
    now = now or clock.now()
    coverage = MediaCoverage(
        outlet=outlet,
        reported_on=reported_on,
        title=title,
        link=link,
        post=post,
        recorded_by=person_of(actor),
        recorded_at=now,
    )
    search_fill(coverage).save(force_insert=True)  # with its search columns (bureau.search)
    archive_record(
        action="publicity.mediacoverage.recorded",
        actor=actor,
        target=coverage,
        summary=title,
        after={"outlet": outlet.name, "reported_on": reported_on, "link": link, "post": post.pk if post else None},
        request=request,
        now=now,
    )
    return coverage


@transaction.atomic
def statistic_record(
    *,
    actor: AnyUser,
    platform: Platform,
    month: date,
    followers: int,
    posts_published: int,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PlatformStatistic:
    """Record (or correct) a platform's figures for a month; a correction keeps the old values in
    the archive."""
    now = now or clock.now()
    month = month.replace(day=1)
    recorder = person_of(actor)
    values = {"followers": followers, "posts_published": posts_published}
    statistic = PlatformStatistic.objects.select_for_update().filter(platform=platform, month=month).first()
    before: dict = {}
    if statistic is None:
        try:
            with transaction.atomic():
                statistic = PlatformStatistic.objects.create(
                    platform=platform, month=month, recorded_by=recorder, recorded_at=now, **values
                )
        except IntegrityError:  # recorded at the same moment by someone else: correct theirs below
            statistic = PlatformStatistic.objects.select_for_update().get(platform=platform, month=month)
        else:
            values = {}
    if values:
        before = {"followers": statistic.followers, "posts_published": statistic.posts_published}
        if before == values:
            return statistic
        statistic.followers, statistic.posts_published = followers, posts_published
        statistic.recorded_by, statistic.recorded_at = recorder, now
        statistic.save(update_fields=["followers", "posts_published", "recorded_by", "recorded_at"])
    archive_record(
        action="publicity.platformstatistic.recorded",
        actor=actor,
        target=statistic,
        summary=str(statistic),
        before=before,
        after={"followers": followers, "posts_published": posts_published},
        request=request,
        now=now,
    )
    return statistic


@transaction.atomic
def disclosure_create(
    *,
    actor: AnyUser,
    title: str,
    category: str,
    published_on: date,
    platform: Platform,
    department: Department,
    approved_by: Person,
    document_number: str = "",
    link: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> DisclosureItem:
    """Enter one item of government information published into the ledger."""
    now = now or clock.now()
    item = DisclosureItem(
        title=title,
        category=category,
        document_number=document_number,
        published_on=published_on,
        platform=platform,
        link=link,
        department=department,
        approved_by=approved_by,
        recorded_by=person_of(actor),
        recorded_at=now,
    )
    search_fill(item).save(force_insert=True)  # with its search columns (bureau.search)
    archive_record(
        action="publicity.disclosureitem.recorded",
        actor=actor,
        target=item,
        summary=title,
        after={
            "category": category,
            "published_on": published_on,
            "platform": platform.pk,
            "approved_by": approved_by.pk,
            "document_number": document_number,
            "link": link,
        },
        request=request,
        now=now,
    )
    return item
