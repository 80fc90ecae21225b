"""Stored chain checks: written by the page, the command and the nightly task; breaks notify."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import ArchiveCheck, ArchiveRecord
from archive.services import archive_check_run
from archive.tasks import archive_check_run_task
from bureau.models import Notification
from tests.archive.factories import ArchiveRecordFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TABLE = ArchiveRecord._meta.db_table


def test_the_command_stores_its_check(db):
    ArchiveRecordFactory.create_batch(3)

    call_command("verify_archive", stdout=StringIO())

    check = ArchiveCheck.objects.get()
    assert (check.source, check.is_ok, check.records_checked, check.checked_by) == ("command", True, 3, None)
    assert check.last_hash == ArchiveRecord.objects.order_by("-pk").first().record_hash
    assert check.finished_at >= check.started_at


def test_the_command_stores_a_broken_check_too(tamper):
    records = ArchiveRecordFactory.create_batch(3)
    tamper(f'UPDATE "{TABLE}" SET summary = %s WHERE id = %s', ["篡改", records[1].pk])

    with pytest.raises(CommandError):
        call_command("verify_archive", stdout=StringIO())

    check = ArchiveCheck.objects.get()
    assert (check.is_ok, check.broken_record_id, check.broken_reason) == (False, records[1].pk, "content_changed")
    assert (check.broken_action, check.broken_at) == (records[1].action, records[1].created_at)
    assert check.broken_reason_text


def test_the_nightly_task_checks_once_per_office_day(db, travel):
    ArchiveRecordFactory.create_batch(2)
    travel.move_to(datetime(2026, 3, 2, 2, 40, tzinfo=SHANGHAI), tick=False)

    first = archive_check_run_task()
    again = archive_check_run_task()  # delivered twice: the day's run is taken, nothing is done

    assert first is not None
    assert again is None
    check = ArchiveCheck.objects.get()
    assert (check.source, check.is_ok, check.records_checked) == ("nightly", True, 2)

    travel.move_to(datetime(2026, 3, 3, 2, 40, tzinfo=SHANGHAI), tick=False)
    assert archive_check_run_task() != first
    assert ArchiveCheck.objects.count() == 2


def test_a_page_check_is_never_skipped(cast):
    archive_check_run(source=ArchiveCheck.Source.PAGE, actor=cast["leader"].user)
    archive_check_run(source=ArchiveCheck.Source.PAGE, actor=cast["leader"].user)

    assert ArchiveCheck.objects.filter(source="page", checked_by=cast["leader"].user).count() == 2


def test_a_break_notifies_those_who_may_check_once(cast, tamper):
    records = ArchiveRecordFactory.create_batch(3)
    tamper(f'DELETE FROM "{TABLE}" WHERE id = %s', [records[0].pk])

    archive_check_run(source=ArchiveCheck.Source.NIGHTLY)
    archive_check_run(source=ArchiveCheck.Source.COMMAND, now=ArchiveCheck.objects.get().started_at + timedelta(1))

    notices = Notification.objects.filter(kind="archive.chain_broken")
    notified = set(notices.values_list("recipient__username", flat=True))
    assert {cast["leader"].user.username, cast["admin"].user.username} <= notified
    assert cast["supervisor"].user.username not in notified
    assert cast["staff"].user.username not in notified
    assert Notification.objects.filter(kind="archive.chain_broken", recipient=cast["admin"].user).count() == 1
    assert Notification.objects.get(recipient=cast["admin"].user).link == reverse("archive:verify")


def test_an_intact_chain_notifies_nobody(cast):
    ArchiveRecordFactory.create_batch(2)

    archive_check_run(source=ArchiveCheck.Source.NIGHTLY)

    assert not Notification.objects.filter(kind="archive.chain_broken").exists()


def test_the_nightly_job_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="archive.tasks.archive_check_run_task")
    assert (job.crontab.minute, job.crontab.hour, job.enabled) == ("40", "2", True)


def test_the_admin_shows_checks_read_only(client_as):
    check = archive_check_run(source=ArchiveCheck.Source.COMMAND)
    admin = client_as("admin")

    assert admin.get(reverse("admin:archive_archivecheck_changelist")).status_code == 200
    assert admin.get(reverse("admin:archive_archivecheck_change", args=[check.pk])).status_code == 200
    assert admin.get(reverse("admin:archive_archivecheck_add")).status_code == 403
    response = admin.post(reverse("admin:archive_archivecheck_change", args=[check.pk]), {"is_ok": ""})
    assert response.status_code == 403
    check.refresh_from_db()
    assert check.is_ok
