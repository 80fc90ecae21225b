"""Celery shells around the organisation's services: ids in, one service call."""

from celery import shared_task

from bureau.annual.tasks import (  # noqa: F401 - registered through this module
    annual_summary_compile_current_task,
    annual_summary_compile_final_task,
    annual_summary_write_workbook_task,
)


@shared_task(ignore_result=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def notification_send_email_task(notification_id: int) -> bool:
    from bureau.services import notification_send_email

    return notification_send_email(notification_id=notification_id)


@shared_task(ignore_result=True)
def notifications_send_pending_task(older_than_seconds: int = 30) -> int:
    from bureau.services import notifications_send_pending

    return notifications_send_pending(older_than_seconds=older_than_seconds)
