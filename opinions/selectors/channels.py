"""Reads of channels and their health."""

from django.db.models import QuerySet

from bureau.types import AnyUser
from opinions.models import Channel


def channel_list(*, user: AnyUser) -> QuerySet[Channel]:
    if not (user.has_perm("opinions.view_channel_health") or user.has_perm("opinions.view_monitor")):
        return Channel.objects.none()
    return Channel.objects.select_related("section__owner").order_by("sort_order", "name")


def channels_for_entry() -> QuerySet[Channel]:
    return Channel.objects.active().select_related("section").order_by("sort_order", "name")
