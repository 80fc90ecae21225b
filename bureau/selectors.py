"""Reads of the organisation, each in a fixed number of queries."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from bureau.models import Equipment, Notification, Person, ResponsibilityArea, Section, TrainingRecord, User


def person_for(user: AbstractBaseUser | AnonymousUser | None) -> Person | None:
    """The bureau's person behind a login: None for no user, an anonymous one, or a login with no
    person (an administrator's). The one way code turns the acting user into a ``Person``; it reads
    Django's reverse one-to-one, so a second call for the same user object costs no query."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person  # type: ignore[attr-defined]  # the reverse one-to-one of Person.user
    except Person.DoesNotExist:
        return None


def acting_person(user: AbstractBaseUser | AnonymousUser | None) -> Person:
    """``person_for`` for someone about to act: a login with no person may not act (PermissionDenied)."""
    person = person_for(user)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    return person


def responsibility_chain() -> QuerySet[ResponsibilityArea]:
    return ResponsibilityArea.objects.select_related("overall", "lead", "executor")


def owned_section_ids(person: Person) -> tuple[int, ...]:
    """The ids of the sections the person owns (active or not), read once per ``Person`` object
    (so once per request: ``person_for`` hands out the same object). Lists filter on these
    constants rather than joining ``section__owner``: for someone owning no section the join made
    the planner walk every post or demand, and an empty tuple lets a list skip its query."""
    cached: tuple[int, ...] | None = getattr(person, "_owned_section_ids", None)
    if cached is None:
        cached = tuple(Section.objects.filter(owner=person).order_by("pk").values_list("pk", flat=True))
        person._owned_section_ids = cached  # type: ignore[attr-defined]
    return cached


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


def notification_unread_counts(*, user: User) -> tuple[int, int]:
    """Unread notices, and among them unread alert notices (the alert badge), in one query."""
    counts = Notification.objects.filter(recipient=user, read_at__isnull=True).aggregate(
        unread=Count("pk"), alerts=Count("pk", filter=Q(kind=Notification.ALERT_KIND))
    )
    return counts["unread"], counts["alerts"]
