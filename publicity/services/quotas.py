"""Yearly quotas: changes from the admin, and the monthly behind-pace warning."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import bounds, clock
from bureau.models import Person, Role
from bureau.notifications import notification_create
from bureau.types import AnyUser
from publicity.models import PublicityQuota, QuotaWarning
from publicity.selectors import QuotaProgress, quota_progress_list

QUOTA_FIELDS = ("year", "department", "platform", "platform_kind", "minimum", "notes")


def _quota_values(quota: PublicityQuota) -> dict:
    return {
        name: getattr(quota, f"{name}_id") if name in ("department", "platform") else getattr(quota, name)
        for name in QUOTA_FIELDS
    }


@transaction.atomic
def quota_save(
    *, quota: PublicityQuota, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> PublicityQuota:
    """Create or change a quota (from the admin), recording the old and new values."""
    now = now or clock.now()
    created = quota.pk is None
    bounds.check_year(quota.year, today=timezone.localdate(now))
    before = {} if created else _quota_values(PublicityQuota.objects.select_for_update().get(pk=quota.pk))
    quota.full_clean()
    quota.save()
    after = _quota_values(quota)
    if not created and before == after:
        return quota
    archive_record(
        action="publicity.publicityquota.created" if created else "publicity.publicityquota.changed",
        actor=actor,
        target=quota,
        summary=str(quota),
        before=before,
        after=after,
        request=request,
        now=now,
    )
    return quota


@transaction.atomic
def quota_delete(
    *, quota: PublicityQuota, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> None:
    before, text, pk = _quota_values(quota), str(quota), quota.pk
    quota.delete()
    archive_record(
        action="publicity.publicityquota.deleted",
        actor=actor,
        target_type=PublicityQuota._meta.label_lower,
        target_id=str(pk),
        target_text=text,
        summary=text,
        before=before,
        request=request,
        now=now or clock.now(),
    )


def quotas_warn_behind_pace(*, now: datetime | None = None) -> int:
    """Warn the office heads about this year's quotas that are behind pace, at most once per quota
    and month (the ``QuotaWarning`` row is unique per month: a second run, or a second beat,
    finds it and sends nothing). Returns how many warnings this call sent."""
    now = now or clock.now()
    today = timezone.localdate(now)
    month = today.replace(day=1)
    sent = 0
    for progress in quota_progress_list(year=today.year, today=today):
        if not progress.is_behind:
            continue
        sent += _quota_warn(progress=progress, month=month, now=now)
    return sent


@transaction.atomic
def _quota_warn(*, progress: QuotaProgress, month: date, now: datetime) -> int:
    try:
        with transaction.atomic():
            warning = QuotaWarning.objects.create(
                quota=progress.quota,
                month=month,
                sent_at=now,
                published=progress.published,
                expected=progress.expected_by_now,
            )
    except IntegrityError:
        return 0
    archive_record(
        action="publicity.quotawarning.sent",
        target=warning,
        summary=str(progress.quota),
        after={"published": progress.published, "expected": progress.expected_by_now, "minimum": progress.minimum},
        now=now,
    )
    supervisors = Person.objects.active().filter(role=Role.OFFICE_HEAD).select_related("user")
    for person in supervisors:
        title = _("Publicity behind pace: %(scope)s") % {"scope": progress.quota.scope_label}
        body = _(
            "%(published)s of %(minimum)s posts published in %(year)s; %(expected)s were expected by now. "
            "%(pace)s a week are needed for the rest of the year."
        ) % {
            "published": progress.published,
            "minimum": progress.minimum,
            "year": progress.quota.year,
            "expected": progress.expected_by_now,
            "pace": progress.pace_needed_per_week,
        }
        notification_create(
            recipient=person.user,
            kind="publicity.behind_pace",
            dedupe_key=f"publicity.behind_pace:{progress.quota.pk}:{month:%Y-%m}",
            title=title,
            body=body,
            link=reverse("publicity:progress"),
            now=now,
        )
    return 1
