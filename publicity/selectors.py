"""Reads of publicity: the user-scoped lists, the approval queue, quota progress (the one place the
figure is computed), outlets with counts and the monthly statistics table."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from archive.selectors import kept_while_unchanged
from bureau import clock
from bureau.models import Person
from bureau.rates import percent_text, rate
from bureau.types import AnyUser
from proofing.selectors import Proof, Text, proof_read
from publicity.filters import DisclosureItemFilter, MediaCoverageFilter, PublicityPostFilter
from publicity.models import (
    DisclosureItem,
    MediaCoverage,
    MediaOutlet,
    Platform,
    PlatformStatistic,
    PublicityPost,
    PublicityPostQuerySet,
    PublicityQuota,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from publicity.filters import DisclosureItemFilter, MediaCoverageFilter, PublicityPostFilter


def _posts() -> PublicityPostQuerySet:
    return PublicityPost.objects.select_related(
        "department", "author", "platform", "reviewer", "published_by"
    ).annotate(shown_on=Coalesce("published_on", "planned_on"))


def post_filterset(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> "PublicityPostFilter":
    """The bound ``PublicityPostFilter`` over the posts the user may see (everything past the
    draft stage, and their own drafts), newest first; the page shows its form and ``.qs``."""

    if not user.has_perm("publicity.view_publicitypost"):
        posts = PublicityPost.objects.none()
    else:
        posts = _posts().visible_to(user).order_by("-shown_on", "-pk")
    return PublicityPostFilter(filters or {}, queryset=posts)


def post_list(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> QuerySet[PublicityPost]:
    """The rows of ``post_filterset``; invalid filter values are ignored."""
    return post_filterset(user=user, filters=filters).qs


def post_get(*, user: AnyUser, pk: int) -> PublicityPost:
    """One post the user may see; ``PublicityPost.DoesNotExist`` otherwise (the view's 404)."""
    return post_list(user=user).get(pk=pk)


def post_list_mine(*, user: AnyUser) -> QuerySet[PublicityPost]:
    """The user's own posts, last changed first. The author is a scalar subquery (a user is at most
    one person), not a join on the person's user: PostgreSQL then reads publicity_author_recent_idx
    for that one author in the page's order and stops at the page, where through the join it read
    and sorted every post of the author (8,333 at 100,000 posts, 23 ms)."""
    if not user.is_authenticated:
        return PublicityPost.objects.none()  # an anonymous user has no posts (and no pk to look up)
    author = Person.objects.filter(user_id=user.pk).order_by().values("pk")[:1]
    return _posts().filter(author_id=Subquery(author)).order_by("-updated_at", "-pk")


def approval_queue(*, user: AnyUser) -> QuerySet[PublicityPost]:
    """Submitted posts waiting for a leader, oldest first; the user's own are not theirs to approve."""
    if not user.has_perm("publicity.approve_publicitypost"):
        return PublicityPost.objects.none()
    return (
        _posts().filter(state=PublicityPost.State.SUBMITTED).exclude(author__user=user).order_by("submitted_at", "pk")
    )


def approval_queue_count(*, user: AnyUser) -> int:
    if not user.has_perm("publicity.approve_publicitypost"):
        return 0
    return PublicityPost.objects.filter(state=PublicityPost.State.SUBMITTED).exclude(author__user=user).count()


# --- Quota progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaProgress:
    """How far one quota is met. ``published`` counts published posts in the year in scope."""

    quota: PublicityQuota
    published: int
    met_on: date | None
    elapsed_days: int
    days_in_year: int

    @property
    def minimum(self) -> int:
        return self.quota.minimum

    @property
    def percent(self) -> Decimal | None:
        """Quota progress (任务完成率): published ÷ quota, a rate like any other (``bureau.rates.rate``:
        29 of 30 is Decimal("96.7"), one decimal, half-up; may exceed 100; None for a quota of 0)."""
        return rate(self.published, self.minimum)

    @property
    def percent_figure(self) -> str:
        """The progress as the number before the "%" sign: "96.7", "100.0", "—" for a quota of 0."""
        return percent_text(self.percent).removesuffix("%")

    @property
    def bar_percent(self) -> int:
        """For the progress bar only (whole steps, at most 100), never shown as a figure."""
        return min(int(self.percent or 0), 100)

    @property
    def is_met(self) -> bool:
        return self.met_on is not None

    @property
    def is_met_early(self) -> bool:
        return self.met_on is not None and self.met_on < date(self.quota.year, 12, 31)

    @property
    def remaining(self) -> int:
        return max(self.minimum - self.published, 0)

    @property
    def remaining_days(self) -> int:
        return self.days_in_year - self.elapsed_days

    @property
    def pace_needed_per_week(self) -> Decimal:
        """Posts a week still needed to meet the quota by 31 December (all of them if no week is left)."""
        if not self.remaining:
            return Decimal("0.0")
        if self.remaining_days <= 0:
            return Decimal(self.remaining).quantize(Decimal("0.1"))
        return (Decimal(self.remaining) * 7 / self.remaining_days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def projection(self) -> int:
        """Published by the year's end if the pace so far holds."""
        if not self.elapsed_days:
            return self.published
        return int(
            (Decimal(self.published) * self.days_in_year / self.elapsed_days).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
        )

    @property
    def expected_by_now(self) -> int:
        """The quota spread evenly over the year, up to and including today."""
        return math.floor(self.minimum * self.elapsed_days / self.days_in_year)

    @property
    def is_behind(self) -> bool:
        return not self.is_met and self.published < self.expected_by_now


def _elapsed_days(year: int, today: date) -> tuple[int, int]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (end - start).days + 1
    if today < start:
        return 0, days_in_year
    if today > end:
        return days_in_year, days_in_year
    return (today - start).days + 1, days_in_year


def quota_progress_list(*, year: int, today: date | None = None) -> list[QuotaProgress]:
    """Progress of every quota of the year, the bureau's first, in two queries whatever the number
    of posts: published posts are counted per day with one column per quota (so the rows are at
    most the year's days however many posts there are), and each quota walks its column in date
    order to find its count and the day it was met."""
    today = today or clock.today()
    quotas = list(
        PublicityQuota.objects.filter(year=year)
        .select_related("department", "platform")
        .annotate(
            scope_order=ExpressionWrapper(
                Q(department__isnull=False) | Q(platform__isnull=False) | ~Q(platform_kind=""),
                output_field=BooleanField(),
            )
        )
        .order_by(
            "scope_order",
            "department__sort_order",
            "platform__sort_order",
            "platform_kind",
            "pk",
        )
    )
    if not quotas:
        return []
    # The bureau's own quota covers every post: a plain COUNT (an empty Q is no filter).
    columns = {
        f"quota_{index}": Count("pk", filter=covered) if (covered := quota.covered_posts()) else Count("pk")
        for index, quota in enumerate(quotas)
    }
    days = list(
        PublicityPost.objects.published()
        .filter(published_on__gte=date(year, 1, 1), published_on__lte=min(date(year, 12, 31), today))
        .values("published_on")
        .annotate(**columns)
        .order_by("published_on")
    )
    elapsed, days_in_year = _elapsed_days(year, today)
    progress = []
    for index, quota in enumerate(quotas):
        column = f"quota_{index}"
        published, met_on = 0, None
        for day in days:
            if not day[column]:
                continue  # a day with none of this quota's posts cannot be the day it was met
            published += day[column]
            if met_on is None and published >= quota.minimum:
                met_on = day["published_on"]
        progress.append(
            QuotaProgress(
                quota=quota, published=published, met_on=met_on, elapsed_days=elapsed, days_in_year=days_in_year
            )
        )
    return progress


def quota_progress_shown(*, year: int, today: date | None = None) -> list[QuotaProgress]:
    """``quota_progress_list`` for the pages that show it on every visit (the home panel, the
    publicity list, the quota page), kept while nothing changes (``kept_while_unchanged``: every
    publicity change writes a record; at 100,000 publicity posts its grouped count was ~16 ms of
    the office head's home page). Jobs and exports count it afresh."""
    today = today or clock.today()
    return kept_while_unchanged("quota-progress", (year, today), lambda: quota_progress_list(year=year, today=today))


def published_by_department(*, year: int, today: date | None = None) -> dict[int | None, int]:
    """Published publicity posts of the year per department (up to today, as quota progress counts
    them), whether or not the department has a quota: {department id: count}. One query."""
    today = today or clock.today()
    rows = (
        PublicityPost.objects.published()
        .filter(published_on__gte=date(year, 1, 1), published_on__lte=min(date(year, 12, 31), today))
        .values_list("department_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)


def quota_years() -> list[int]:
    return sorted(set(PublicityQuota.objects.values_list("year", flat=True)), reverse=True)


# --- Coverage, statistics, disclosure ------------------------------------------------------------


def coverage_filterset(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> "MediaCoverageFilter":

    if not user.has_perm("publicity.view_mediacoverage"):
        coverage = MediaCoverage.objects.none()
    else:
        coverage = MediaCoverage.objects.select_related("outlet", "post", "recorded_by").order_by("-reported_on", "-pk")
    return MediaCoverageFilter(filters or {}, queryset=coverage)


class _Reports(TypedDict):
    reports: int


def outlet_counts(*, year: int) -> "QuerySet[WithAnnotations[MediaOutlet, _Reports]]":
    """The outlets that reported the bureau in the year, with how often, most first."""
    in_year = Q(coverage__reported_on__year=year)
    return (
        MediaOutlet.objects.annotate(reports=Count("coverage", filter=in_year))
        .filter(reports__gt=0)
        .order_by("-reports", "sort_order", "name")
    )


def coverage_years() -> list[int]:
    years = {day.year for day in MediaCoverage.objects.dates("reported_on", "year")}
    return sorted(years | {clock.today().year}, reverse=True)


@dataclass(frozen=True)
class StatisticRow:
    platform: Platform
    cells: list  # one PlatformStatistic or None per month

    @property
    def posts_total(self) -> int:
        return sum(cell.posts_published for cell in self.cells if cell)


def statistic_table(*, year: int) -> list[StatisticRow]:
    """Platforms (rows) × months (columns) of the year, in two queries."""
    statistics = PlatformStatistic.objects.filter(month__year=year).select_related("platform")
    by_platform: dict[int, dict[int, PlatformStatistic]] = {}
    for statistic in statistics:
        by_platform.setdefault(statistic.platform_id, {})[statistic.month.month] = statistic
    platforms = Platform.objects.filter(Q(pk__in=by_platform) | Q(is_active=True, kind__in=STATISTIC_KINDS))
    return [
        StatisticRow(platform=platform, cells=[by_platform.get(platform.pk, {}).get(month) for month in range(1, 13)])
        for platform in platforms
    ]


STATISTIC_KINDS = [Platform.Kind.BUREAU_SITE, Platform.Kind.MICROBLOG, Platform.Kind.WECHAT]


def disclosure_filterset(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> "DisclosureItemFilter":

    if not user.has_perm("publicity.view_disclosureitem"):
        items = DisclosureItem.objects.none()
    else:
        items = DisclosureItem.objects.select_related("platform", "department", "approved_by", "recorded_by").order_by(
            "-published_on", "-pk"
        )
    return DisclosureItemFilter(filters or {}, queryset=items)


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class PublicitySummary:
    """Section 3 of the year-end summary: published against the quota, the media that reported
    the bureau, the platforms' figures and the disclosure ledger, from the same selectors as the pages."""

    year: int
    published: int
    progress_list: list[QuotaProgress]
    outlets: list["WithAnnotations[MediaOutlet, _Reports]"]
    reports_by_level: dict[str, int]
    disclosures_by_category: dict[str, int]

    @property
    def bureau_progress(self) -> QuotaProgress | None:
        return next((p for p in self.progress_list if not p.quota.is_scoped), None)


def publicity_summary(*, year: int, today: date | None = None) -> PublicitySummary:
    outlets = list(outlet_counts(year=year))
    reports_by_level: dict[str, int] = {}
    for outlet in outlets:
        reports_by_level[outlet.level] = reports_by_level.get(outlet.level, 0) + outlet.reports
    disclosures = (
        DisclosureItem.objects.filter(published_on__year=year)
        .values_list("category")
        .annotate(count=Count("pk"))
        .order_by("category")
    )
    return PublicitySummary(
        year=year,
        published=PublicityPost.objects.published().filter(published_on__year=year).count(),
        progress_list=quota_progress_list(year=year, today=today),
        outlets=outlets,
        reports_by_level=reports_by_level,
        disclosures_by_category=dict(disclosures),
    )


def post_texts(post: PublicityPost) -> list[Text]:
    """What of a post goes out, and so is proofread: its title and text."""
    return [
        Text("title", str(PublicityPost._meta.get_field("title").verbose_name), post.title),
        Text("body", str(PublicityPost._meta.get_field("body").verbose_name), post.body),
    ]


def post_proof(post: PublicityPost) -> Proof:
    """The proofreading of a post as it stands, with the acknowledgements recorded for it."""
    return proof_read(subject=post, texts=post_texts(post))
