"""The patrol log: reviews of a section's new posts, and the warning when a section goes unreviewed."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import Section
from bureau.selectors import person_for
from opinions.models import PatrolRecord, PatrolRule, Post

logger = logging.getLogger(__name__)


def patrol_rules_ensure(*, now: datetime | None = None) -> int:
    """Give every active section a rule with the default limit (idempotent). Returns how many were added."""
    now = now or clock.now()
    missing = Section.objects.filter(is_active=True, patrol_rule__isnull=True)
    rules = [PatrolRule(section=section) for section in missing]
    for rule in rules:
        rule.due_at = now + timedelta(minutes=rule.limit_minutes)
    PatrolRule.objects.bulk_create(rules, ignore_conflicts=True)
    return len(rules)


@transaction.atomic
def patrol_record_review(
    *, section: Section, actor, note: str = "", request=None, now: datetime | None = None
) -> PatrolRecord:
    """Record that the actor reviewed the section's new posts: they become read, the review is
    logged with how many there were, and the section's next review falls due."""
    now = now or clock.now()
    if not actor.has_perm("opinions.record_patrol"):
        raise PermissionDenied
    person = person_for(actor)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    rule, _created = PatrolRule.objects.select_for_update().get_or_create(section=section)
    new_posts = Post.objects.filter(section=section, status=Post.Status.NEW, found_at__lte=now)
    seen_ids = list(new_posts.values_list("pk", flat=True)[:5000])
    seen = Post.objects.filter(pk__in=seen_ids, status=Post.Status.NEW).update(status=Post.Status.READ)
    record = PatrolRecord.objects.create(
        section=section, reviewer=person, user=actor, reviewed_at=now, posts_seen=seen, note=note[:200]
    )
    rule.last_reviewed_at = now
    rule.due_at = now + timedelta(minutes=rule.limit_minutes)
    rule.warned_at = None
    rule.save(update_fields=["last_reviewed_at", "due_at", "warned_at"])
    archive_record(
        action="opinions.patrolrecord.created",
        actor=actor,
        request=request,
        target=record,
        summary=_("%(section)s: %(count)s new posts reviewed") % {"section": section, "count": seen},
        after={"section_id": section.pk, "posts_seen": seen, "post_ids": seen_ids[:500]},
        now=now,
    )
    return record


def _in_working_hours(rule: PatrolRule, moment: datetime) -> bool:
    local = timezone.localtime(moment)
    if rule.weekdays_only and local.weekday() >= 5:
        return False
    return rule.hours_start <= local.time() < rule.hours_end


def _effective_due(rule: PatrolRule, now: datetime) -> datetime:
    """A section left unreviewed overnight is due ``limit`` minutes after today's hours begin."""
    local = timezone.localtime(now)
    opening = timezone.make_aware(datetime.combine(local.date(), rule.hours_start))
    return max(rule.due_at, opening + timedelta(minutes=rule.limit_minutes))


def _people_on_duty(*, section: Section, now: datetime) -> list:
    """The logins to warn: whoever the duty roster has on duty now, and the section's owner."""
    from django.contrib.auth import get_user_model

    from assignments.selectors import on_duty_now

    person_ids = list(on_duty_now(now=now).values_list("person_id", flat=True))
    users = list(get_user_model().objects.filter(person__in=person_ids, is_active=True))
    owner_user = section.owner.user
    if owner_user not in users:
        users.append(owner_user)
    return users


def patrols_warn_overdue(*, now: datetime | None = None) -> int:
    """The beat job: warn once per lapse about each section unreviewed past its limit, in its
    working hours. Each warning is claimed with a conditional UPDATE, so two beats warn once."""
    from bureau.notifications import notification_create

    now = now or clock.now()
    patrol_rules_ensure(now=now)
    candidates = PatrolRule.objects.filter(is_active=True, warned_at__isnull=True, due_at__lt=now).select_related(
        "section__owner__user"
    )
    warned = 0
    for rule in candidates:
        if not _in_working_hours(rule, now) or _effective_due(rule, now) > now:
            continue
        with transaction.atomic():
            claimed = PatrolRule.objects.filter(pk=rule.pk, warned_at__isnull=True, due_at=rule.due_at).update(
                warned_at=now
            )
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
                    dedupe_key=f"opinions.patrol_overdue:{rule.section_id}:{rule.due_at.isoformat()}",
                    title=_("Section %(section)s has not been reviewed") % {"section": rule.section.name},
                    body=_("Last review: %(since)s. The limit is %(minutes)s minutes.")
                    % {"since": since, "minutes": rule.limit_minutes},
                    link=reverse("opinions:patrol-log"),
                    now=now,
                )
    return warned
