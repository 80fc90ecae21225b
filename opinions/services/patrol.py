"""The patrol log: reviews of a section's new posts. The warning when a section goes unreviewed is
the duty roster's job and lives with it."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import Section, User
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
    *, section: Section, actor: User, note: str = "", request: HttpRequest | None = None, now: datetime | None = None
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
