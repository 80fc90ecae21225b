"""Changes to the organisation. Each writes its archive record (so this module sits above the
archive, unlike the rest of the core)."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from archive.services import archive_record
from bureau.models import Person, RoleGroup
from bureau.types import AnyUser


@transaction.atomic
def person_sync_role(*, person: Person, actor: AnyUser | None = None, request: HttpRequest | None = None) -> Person:
    """Put the person's login in exactly the group of their role (and no other role group);
    administrators may use the Django admin."""
    user = person.user
    wanted = RoleGroup.FOR_ROLE[person.role]
    before = sorted(user.groups.filter(name__in=RoleGroup.ALL).values_list("name", flat=True))
    if before == [wanted] and user.is_staff == (wanted == RoleGroup.ADMINISTRATORS or user.is_superuser):
        return person
    user.groups.remove(*Group.objects.filter(name__in=RoleGroup.ALL).exclude(name=wanted))
    user.groups.add(Group.objects.get(name=wanted))
    user.is_staff = wanted == RoleGroup.ADMINISTRATORS or user.is_superuser
    user.save(update_fields=["is_staff"])
    archive_record(
        action="bureau.person.role_changed",
        actor=actor,
        request=request,
        target=person,
        summary=person.get_role_display(),
        before={"groups": before},
        after={"groups": [wanted], "role": person.role},
    )
    return person
