"""Logins, logouts, failed logins and admin changes reach the archive through the real views."""

from datetime import timedelta

from django.urls import reverse

from archive.models import ArchiveRecord
from archive.services import archive_verify, record_content
from bureau.models import Department
from tests.factories import DepartmentFactory

OFFICE_ADDRESS = "198.51.100.7"


def _log_in(client, username: str, password: str, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=OFFICE_ADDRESS, **extra
    )


def test_login_and_logout_are_recorded(client, cast, password):
    user = cast["staff"].user

    response = _log_in(client, user.username, password)
    assert response.status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR=OFFICE_ADDRESS)

    logged_in = ArchiveRecord.objects.get(action="bureau.user.logged_in")
    logged_out = ArchiveRecord.objects.get(action="bureau.user.logged_out")
    for record in (logged_in, logged_out):
        assert record.actor == user
        assert record.actor_name == cast["staff"].name
        assert record.ip_address == OFFICE_ADDRESS
        assert (record.target_type, record.target_id) == ("bureau.user", str(user.pk))
    assert logged_out.pk > logged_in.pk
    assert archive_verify().ok


def test_a_failed_login_records_the_user_name_and_never_the_password(client, cast):
    wrong_password = "not-the-password-4711"

    response = _log_in(client, "cast-staff", wrong_password)

    assert response.status_code == 200
    record = ArchiveRecord.objects.get(action="bureau.user.login_failed")
    assert record.actor is None
    assert record.actor_name == "cast-staff"
    assert "cast-staff" in record.summary
    assert record.ip_address == OFFICE_ADDRESS
    assert wrong_password not in record_content(record)


def test_a_failed_login_for_an_unknown_user_is_recorded_too(client, db):
    _log_in(client, "nobody-here", "whatever-password")

    assert ArchiveRecord.objects.get(action="bureau.user.login_failed").actor_name == "nobody-here"


def test_a_forged_forwarded_for_header_does_not_change_the_recorded_address(client, cast, password):
    _log_in(client, "cast-staff", "wrong-password-1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    _log_in(client, "cast-staff", password, HTTP_X_FORWARDED_FOR="203.0.113.66")

    addresses = set(
        ArchiveRecord.objects.filter(action__startswith="bureau.user.").values_list("ip_address", flat=True)
    )
    assert addresses == {OFFICE_ADDRESS}


def test_a_logout_without_a_login_records_nothing(client, db):
    client.post(reverse("logout"))

    assert not ArchiveRecord.objects.filter(action="bureau.user.logged_out").exists()


def test_an_admin_change_is_recorded(client_as, cast):
    department = DepartmentFactory(name="宣传科", sort_order=1)

    response = client_as("admin").post(
        reverse("admin:bureau_department_change", args=[department.pk]),
        {"name": "宣传教育科", "description": "", "sort_order": 2},
    )

    assert response.status_code == 302
    record = ArchiveRecord.objects.get(action="admin.bureau.department.changed")
    assert record.actor == cast["admin"].user
    assert record.actor_name == cast["admin"].name
    assert (record.target_type, record.target_id, record.target_text) == (
        "bureau.department",
        str(department.pk),
        "宣传教育科",
    )
    assert record.summary
    assert "changed" in record.after["change_message"][0]
    assert archive_verify().ok


def test_admin_additions_and_deletions_are_recorded(client_as, cast):
    admin = client_as("admin")

    admin.post(reverse("admin:bureau_department_add"), {"name": "信访科", "description": "", "sort_order": 5})
    department = Department.objects.get(name="信访科")
    admin.post(reverse("admin:bureau_department_delete", args=[department.pk]), {"post": "yes"})

    assert not Department.objects.filter(pk=department.pk).exists()
    added = ArchiveRecord.objects.get(action="admin.bureau.department.added")
    deleted = ArchiveRecord.objects.get(action="admin.bureau.department.deleted")
    assert added.target_id == deleted.target_id == str(department.pk)
    assert deleted.target_text == "信访科"


def test_a_bulk_delete_in_the_admin_is_recorded(client_as):
    departments = DepartmentFactory.create_batch(2)

    client_as("admin").post(
        reverse("admin:bureau_department_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in departments], "post": "yes"},
    )

    assert not Department.objects.filter(pk__in=[d.pk for d in departments]).exists()
    assert ArchiveRecord.objects.filter(action="admin.bureau.department.deleted").count() == 2


def test_force_login_in_tests_is_recorded_without_an_address(client_as, cast):
    client_as("supervisor")

    record = ArchiveRecord.objects.get(action="bureau.user.logged_in", actor=cast["supervisor"].user)
    assert record.ip_address is None  # force_login's bare request has no REMOTE_ADDR


def test_a_flood_of_unknown_names_from_one_address_is_archived_once(client, cast, travel):
    """25 failed logins with random names from one machine: the first 10 one by one, then one
    summarised record, nothing more in the 15 minutes; a real name is always recorded. (From the
    30th failure on, the address is refused before anything is tried: test_login_throttle.py.)"""
    for attempt in range(25):
        client.post(reverse("login"), {"username": f"random-{attempt}", "password": "x"}, REMOTE_ADDR="10.0.0.99")
    records = ArchiveRecord.objects.filter(ip_address="10.0.0.99")
    assert records.filter(action="bureau.user.login_failed").count() == 10
    assert records.filter(action="bureau.user.login_flood").count() == 1
    client.post(reverse("login"), {"username": cast["staff"].user.username, "password": "x"}, REMOTE_ADDR="10.0.0.99")
    assert records.filter(action="bureau.user.login_failed").count() == 11  # a real name: recorded
    travel.shift(timedelta(minutes=16))
    client.post(reverse("login"), {"username": "random-again", "password": "x"}, REMOTE_ADDR="10.0.0.99")
    assert records.filter(action="bureau.user.login_failed").count() == 12  # a new window
