"""Races on PostgreSQL: two claims, two replies, two sweeps at once; and the sweep in a real worker."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from bureau import clock
from bureau.celery import app
from bureau.models import Notification, Role
from opinions.models import Demand, DemandNumberCounter, DemandPress
from opinions.services import demands as s
from opinions.services.demand_sweep import demands_sweep_deadlines
from opinions.tasks import demands_sweep_deadlines_task
from tests.factories import PersonFactory
from tests.opinions.factories import DemandFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),
]


def race(*calls):
    """Run the calls at the same moment in threads; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            with translation.override("en"):  # threads do not inherit the test's language
                results.append(call())
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_two_claims_one_wins():
    first, second = PersonFactory(role=Role.STAFF), PersonFactory(role=Role.STAFF)
    demand = DemandFactory()
    results, errors = race(
        lambda: s.demand_claim(demand=demand, actor=first.user),
        lambda: s.demand_claim(demand=demand, actor=second.user),
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert "already been signed for" in errors[0].messages[0]
    demand.refresh_from_db()
    assert demand.handler_id in (first.pk, second.pk)


def test_double_submitted_reply_replies_once():
    handler = PersonFactory(role=Role.STAFF)
    demand = DemandFactory(handler=handler, state=Demand.State.ASSIGNED)
    results, errors = race(
        lambda: s.demand_reply(demand=demand, actor=handler.user, reply_text="答复一"),
        lambda: s.demand_reply(demand=demand, actor=handler.user, reply_text="答复一"),
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert "already been answered" in errors[0].messages[0]


def test_two_sweeps_at_once_flag_and_notify_once():
    handler = PersonFactory(role=Role.STAFF)
    PersonFactory(role=Role.OFFICE_HEAD)
    past = clock.now() - timedelta(days=2)
    for _ in range(20):
        DemandFactory(handler=handler, state=Demand.State.ASSIGNED, received_at=past)
    results, errors = race(demands_sweep_deadlines, demands_sweep_deadlines)
    assert not errors
    assert sum(result.overdue for result in results) == 20
    assert sum(result.supervisor for result in results) == 20
    assert sum(result.leader for result in results) == 20
    for step in ("overdue", "supervisor", "leader"):
        assert DemandPress.objects.filter(step=step).count() == 20
    # Each sweep that claimed rows told the handler once: one digest (or one notice for a single case).
    claiming = sum(1 for result in results if result.overdue)
    assert Notification.objects.filter(recipient=handler.user).count() == claiming


@pytest.mark.worker
def test_sweep_runs_in_a_real_worker(settings):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://…")
    handler = PersonFactory(role=Role.STAFF)
    demand = DemandFactory(handler=handler, state=Demand.State.ASSIGNED, received_at=clock.now() - timedelta(hours=25))
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        demands_sweep_deadlines_task.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Demand.objects.filter(pk=demand.pk, overdue_at__isnull=False).exists():
                break
            time.sleep(0.2)
    demand.refresh_from_db()
    assert demand.overdue_at is not None
    assert DemandPress.objects.filter(demand=demand, step="overdue").count() == 1
    assert Notification.objects.filter(recipient=handler.user, kind="opinions.demand.overdue").exists()


def test_two_entries_opening_a_year_at_once_take_two_numbers():
    """Both insert the year's counter row in the same instant: one inserts, the other adds to it."""
    june = datetime(2031, 6, 1, tzinfo=UTC)
    results, errors = race(
        lambda: s.demand_numbers_take(received_at=june), lambda: s.demand_numbers_take(received_at=june)
    )
    assert not errors
    assert sorted(number for numbers in results for number in numbers) == ["2031-0001", "2031-0002"]
    assert DemandNumberCounter.objects.get(year=2031).last == 2
