"""Races on PostgreSQL: two evaluators raising the same match at once make one alert; the beat jobs
are seeded and their tasks registered."""

import threading

import pytest
from django.db import connection
from django_celery_beat.models import PeriodicTask

from alerts.models import Alert
from alerts.services.raising import alert_raise
from bureau.celery import app
from tests.alerts.factories import AlertRuleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),
]


def test_two_evaluators_raising_one_match_make_one_alert(cast):
    rule = AlertRuleFactory()
    barrier, results = threading.Barrier(4), []

    def run():
        try:
            barrier.wait()
            results.append(alert_raise(rule=rule, key="word:图书馆", title="县图书馆停水"))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4
    assert len([alert for alert in results if alert is not None]) == 1
    assert Alert.objects.count() == 1


def test_the_beat_jobs_are_seeded_and_their_tasks_exist():
    app.loader.import_default_modules()
    jobs = dict(PeriodicTask.objects.filter(task__startswith="alerts.").values_list("task", "interval__every"))
    assert jobs == {
        "alerts.tasks.alerts_evaluate_posts_task": 1,
        "alerts.tasks.alerts_evaluate_sweeps_task": 1,
        "alerts.tasks.alerts_escalate_task": 1,
        "alerts.tasks.alert_deliveries_send_task": 1,
    }
    assert set(jobs) <= set(app.tasks)
