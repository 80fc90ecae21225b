"""Two at once: a double sign-in and two overlapping gap sweeps each have exactly one effect."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from assignments.models import ShiftAssignment
from assignments.services.gaps import duty_flag_gaps
from assignments.services.signin import shift_sign_in
from bureau.models import Notification
from tests.assignments.factories import ShiftAssignmentFactory, ShiftFactory
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),
]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def run_together(action, count: int = 2) -> list:
    barrier, results = threading.Barrier(count), []

    def worker():
        barrier.wait()
        try:
            results.append(action())
        except ValidationError as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_sign_ins_at_once_record_one():
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)))
    results = run_together(lambda: shift_sign_in(assignment=assignment, actor=assignment.person.user, now=NOW))
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert ShiftAssignment.objects.filter(signed_in_at=NOW).count() == 1


def test_two_gap_sweeps_at_once_flag_and_notify_once():
    supervisor = PersonFactory(role="office_head", user__password=None)
    for day in range(3):
        ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 2, 20) + timedelta(days=day)))
    moments = iter([NOW, NOW + timedelta(microseconds=1)])
    lock = threading.Lock()

    def sweep():
        with lock:
            now = next(moments)
        return duty_flag_gaps(now=now).missed

    assert sum(run_together(sweep)) == 3  # each missed sign-in flagged by one of the two
    assert sum(run_together(lambda: duty_flag_gaps(now=NOW + timedelta(minutes=1)).total)) == 0
    assert ShiftAssignment.objects.filter(missed_flagged_at__isnull=False).count() == 3
    notices = Notification.objects.filter(recipient=supervisor.user, kind="assignments.duty_gaps")
    assert sum(notice.body.count("\n") + 1 for notice in notices) == 3
