"""Writing to the archive and checking it. Every service that changes state calls ``archive_record``;
``archive_verify`` recomputes the chain with the same ``record_content``, so the two cannot drift."""

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from archive.models import ArchiveCheck, ArchiveRecord, BreakReason
from bureau import clock
from bureau.auth import client_ip
from bureau.models import User
from bureau.notifications import notification_create
from bureau.search import search_fill
from bureau.selectors import person_for
from bureau.types import AnyUser

# Any fixed number: it names the lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 724_301

_ACTOR_NAME_LENGTH = ArchiveRecord._meta.get_field("actor_name").max_length
_TARGET_TYPE_LENGTH = ArchiveRecord._meta.get_field("target_type").max_length
_TARGET_ID_LENGTH = ArchiveRecord._meta.get_field("target_id").max_length
_TARGET_TEXT_LENGTH = ArchiveRecord._meta.get_field("target_text").max_length
_ACTION_LENGTH = ArchiveRecord._meta.get_field("action").max_length


def _canonical(value: Any) -> Any:
    """JSON-safe form of a before/after value, stable across a round trip through the database."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def _ip_text(value: str | None) -> str:
    """One spelling per address: PostgreSQL's inet gives some IPv6 addresses back in another form
    (``::ffff:1.2.3.4`` for ``::ffff:102:304``), which must not change the hash."""
    if not value:
        return ""
    if ":" not in value:
        return value  # IPv4 has one spelling; parsing it costs more than the rest of the hash
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)  # not an address: hash it as stored, so a tampered value still fails


def _json(value: Any) -> str:
    """A canonical value as it appears in the hashed text (and as it is stored)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _content_around_link(
    record: "ArchiveRecord | _ChainRow", *, before_text: str | None = None, after_text: str | None = None
) -> tuple[str, str]:
    """The hashed text of a record is ``head + json(previous_hash) + tail``: the JSON object of its
    fields with sorted keys, compact, written out key by key (``json.dumps(payload, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` gives the same text). Split at the link, so the
    append can let PostgreSQL put in the previous hash it reads under the lock."""
    fields = {
        # UTC whatever zone the caller's ``now`` was in: the database gives it back in UTC.
        "created_at": _json(record.created_at.astimezone(UTC).isoformat(timespec="microseconds")),
        "actor_id": _json(record.actor_id),
        "actor_name": _json(record.actor_name),
        "ip_address": _json(_ip_text(record.ip_address)),
        "action": _json(record.action),
        "target_type": _json(record.target_type),
        "target_id": _json(record.target_id),
        "target_text": _json(record.target_text),
        "summary": _json(record.summary),
        "before": before_text if before_text is not None else _json(record.before),
        "after": after_text if after_text is not None else _json(record.after),
    }
    keys = sorted([*fields, "previous_hash"])
    link = keys.index("previous_hash")
    head = ",".join(f"{_json(key)}:{fields[key]}" for key in keys[:link])
    tail = "".join(f",{_json(key)}:{fields[key]}" for key in keys[link + 1 :])
    return "{" + head + ("," if head else "") + '"previous_hash":', tail + "}"


def record_content(record: "ArchiveRecord | _ChainRow") -> str:
    """The exact text the record's hash is computed over."""
    head, tail = _content_around_link(record)
    return head + _json(record.previous_hash) + tail


def record_hash(record: "ArchiveRecord | _ChainRow") -> str:
    return hashlib.sha256(record_content(record).encode("utf-8")).hexdigest()


def _text(value: str, max_length: int | None = None) -> str:
    """PostgreSQL refuses NUL characters and over-long values; an archive write (say, of a login
    attempt with a pasted-in username) must not fail on either."""
    value = str(value).replace("\x00", "")
    return value[:max_length] if max_length else value


