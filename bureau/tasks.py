"""Celery shells around the notification outbox: ids in, one service call."""

from celery import shared_task

from bureau.notifications import notification_send_email, notifications_send_pending


@shared_task(ignore_result=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def notification_send_email_task(notification_id: int) -> bool:
    return notification_send_email(notification_id=notification_id)


@shared_task(ignore_result=True)
def notifications_send_pending_task(older_than_seconds: int = 30) -> int:
    return notifications_send_pending(older_than_seconds=older_than_seconds)
