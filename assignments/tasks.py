"""Celery shells around the assignments services: one service call each."""

from celery import shared_task

from assignments.services.county_tasks import county_tasks_flag_overdue
from assignments.services.gaps import duty_flag_gaps
from assignments.services.patrol_watch import patrols_warn_overdue


@shared_task(ignore_result=True)
def duty_flag_gaps_task() -> int:
    return duty_flag_gaps().total


@shared_task(ignore_result=True)
def county_tasks_flag_overdue_task() -> int:
    return county_tasks_flag_overdue()


@shared_task(ignore_result=True)
def patrols_warn_overdue_task() -> int:
    return patrols_warn_overdue()
