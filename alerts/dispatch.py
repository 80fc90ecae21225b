"""Publishing the alerts app's tasks after commit, by name.

The services publish their follow-up tasks here (by name, through the Celery app), and the task
module calls the services: no import loop. A broker that does not answer loses nothing: each task
is also a beat job every minute (the post evaluation reads from its high-water mark, the outbox
sends every row not yet sent)."""

import logging

from bureau.celery import app

logger = logging.getLogger(__name__)

EVALUATE_POSTS = "alerts.tasks.alerts_evaluate_posts_task"
SEND_DELIVERIES = "alerts.tasks.alert_deliveries_send_task"


def publish(task_name: str, **kwargs: object) -> None:
    try:
        app.send_task(task_name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - the broker is down: the beat job does it within a minute
        logger.warning("alerts.publish_failed task=%s (the beat job will run it)", task_name)


def posts_arrived(post_ids: list[int]) -> None:
    """The intake hook (``opinions.hooks``): evaluate the new posts now rather than at the next beat."""
    publish(EVALUATE_POSTS)
