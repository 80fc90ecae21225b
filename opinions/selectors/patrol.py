"""Reads of the patrol log."""

from django.db.models import QuerySet

from bureau.types import AnyUser
from opinions.models import PatrolRecord, PatrolRule


def patrol_record_list(*, user: AnyUser, section_id: int | None = None) -> QuerySet[PatrolRecord]:
    if not user.has_perm("opinions.view_patrol_log"):
        return PatrolRecord.objects.none()
    records = PatrolRecord.objects.select_related("section", "reviewer")
    if section_id:
        records = records.filter(section_id=section_id)
    return records.order_by("-reviewed_at", "-pk")


def patrol_rule_list(*, user: AnyUser) -> QuerySet[PatrolRule]:
    if not (user.has_perm("opinions.view_patrol_log") or user.has_perm("opinions.record_patrol")):
        return PatrolRule.objects.none()
    return PatrolRule.objects.filter(is_active=True, section__is_active=True).select_related("section__owner")
