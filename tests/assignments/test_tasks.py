"""The periodic jobs: seeded by migration, and the gap sweep run once by a real worker on Redis."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from assignments.models import ShiftAssignment
from assignments.tasks import county_tasks_flag_overdue_task, duty_flag_gaps_task, patrols_warn_overdue_task
from bureau import clock
from bureau.models import Notification
from tests.assignments.factories import ShiftAssignmentFactory, ShiftFactory, ShiftTypeFactory
from tests.bureau.test_celery import redis_worker, wait_until  # noqa: F401 - shared fixtures
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_migrations_seed_the_sweeps():
    jobs = dict(PeriodicTask.objects.filter(task__startswith="assignments.").values_list("task", "enabled"))
    assert jobs == {
        duty_flag_gaps_task.name: True,
        county_tasks_flag_overdue_task.name: True,
        patrols_warn_overdue_task.name: True,
    }


@pytest.mark.django_db
def test_the_patrol_warning_job_followed_its_task_to_assignments():
    job = PeriodicTask.objects.get(name="Warn about sections not reviewed in time")
    assert job.task == patrols_warn_overdue_task.name == "assignments.tasks.patrols_warn_overdue_task"
    assert not PeriodicTask.objects.filter(task="opinions.tasks.patrols_warn_overdue_task").exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_flags_a_missing_sign_in_and_tells_the_supervisor_once(redis_worker):  # noqa: F811
    # A real worker does not see moved time: the shift is built around the real clock.
    supervisor = PersonFactory(role="office_head", user__password=None)
    now = clock.now()
    local = timezone.localtime(now)
    starts = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    ends = (local + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    shift_type = ShiftTypeFactory(name="临时班", starts=starts, ends=ends)
    on = timezone.localdate(now - timedelta(hours=1))
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=shift_type, on=on))

    def sweeps():
        return [result for name, result in redis_worker.finished if name == duty_flag_gaps_task.name]

    duty_flag_gaps_task.delay()
    assert wait_until(lambda: sweeps()), "the worker ran nothing within 20 seconds"
    duty_flag_gaps_task.delay()  # a second run finds nothing to flag
    assert wait_until(lambda: len(sweeps()) == 2)

    assert sweeps() == [1, 0]
    assert ShiftAssignment.objects.get(pk=assignment.pk).late_flagged_at is not None
    notices = Notification.objects.filter(recipient=supervisor.user, kind="assignments.duty_gaps")
    assert notices.count() == 1
    assert assignment.person.name in notices.get().body
