"""In the admin, an administrator manages people but cannot raise anyone's privileges, their own
least; a superuser can, never on their own account; every change of privileges is archived."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from archive.models import ArchiveRecord
from bureau.admin import PersonInline
from bureau.models import User
from bureau.services import user_privileges, user_privileges_record
from tests.factories import UserFactory

PRIVILEGES = {"is_superuser", "is_staff", "groups", "user_permissions"}


def _form_fields(acting: User, edited: User) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = acting
    user_admin = admin.site._registry[User]
    return set(user_admin.get_form(request, edited, change=True).base_fields)


def test_an_administrator_cannot_touch_privileges_on_their_own_account_or_anyone_elses(cast):
    administrator = cast["admin"].user
    assert not administrator.is_superuser
    assert _form_fields(administrator, administrator) & PRIVILEGES == set()
    assert _form_fields(administrator, cast["staff"].user) & PRIVILEGES == set()
    assert "username" in _form_fields(administrator, cast["staff"].user)


def test_a_superuser_changes_others_privileges_but_not_their_own(db, cast):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert _form_fields(superuser, cast["staff"].user) >= PRIVILEGES
    assert _form_fields(superuser, superuser) & PRIVILEGES == set()


def test_nobody_changes_their_own_role(cast):
    request = RequestFactory().get("/admin/")
    request.user = cast["admin"].user
    inline = PersonInline(User, admin.site)
    assert inline.get_readonly_fields(request, cast["admin"].user) == ["role"]
    assert inline.get_readonly_fields(request, cast["staff"].user) == []


def test_every_change_of_privileges_is_archived(cast):
    staff = cast["staff"].user
    before = user_privileges(staff)
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    staff.groups.add(Group.objects.get_or_create(name="extra")[0])

    user_privileges_record(user=staff, before=before, actor=cast["admin"].user)

    record = ArchiveRecord.objects.get(action="bureau.user.privileges_changed", target_id=str(staff.pk))
    assert record.before["is_superuser"] is False
    assert record.after["is_superuser"] is True
    assert "extra" in record.after["groups"]
    assert record.summary == "groups, is_superuser"


def test_no_record_when_nothing_changed(cast):
    staff = cast["staff"].user
    user_privileges_record(user=staff, before=user_privileges(staff), actor=cast["admin"].user)
    assert not ArchiveRecord.objects.filter(action="bureau.user.privileges_changed").exists()


def test_the_user_pages_still_open_and_save_for_an_administrator(cast, client_as):
    client = client_as("admin")
    staff = cast["staff"].user
    page = client.get(f"/admin/bureau/user/{staff.pk}/change/")
    own = client.get(f"/admin/bureau/user/{cast['admin'].user.pk}/change/")
    assert (page.status_code, own.status_code) == (200, 200)
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="is_superuser"' not in own.content.decode()