def _normalise_ip(value: str | None) -> str | None:
    """A valid address or None: a malformed REMOTE_ADDR must not make the insert (and the login) fail."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.split("%", 1)[0].strip()))  # inet has no IPv6 zone ids
    except ValueError:
        return None


def _describe_target(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)


def _actor_name(actor: AnyUser | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    person = person_for(actor)
    return person.name if person is not None else actor.get_username()


def archive_record(
    *,
    action: str,
    actor: AnyUser | None = None,
    target: models.Model | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
    actor_name: str | None = None,
    target_type: str = "",
    target_id: str = "",
    target_text: str = "",
    now: datetime | None = None,
) -> ArchiveRecord:
    """Append one record to the archive chain, inside the caller's transaction.

    ``action`` is ``<app>.<model>.<past verb>``. ``target`` is the object acted on; when it no
    longer exists (a deletion), describe it with ``target_type``/``target_id``/``target_text``
    instead. Appends are serialised (an advisory lock held to the end of the outermost
    transaction), so the chain has no forks and pk order is chain order. Raises ValueError for
    an action that does not fit or a target given both ways."""
    if _ACTION_LENGTH is not None and len(action) > _ACTION_LENGTH:
        raise ValueError(f"Archive action longer than {_ACTION_LENGTH} characters: {action!r}")
    if target is not None and (target_type or target_id or target_text):
        raise ValueError("Give either target or target_type/target_id/target_text, not both.")
    if isinstance(actor, AnonymousUser):
        actor = None
    if target is not None:
        target_type, target_id, target_text = _describe_target(target)
    record = ArchiveRecord(
        created_at=now or clock.now(),
        actor=actor,
        actor_name=_text(actor_name if actor_name is not None else _actor_name(actor), _ACTOR_NAME_LENGTH),
        ip_address=_normalise_ip(ip_address if ip_address is not None else client_ip(request)),
        action=action,
        target_type=_text(target_type, _TARGET_TYPE_LENGTH),
        target_id=_text(target_id, _TARGET_ID_LENGTH),
        target_text=_text(target_text, _TARGET_TEXT_LENGTH),
        summary=_text(summary),
        before=_canonical(before or {}),
        after=_canonical(after or {}),
    )
    search_fill(record)  # derived from the hashed fields, not hashed: they only help find the record
    with transaction.atomic(savepoint=False):  # all or nothing with the caller's change anyway
        if connection.vendor == "postgresql":
            _append_postgresql(record)  # takes the lock itself, in the same round trip
        else:
            previous = ArchiveRecord.objects.order_by("-pk").values_list("record_hash", flat=True).first()
            record.previous_hash = previous or ""
            record.record_hash = record_hash(record)
            record.save()
    return record


# The lock, then the append: one INSERT ... SELECT that reads the newest record's hash (the chain's
# head, visible now that the lock is ours), links to it and hashes the record's text around it
# with PostgreSQL's sha256 over the same UTF-8 bytes ``record_hash`` reads: what ``archive_verify``
# recomputes, unchanged. The JSON is serialised once, for the hash and the row alike.
# Both statements go in one round trip (psycopg2 sends the text as one simple query; the result
# read is the last statement's). They stay two statements: under READ COMMITTED each statement of
# a simple query takes its own snapshot, so the INSERT's is taken after the lock is granted and
# sees the head the previous holder committed. One statement could not: its snapshot would
# predate the wait for the lock. (psycopg 3 binds parameters on the server, one statement per
# call: switching driver means two calls here again.)
_APPEND_SQL = """
    SELECT pg_advisory_xact_lock(%s);
    INSERT INTO archive_archiverecord (created_at, actor_id, actor_name, ip_address, action, target_type,
        target_id, target_text, summary, before, after, search_text, search_grams, previous_hash, record_hash)
    SELECT %s, %s::bigint, %s, %s::inet, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s::text[], head.hash,
        encode(sha256(convert_to(%s || '"' || head.hash || '"' || %s, 'UTF8')), 'hex')
    FROM (SELECT COALESCE((SELECT record_hash FROM archive_archiverecord ORDER BY id DESC LIMIT 1), '') AS hash) AS head
    RETURNING id, previous_hash, record_hash
