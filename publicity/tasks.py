"""Celery shells for publicity: ids in, one service call."""

from celery import shared_task

from publicity.services import quotas_warn_behind_pace


@shared_task(ignore_result=True)
def quotas_warn_behind_pace_task() -> int:

    return quotas_warn_behind_pace()
