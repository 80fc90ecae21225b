"""The warning when a website section goes unreviewed past its limit: the duty roster's job, since
whoever is on duty is warned (with the section's owner)."""

from datetime import datetime, timedelta
from typing import cast

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.selectors import on_duty_now
from bureau import clock
from bureau.models import Section, User
from bureau.notifications import notification_create
from opinions.models import PatrolRule
from opinions.services.patrol import patrol_rules_ensure


def _in_working_hours(rule: PatrolRule, moment: datetime) -> bool:
    local = timezone.localtime(moment)
    if rule.weekdays_only and local.weekday() >= 5:
        return False
    return rule.hours_start <= local.time() < rule.hours_end


def _effective_due(rule: PatrolRule, now: datetime) -> datetime:
    """A section left unreviewed overnight is due ``limit`` minutes after today's hours begin."""
    local = timezone.localtime(now)
    opening = timezone.make_aware(datetime.combine(local.date(), rule.hours_start))
    after_opening = opening + timedelta(minutes=rule.limit_minutes)
    return after_opening if rule.due_at is None else max(rule.due_at, after_opening)


def _people_on_duty(*, section: Section, now: datetime) -> list[User]:
    """The logins to warn: whoever the duty roster has on duty now, and the section's owner."""
    person_ids = list(on_duty_now(now=now).values_list("person_id", flat=True))
    users = list(get_user_model().objects.filter(person__in=person_ids, is_active=True))
    owner_user = section.owner.user
    if owner_user not in users:
        users.append(owner_user)
    return users


def patrols_warn_overdue(*, now: datetime | None = None) -> int:
    """The beat job: warn once per lapse about each section unreviewed past its limit, in its
    working hours. Each warning is claimed with a conditional UPDATE, so two beats warn once."""
    now = now or clock.now()
    patrol_rules_ensure(now=now)
    candidates = PatrolRule.objects.filter(is_active=True, warned_at__isnull=True, due_at__lt=now).select_related(
        "section__owner__user"
    )
    warned = 0
    for rule in candidates:
        due_at = cast(datetime, rule.due_at)  # never None here: the candidates are filtered on it
        if not _in_working_hours(rule, now) or _effective_due(rule, now) > now:
            continue
        with transaction.atomic():
            claimed = PatrolRule.objects.filter(pk=rule.pk, warned_at__isnull=True, due_at=due_at).update(warned_at=now)
            if not claimed:
                continue
            warned += 1
            since = (
                timezone.localtime(rule.last_reviewed_at).strftime("%Y-%m-%d %H:%M")
                if rule.last_reviewed_at
                else _("never")
            )
            for user in _people_on_duty(section=rule.section, now=now):
                notification_create(
                    recipient=user,
                    kind="opinions.patrol_overdue",
                    dedupe_key=f"opinions.patrol_overdue:{rule.section_id}:{due_at.isoformat()}",
                    title=_("Section %(section)s has not been reviewed") % {"section": rule.section.name},
                    body=_("Last review: %(since)s. The limit is %(minutes)s minutes.")
                    % {"since": since, "minutes": rule.limit_minutes},
                    link=reverse("opinions:patrol-log"),
                    now=now,
                )
    return warned