"""


def _append_postgresql(record: ArchiveRecord) -> None:
    before_text, after_text = _json(record.before), _json(record.after)
    head, tail = _content_around_link(record, before_text=before_text, after_text=after_text)
    with connection.cursor() as cursor:
        cursor.execute(
            _APPEND_SQL,
            [
                _CHAIN_LOCK_KEY,
                record.created_at,
                record.actor_id,
                record.actor_name,
                record.ip_address,
                record.action,
                record.target_type,
                record.target_id,
                record.target_text,
                record.summary,
                before_text,
                after_text,
                record.search_text,
                record.search_grams,
                head,
                tail,
            ],
        )
        record.pk, record.previous_hash, record.record_hash = cursor.fetchone()
    record._state.adding, record._state.db = False, connection.alias


# --- Verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveVerification:
    """What ``archive_verify`` found. When the chain is broken, ``checked`` includes the first
    broken record and the ``broken_*`` fields describe it."""

    checked: int
    broken_id: int | None = None
    broken_at: datetime | None = None
    broken_action: str = ""
    reason: BreakReason | None = None
    last_hash: str = ""
    last_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None

    @property
    def reason_text(self) -> str:
        return str(self.reason.label) if self.reason else ""


class _ChainRow(NamedTuple):
    """The columns ``record_content`` reads, plus the id: a row costs far less than a model instance."""

    pk: int
    created_at: datetime
    actor_id: int | None
    actor_name: str
    ip_address: str | None
    action: str
    target_type: str
    target_id: str
    target_text: str
    summary: str
    before: Any
    after: Any
    previous_hash: str
    record_hash: str


def _chain_rows(*, batch_size: int) -> Iterator[_ChainRow]:
    """Every record in pk (= chain) order, one keyset page at a time: memory stays constant and
    each query is short, unlike one huge cursor held open for the whole walk."""
    last_pk = 0
    while True:
        batch = list(
            ArchiveRecord.objects.filter(pk__gt=last_pk).order_by("pk").values_list(*_ChainRow._fields)[:batch_size]
        )
        if not batch:
            return
        for row in batch:
            yield _ChainRow._make(row)
        last_pk = batch[-1][0]


def archive_verify(*, batch_size: int = 2000) -> ArchiveVerification:
    """Walk the whole chain, recomputing each record's hash and its link to the record before.

    Stops at the first break. Reads only; records appended during the walk are checked too.
    The chain proves that nothing before the last record was altered or removed; removing the
    newest records leaves no trace in it (the PostgreSQL trigger is what prevents that)."""
    checked, expected_previous, last_id = 0, "", None
    for record in _chain_rows(batch_size=batch_size):
        checked += 1
        reason = None
        if record.previous_hash != expected_previous:
            reason = BreakReason.LINK_BROKEN
        elif record_hash(record) != record.record_hash:
            reason = BreakReason.CONTENT_CHANGED
        if reason is not None:
            return ArchiveVerification(
                checked=checked,
                broken_id=record.pk,
                broken_at=record.created_at,
                broken_action=record.action,
                reason=reason,
                last_hash=expected_previous,
                last_id=last_id,
            )
        expected_previous, last_id = record.record_hash, record.pk
    return ArchiveVerification(checked=checked, last_hash=expected_previous, last_id=last_id)


# --- Anchors: the chain's head as seen before, inside and outside the database -----------------
# The chain proves nothing about its own end: deleting the newest records leaves a chain that
# verifies. So each stored check keeps the head it saw (id, hash, count), and the nightly check
# also writes it to a file outside the database (``ARCHIVE_ANCHOR_PATH``, e.g. on the backup
# volume). A later check must find that head again, unchanged, with at least as many records.


@dataclass(frozen=True)
class ChainHead:
    record_id: int
    record_hash: str
    count: int


def _head_missing(head: ChainHead, result: ArchiveVerification) -> bool:
    still_there = ArchiveRecord.objects.filter(pk=head.record_id, record_hash=head.record_hash).exists()
    return not still_there or result.checked < head.count


def _anchor_path() -> Path | None:
    path = getattr(settings, "ARCHIVE_ANCHOR_PATH", "")
    return Path(path) if path else None


def _file_head() -> ChainHead | None:
    path = _anchor_path()
    if path is None or not path.exists():
        return None
    try:
        record_id, record_hash, count = path.read_text().split()[:3]
        return ChainHead(record_id=int(record_id), record_hash=record_hash, count=int(count))
    except ValueError:
        return None


def _write_file_head(result: ArchiveVerification) -> None:
    path = _anchor_path()
    if path is None or result.last_id is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(f"{result.last_id} {result.last_hash} {result.checked}\n")
    temporary.replace(path)  # atomic: a crash leaves the old head or the new one, never half


def _against_anchors(result: ArchiveVerification) -> ArchiveVerification:
    """The walk's result, failed if the head an earlier check saw (stored, or in the file) is gone."""
    if not result.ok:
        return result
    anchors: list[tuple[BreakReason, ChainHead]] = []
    previous = (
        ArchiveCheck.objects.filter(is_ok=True, last_record_id__isnull=False).order_by("-started_at", "-pk").first()
    )
    if previous is not None and previous.last_record_id is not None:
        anchors.append(
            (BreakReason.TRUNCATED, ChainHead(previous.last_record_id, previous.last_hash, previous.records_checked))
        )
    if (head := _file_head()) is not None:
        anchors.append((BreakReason.ANCHOR_MISMATCH, head))
    for reason, anchor in anchors:
        if _head_missing(anchor, result):
            return ArchiveVerification(
                checked=result.checked,
                broken_id=anchor.record_id,
                reason=reason,
                last_hash=result.last_hash,
                last_id=result.last_id,
            )
    return result


