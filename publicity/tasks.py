"""Celery shells for publicity: ids in, one service call."""

from celery import shared_task


@shared_task(ignore_result=True)
def quotas_warn_behind_pace_task() -> int:
    from publicity.services import quotas_warn_behind_pace

    return quotas_warn_behind_pace()
