"""The notification outbox: a notice survives a dead broker and is e-mailed exactly once."""

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connections, transaction

from bureau import clock
from bureau.models import Notification
from bureau.notifications import notification_create, notification_send_email, notifications_send_pending
from tests.bureau.test_celery import (  # noqa: F401 - shared fixtures
    PUBLISH_DEADLINE_SECONDS,
    closed_port,
    unreachable_broker,
)
from tests.factories import UserFactory


def _notice(recipient, key: str, *, created_at=None) -> Notification:
    """A notice written straight to the outbox, as if its publish had failed."""
    return Notification.objects.create(
        recipient=recipient, kind="test", dedupe_key=key, title=f"通知 {key}", created_at=created_at or clock.now()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed_db", "unreachable_broker")
def test_notice_commits_and_waits_for_the_sweep_when_the_broker_is_down(caplog):
    user = UserFactory(email="office-head@bureau.example")
    created_at = clock.now()

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="bureau.notifications"), transaction.atomic():
        notification = notification_create(
            recipient=user, kind="test", dedupe_key="outage-1", title="舆情预警", body="请尽快处置", now=created_at
        )
    assert time.monotonic() - started < PUBLISH_DEADLINE_SECONDS  # the failed publish did not hold the commit up
    assert "notification.publish_failed" in caplog.text

    notification.refresh_from_db()  # committed, not rolled back by the failed publish
    assert (notification.email_claimed_at, notification.emailed_at) == (None, None)
    assert mail.outbox == []

    assert notifications_send_pending(now=created_at + timedelta(minutes=1)) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [(message.to, message.subject, message.body) for message in mail.outbox] == [
        (["office-head@bureau.example"], "舆情预警", "请尽快处置")
    ]

    assert notifications_send_pending(now=created_at + timedelta(minutes=2)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_leaves_notices_younger_than_the_grace_period_to_their_task():
    created_at = clock.now()
    _notice(UserFactory(), "fresh", created_at=created_at)
    assert notifications_send_pending(now=created_at + timedelta(seconds=10)) == 0
    assert notifications_send_pending(now=created_at + timedelta(seconds=31)) == 1


@pytest.mark.django_db
def test_second_sweep_sends_nothing():
    created_at = clock.now()
    for index in range(3):
        _notice(UserFactory(), f"batch-{index}", created_at=created_at)
    later = created_at + timedelta(minutes=1)
    assert notifications_send_pending(now=later) == 3
    assert notifications_send_pending(now=later + timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_repeated_key_creates_no_second_notice(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = notification_create(recipient=user, kind="test", dedupe_key="once", title="一次")
        second = notification_create(recipient=user, kind="test", dedupe_key="once", title="一次")
    assert first is not None
    assert second is None
    assert len(callbacks) == 1
    assert Notification.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db
def test_failed_send_releases_the_claim_for_the_next_sweep(settings):
    created_at = clock.now()
    notification = _notice(UserFactory(), "smtp-down", created_at=created_at)

    # The mail server is down: a real SMTP connection to a port nothing listens on is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    assert notifications_send_pending(now=created_at + timedelta(minutes=1)) == 0
    notification.refresh_from_db()
    assert notification.email_claimed_at is None
    assert notification.emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_send_pending(now=created_at + timedelta(minutes=2)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notice_for_a_user_without_address_is_marked_done_without_mail():
    notification = _notice(UserFactory(email=""), "no-address")
    assert notification_send_email(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed_db")
def test_concurrent_sends_of_one_notice_send_one_mail():
    notification = _notice(UserFactory(email="duty@bureau.example"), "race")
    senders = 4
    start = threading.Barrier(senders)
    results: list[bool] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait(timeout=10)
            results.append(notification_send_email(notification_id=notification.pk))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1


def test_bulk_work_leaves_the_e_mails_to_the_outbox_sweep(db, django_capture_on_commit_callbacks, mailoutbox):
    from bureau.notifications import notifications_left_to_outbox, notifications_send_after_commit

    user = UserFactory()
    with django_capture_on_commit_callbacks() as queued:
        notification_create(recipient=user, kind="test", dedupe_key="one", title="一")
        notifications_send_after_commit()
    assert len(queued) == 2
    with notifications_left_to_outbox(), django_capture_on_commit_callbacks() as queued:
        notification_create(recipient=user, kind="test", dedupe_key="two", title="二")
        notifications_send_after_commit()
    assert queued == []
    assert Notification.objects.filter(recipient=user).count() == 2
    # The sweep sends what was left to it.
    assert notifications_send_pending(now=clock.now() + timedelta(minutes=1)) == 2
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_worker_killed_mid_send_is_taken_over_after_it_expires(settings):
    """The worker claimed the notice and died before sending (kill -9): the claim stays, the e-mail
    does not. Within the claim's 300 seconds nobody sends it twice; after them the sweep sends it once."""
    settings.NOTIFICATION_CLAIM_SECONDS = 300
    claimed_at = clock.now()
    stranded = _notice(UserFactory(), "stranded", created_at=claimed_at - timedelta(seconds=5))
    Notification.objects.filter(pk=stranded.pk).update(email_claimed_at=claimed_at)

    assert notifications_send_pending(now=claimed_at + timedelta(seconds=299)) == 0
    assert notification_send_email(notification_id=stranded.pk, now=claimed_at + timedelta(seconds=300)) is False
    assert notifications_send_pending(now=claimed_at + timedelta(seconds=301)) == 1
    assert notifications_send_pending(now=claimed_at + timedelta(seconds=900)) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=stranded.pk).emailed_at is not None


@pytest.mark.django_db
def test_a_sent_e_mail_is_never_sent_again_even_when_its_claim_is_old():
    claimed_at = clock.now() - timedelta(hours=2)
    done = _notice(UserFactory(), "done", created_at=claimed_at)
    Notification.objects.filter(pk=done.pk).update(email_claimed_at=claimed_at, emailed_at=claimed_at)

    assert notifications_send_pending() == 0
    assert notification_send_email(notification_id=done.pk) is False
    assert mail.outbox == []


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the connections opened and the messages sent over each."""

    opened: list[int] = []  # per connection, the messages it sent

    def open(self):
        CountingBackend.opened.append(0)
        return super().open()

    def send_messages(self, messages):
        CountingBackend.opened[-1] += len(messages)
        return super().send_messages(messages)


@pytest.mark.django_db
def test_the_outbox_sends_each_batch_over_one_connection(settings, monkeypatch):
    """1,203 waiting e-mails in batches of 500: three connections (500, 500, 203), each notice once."""
    settings.EMAIL_BACKEND = "tests.bureau.test_notifications.CountingBackend"
    monkeypatch.setattr(CountingBackend, "opened", [])
    users = [UserFactory(email=f"staff{index}@bureau.example") for index in range(3)]
    created_at = clock.now() - timedelta(minutes=5)
    Notification.objects.bulk_create(
        Notification(
            recipient=users[index % 3], kind="test", dedupe_key=f"k{index}", title="逾期", created_at=created_at
        )
        for index in range(1203)
    )
    assert notifications_send_pending(limit=500) == 1203
    assert CountingBackend.opened == [500, 500, 203]
    assert len(mail.outbox) == 1203
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert notifications_send_pending(limit=500) == 0
    assert CountingBackend.opened == [500, 500, 203]  # nothing left: no connection opened


@pytest.mark.django_db
def test_a_refused_address_is_left_for_the_next_run_and_the_others_go(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.bureau.test_notifications.CountingBackend"
    monkeypatch.setattr(CountingBackend, "opened", [])
    good, bad = UserFactory(email="good@bureau.example"), UserFactory(email="bad@bureau.example")
    created_at = clock.now() - timedelta(minutes=5)
    for index, user in enumerate([good, bad, good]):
        _notice(user, f"mixed-{index}", created_at=created_at)
    original = CountingBackend.send_messages

    def refuse_bad(self, messages):
        if messages[0].to == ["bad@bureau.example"]:
            raise ConnectionRefusedError("mailbox unavailable")
        return original(self, messages)

    monkeypatch.setattr(CountingBackend, "send_messages", refuse_bad)
    assert notifications_send_pending() == 2
    assert [message.to for message in mail.outbox] == [["good@bureau.example"]] * 2
    left = Notification.objects.get(emailed_at__isnull=True)
    assert (left.recipient, left.email_claimed_at) == (bad, None)
    monkeypatch.setattr(CountingBackend, "send_messages", original)
    assert notifications_send_pending() == 1
    assert len(mail.outbox) == 3
