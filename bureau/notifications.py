"""Notifications: one row per notice (the outbox), its e-mail sent once.

A notice is written inside the caller's transaction; its e-mail is queued after commit if the broker
answers, else sent by the periodic outbox sweep. Ground floor: imports nothing but the organisation."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from bureau import clock
from bureau.models import Notification, User

logger = logging.getLogger(__name__)

# Off inside ``notifications_left_to_outbox``: notices are written but not queued one by one.
_queue_after_commit: ContextVar[bool] = ContextVar("queue_notification_after_commit", default=True)


@contextmanager
def notifications_left_to_outbox() -> Iterator[None]:
    """For bulk work (seeding a year of history, large imports): the notices are committed as
    usual but their e-mails are not queued one task per notice — a backlog that would hold up the
    periodic jobs behind it. The outbox sweep (``notifications_send_pending``) sends them."""
    token = _queue_after_commit.set(False)
    try:
        yield
    finally:
        _queue_after_commit.reset(token)


def notification_create(
    *,
    recipient: User,
    kind: str,
    dedupe_key: str,
    title: str,
    body: str = "",
    link: str = "",
    now: datetime | None = None,
) -> Notification | None:
    """Create a notice once per (recipient, key); a repeat returns None and sends nothing.

    The row is the outbox entry: its e-mail goes out after commit if the broker answers, else by
    ``notifications_send_pending`` on the next sweep."""
    now = now or clock.now()
    notification = Notification(
        recipient=recipient, kind=kind, dedupe_key=dedupe_key, title=title[:200], body=body, link=link, created_at=now
    )
    if connection.vendor == "postgresql":
        if not _insert_once_postgresql(notification):
            return None
    else:
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            return None
    if _queue_after_commit.get():
        transaction.on_commit(lambda: _publish_email(notification.pk))
    return notification


# A repeat is a conflict on (recipient, dedupe_key) that inserts nothing and returns no row: one
# statement, where catching the IntegrityError needs a savepoint around the INSERT (three). Any
# other constraint still raises.
_INSERT_ONCE_SQL = f"""
    INSERT INTO {Notification._meta.db_table} (recipient_id, kind, dedupe_key, title, body, link, created_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (recipient_id, dedupe_key) DO NOTHING
    RETURNING id
"""  # noqa: S608 - our table name


def _insert_once_postgresql(notification: Notification) -> bool:
    """Insert the notice unless its key was used for its recipient; whether it was inserted."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_ONCE_SQL,
            [
                notification.recipient_id,
                notification.kind,
                notification.dedupe_key,
                notification.title,
                notification.body,
                notification.link,
                notification.created_at,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    notification.pk = row[0]
    notification._state.adding, notification._state.db = False, connection.alias
    return True


def notifications_send_after_commit() -> None:
    """For notices written in bulk by SQL rather than by ``notification_create`` (the deadline
    sweep): queue one outbox sweep right after commit, so they go out at once."""
    if _queue_after_commit.get():
        transaction.on_commit(_publish_pending)


def _publish_pending() -> None:
    from bureau.tasks import notifications_send_pending_task  # the task module imports this one

    try:
        notifications_send_pending_task.delay(older_than_seconds=0)
    except Exception:  # noqa: BLE001 - the broker is down; the periodic outbox sweep sends them
        logger.warning("notification.publish_pending_failed (the periodic sweep will send them)")


def _publish_email(notification_id: int) -> None:
    from bureau.tasks import notification_send_email_task  # the task module imports this one

    try:
        notification_send_email_task.delay(notification_id)
    except Exception:  # noqa: BLE001 - the broker is down; the sweep will send it
        logger.warning("notification.publish_failed id=%s (the periodic sweep will send it)", notification_id)


def _claim_timeout() -> timedelta:
    """How long a claim holds: far longer than one send (EMAIL_TIMEOUT), so a claim older than this
    belongs to a worker that died before it could record the send."""
    return timedelta(seconds=getattr(settings, "NOTIFICATION_CLAIM_SECONDS", 300))


def _claimable_q(now: datetime) -> Q:
    """Not yet e-mailed, and either unclaimed or claimed by a worker that never finished."""
    return Q(emailed_at__isnull=True) & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - _claim_timeout())
    )


