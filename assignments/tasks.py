"""Celery shells around the assignments services: one service call each."""

from celery import shared_task


@shared_task(ignore_result=True)
def duty_flag_gaps_task() -> int:
    from assignments.services import duty_flag_gaps

    return duty_flag_gaps().total


@shared_task(ignore_result=True)
def county_tasks_flag_overdue_task() -> int:
    from assignments.services import county_tasks_flag_overdue

    return county_tasks_flag_overdue()


@shared_task(ignore_result=True)
def patrols_warn_overdue_task() -> int:
    from assignments.services.patrol_watch import patrols_warn_overdue

    return patrols_warn_overdue()
