"""Changes to the organisation. Each writes its archive record (so this module sits above the
archive, unlike the rest of the core)."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from archive.services import archive_record
from bureau.models import Person, RoleGroup, User
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


def user_privileges(user: User) -> dict:
    """What makes a login powerful, as stored now (read from the database, not the edited form)."""
    stored = User.objects.get(pk=user.pk)
    return {
        "is_superuser": stored.is_superuser,
        "is_staff": stored.is_staff,
        "is_active": stored.is_active,
        "groups": sorted(stored.groups.values_list("name", flat=True)),
        "user_permissions": sorted(
            f"{app}.{codename}"
            for app, codename in stored.user_permissions.values_list("content_type__app_label", "codename")
        ),
    }


@transaction.atomic
def user_privileges_record(
    *, user: User, before: dict | None, actor: AnyUser | None = None, request: HttpRequest | None = None
) -> None:
    """Archive a change of a login's privileges (superuser, staff, active, groups, permissions),
    whoever made it and however (the admin's user page, a role change)."""
    after = user_privileges(user)
    if before is None or before == after:
        return
    changed = sorted(key for key in after if before.get(key) != after[key])
    archive_record(
        action="bureau.user.privileges_changed",
        actor=actor,
        request=request,
        target=user,
        summary=", ".join(changed),
        before={key: before.get(key) for key in changed},
        after={key: after[key] for key in changed},
    )