def notification_send_email(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notice's e-mail unless someone else holds it. Returns True if this call sent it.

    The claim is a conditional UPDATE, so two workers (or a worker and the sweep) never both send.
    A claim expires after ``NOTIFICATION_CLAIM_SECONDS``: if the worker was killed mid-send, the
    sweep sends it then. The send is recorded (``emailed_at``) the moment the mail server took the
    message, before the connection is closed or anything else happens, so a worker killed after
    that leaves nothing to send again; only a kill in the instant between the server's acceptance
    and that one UPDATE could repeat a notice (at least once, never lost)."""
    now = now or clock.now()
    claimed = Notification.objects.filter(_claimable_q(now), pk=notification_id).update(email_claimed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if address:
        connection = get_connection()
        try:
            connection.open()  # kept open by us: the send below does not close it before we record
            EmailMessage(
                subject=notification.title,
                body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
                connection=connection,
            ).send()
        except Exception:
            # Release the claim so the next sweep tries again.
            Notification.objects.filter(pk=notification_id).update(email_claimed_at=None)
            _close_quietly(connection)
            raise
        Notification.objects.filter(pk=notification_id).update(emailed_at=clock.now())
        _close_quietly(connection)
    else:
        Notification.objects.filter(pk=notification_id).update(emailed_at=clock.now())
    return True


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Say goodbye to the mail server; the message was already taken (or refused), so a server that
    drops the line at QUIT changes nothing."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - after the send, a failed QUIT is only noise
        logger.warning("notification.smtp_close_failed")


# The outbox sweep's batches: claimed in one statement, sent over one SMTP connection.
SEND_BATCH = 500
# How long one run of the sweep keeps taking batches: under the minute between two runs.
SEND_BUDGET_SECONDS = 50


def _claim_batch(*, now: datetime, cutoff: datetime, limit: int, refused: set[int]) -> list[int]:
    """Claim up to ``limit`` e-mails to send: those the broker could not take (unclaimed, older than
    the grace period) and those whose worker died while sending (an expired claim). Rows another
    sweep holds are skipped (``SKIP LOCKED``; SQLite serialises writers), and the claim is the same
    conditional UPDATE as one notice's, so two senders never hold one e-mail. ``refused``: those the
    server refused in this run, left to the next."""
    with transaction.atomic():
        pending = list(
            Notification.objects.filter(email_claimed_at__isnull=True, created_at__lte=cutoff)
            .exclude(pk__in=refused)
            .select_for_update(skip_locked=True)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        if len(pending) < limit:
            stranded = (
                Notification.objects.filter(emailed_at__isnull=True, email_claimed_at__lt=now - _claim_timeout())
                .select_for_update(skip_locked=True)
                .order_by("email_claimed_at")
            )
            pending += list(stranded.values_list("pk", flat=True)[: limit - len(pending)])
        if pending:
            Notification.objects.filter(_claimable_q(now), pk__in=pending).update(email_claimed_at=now)
    return pending


def _send_batch(notification_ids: list[int], *, now: datetime, refused: set[int]) -> int:
    """Send the claimed e-mails over one SMTP connection; each is recorded as sent the moment the
    server took it, a refused one has its claim released for the next sweep."""
    notices = list(
        Notification.objects.filter(pk__in=notification_ids, email_claimed_at=now, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("pk")
    )
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        Notification.objects.filter(pk__in=[notice.pk for notice in notices]).update(email_claimed_at=None)
        raise
    try:
        for notice in notices:
            address = notice.recipient.email
            try:
                if address:
                    message = EmailMessage(
                        subject=notice.title,
                        body=notice.body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                        connection=connection,
                    )
                    connection.send_messages([message])
            except Exception:  # noqa: BLE001 - one refused address must not stop the others
                logger.exception("notification.email_failed id=%s", notice.pk)
                Notification.objects.filter(pk=notice.pk).update(email_claimed_at=None)
                refused.add(notice.pk)
                continue
            Notification.objects.filter(pk=notice.pk).update(emailed_at=clock.now())
            sent += 1
    finally:
        _close_quietly(connection)
    return sent


def notifications_send_pending(
    *,
    now: datetime | None = None,
    older_than_seconds: int = 30,
    limit: int = SEND_BATCH,
    budget_seconds: float = SEND_BUDGET_SECONDS,
) -> int:
    """Send the e-mails the broker could not take at the time, and those whose worker died while
    sending (an expired claim): the outbox sweep. Batch after batch of ``limit`` until the outbox is
    empty or ``budget_seconds`` have passed (the next run goes on), each batch claimed in one
    transaction and sent over one SMTP connection (``get_connection`` and ``send_messages``).
    Returns how many were sent."""
    now = now or clock.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    started = time.monotonic()
    sent, refused = 0, set[int]()
    while claimed := _claim_batch(now=now, cutoff=cutoff, limit=limit, refused=refused):
        try:
            sent += _send_batch(claimed, now=now, refused=refused)
        except Exception:  # noqa: BLE001 - the mail server is unreachable: the next run tries again
            logger.exception("notification.smtp_unreachable (the next sweep tries again)")
            break
        if len(claimed) < limit or time.monotonic() - started > budget_seconds:
            break
    return sent


def notification_mark_read(*, notification: Notification, now: datetime | None = None) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now or clock.now())


def notifications_mark_all_read(*, user: User, now: datetime | None = None) -> int:
    return Notification.objects.filter(Q(recipient=user) & Q(read_at__isnull=True)).update(read_at=now or clock.now())
