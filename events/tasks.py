"""Celery shells around the events services."""

from celery import shared_task

from events.services import event_clocks_sweep


@shared_task(ignore_result=True)
def event_clocks_sweep_task() -> int:
    return event_clocks_sweep()
