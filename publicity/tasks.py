"""Celery shells for publicity: ids in, one service call."""

from celery import shared_task

from bureau.jobs import once_a_day
from publicity.services import quotas_warn_behind_pace


@shared_task(ignore_result=True)
def quotas_warn_behind_pace_task() -> int | None:
    """The quota warning, once that day however often beat publishes it (None: already run)."""
    with once_a_day("publicity.quota_warning") as first:
        return quotas_warn_behind_pace() if first else None
