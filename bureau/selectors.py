"""Reads of the organisation, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from bureau.models import Equipment, Notification, Person, ResponsibilityArea, Section, TrainingRecord, User
from bureau.types import AnyUser


def person_for_user(*, user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("department").filter(user=user).first()


def responsibility_chain() -> QuerySet[ResponsibilityArea]:
    return ResponsibilityArea.objects.select_related("overall", "lead", "executor")


def section_list(*, owner: Person | None = None) -> QuerySet[Section]:
    sections = Section.objects.filter(is_active=True).select_related("owner", "owner__department")
    if owner is not None:
        sections = sections.filter(owner=owner)
    return sections


def phone_list() -> QuerySet[Person]:
    return Person.objects.active().select_related("department", "user")


def spokesperson_list() -> QuerySet[Person]:
    return Person.objects.spokespeople().select_related("department")


def equipment_list() -> QuerySet[Equipment]:
    return Equipment.objects.select_related("holder")


def training_list() -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.prefetch_related(Prefetch("attendees", queryset=Person.objects.order_by("name")))


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