# --- Stored chain checks ------------------------------------------------------------------------


def _verifiers() -> QuerySet[User]:
    """Active users who may run the chain check (leaders and administrators by default)."""
    permission = Permission.objects.filter(content_type__app_label="archive", codename="verify_archive").first()
    users = get_user_model().objects.filter(is_active=True)
    if permission is None:
        return users.filter(is_superuser=True)
    return users.filter(
        Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission)
    ).distinct()


def archive_check_run(
    *, source: str, actor: AnyUser | None = None, batch_size: int = 2000, now: datetime | None = None
) -> ArchiveCheck:
    """Walk the chain with ``archive_verify`` and store the result as an ``ArchiveCheck``.

    The walk reads only and holds no transaction (it may take minutes on a large archive). A
    nightly check already stored for the same office day is returned instead of walking again, so
    a job delivered twice checks once. When the chain is broken, everyone who may run the check
    is notified once per broken record."""
    started_at = now or clock.now()
    if source == ArchiveCheck.Source.NIGHTLY:
        day_start, day_end = clock.day_span(timezone.localdate(started_at))
        done = ArchiveCheck.objects.filter(source=source, started_at__gte=day_start, started_at__lt=day_end).first()
        if done is not None:
            return done
    result = _against_anchors(archive_verify(batch_size=batch_size))
    finished_at = clock.now() if now is None else now
    with transaction.atomic():
        check = ArchiveCheck.objects.create(
            started_at=started_at,
            finished_at=max(finished_at, started_at),
            source=source,
            checked_by=None if isinstance(actor, AnonymousUser) else actor,
            is_ok=result.ok,
            records_checked=result.checked,
            broken_record_id=result.broken_id,
            broken_at=result.broken_at,
            broken_action=result.broken_action,
            broken_reason=result.reason.value if result.reason else "",
            last_hash=result.last_hash,
            last_record_id=result.last_id,
        )
        if result.ok and source == ArchiveCheck.Source.NIGHTLY:
            _write_file_head(result)
        if not result.ok and result.reason is not None:
            for user in _verifiers():
                notification_create(
                    recipient=user,
                    kind="archive.chain_broken",
                    dedupe_key=f"archive.chain_broken:{result.broken_id}:{result.reason.value}",
                    title=gettext("The archive chain is broken at record %(id)s") % {"id": result.broken_id},
                    body=result.reason_text,
                    link=reverse("archive:verify"),
                    now=finished_at,
                )
    return check
