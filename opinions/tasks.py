"""Celery shells around the opinions services: ids in, one service call."""

from celery import shared_task

from opinions.services.daily_figures import daily_figures_refresh
from opinions.services.demand_sweep import demands_sweep_deadlines
from opinions.services.intake import channel_poll, channels_dispatch_due


@shared_task(ignore_result=True)
def channels_dispatch_due_task() -> int:
    return len(channels_dispatch_due())


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def channel_poll_task(channel_id: int) -> dict | None:
    result = channel_poll(channel_id=channel_id)
    return result.as_dict() if result else None


@shared_task(ignore_result=True)
def demands_sweep_deadlines_task() -> dict:
    return demands_sweep_deadlines().as_dict()


@shared_task(ignore_result=True)
def daily_figures_refresh_task() -> dict:
    return daily_figures_refresh()
