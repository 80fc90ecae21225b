"""Writing to the archive. Every service that changes state calls ``archive_record``."""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from archive.models import ArchiveRecord
from bureau import clock
from bureau.auth import client_ip

# Any fixed number: it names the lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 724_301


def _canonical(value: Any) -> Any:
    """JSON-safe form of a before/after value, stable across a round trip through the database."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def record_content(record: ArchiveRecord) -> str:
    """The exact text the record's hash is computed over."""
    payload = {
        "created_at": record.created_at.isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "ip_address": record.ip_address or "",
        "action": record.action,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "target_text": record.target_text,
        "summary": record.summary,
        "before": record.before,
        "after": record.after,
        "previous_hash": record.previous_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_hash(record: ArchiveRecord) -> str:
    return hashlib.sha256(record_content(record).encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _describe_target(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)[:300]


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()


@transaction.atomic
def archive_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request=None,
    ip_address: str | None = None,
    actor_name: str | None = None,
    now: datetime | None = None,
) -> ArchiveRecord:
    """Append one record to the archive chain, inside the caller's transaction.

    ``action`` is ``<app>.<model>.<past verb>``. Appends are serialised so the chain has no forks."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    _lock_chain()
    target_type, target_id, target_text = _describe_target(target)
    previous = ArchiveRecord.objects.order_by("-pk").values_list("record_hash", flat=True).first()
    record = ArchiveRecord(
        created_at=now or clock.now(),
        actor=actor,
        actor_name=actor_name if actor_name is not None else _actor_name(actor),
        ip_address=(ip_address if ip_address is not None else client_ip(request)) or None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_text=target_text,
        summary=summary,
        before=_canonical(before or {}),
        after=_canonical(after or {}),
        previous_hash=previous or "",
    )
    record.record_hash = record_hash(record)
    record.save()
    return record
