"""Celery shells around the alerts services: one service call each. The services publish these by
name (``alerts.dispatch``), so this module is the only one that imports both."""

from datetime import timedelta

from celery import Task, shared_task

from alerts.services.delivery import alert_deliveries_next_attempt, alert_deliveries_send
from alerts.services.escalation import alerts_escalate
from alerts.services.evaluation import alerts_evaluate_posts, alerts_evaluate_sweeps
from bureau import clock

# A retry due sooner than the next beat (one minute) is queued for its moment.
SOON = timedelta(seconds=60)


@shared_task(ignore_result=True)
def alerts_evaluate_posts_task() -> int:
    return alerts_evaluate_posts()


@shared_task(ignore_result=True)
def alerts_evaluate_sweeps_task() -> int:
    return alerts_evaluate_sweeps()


@shared_task(ignore_result=True)
def alerts_escalate_task() -> int:
    return alerts_escalate()


@shared_task(bind=True, ignore_result=True)
def alert_deliveries_send_task(self: Task) -> int:
    sent = alert_deliveries_send()
    next_at = alert_deliveries_next_attempt()
    now = clock.now()
    if next_at is not None and next_at - now < SOON:
        self.apply_async(countdown=max((next_at - now).total_seconds(), 0.5))
    return sent
