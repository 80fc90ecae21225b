"""The archive: an append-only, hash-chained record of every change of state in the office."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.search import SearchGramsField, search_text_field

_APPEND_ONLY = "Archive records are append-only."


class ArchiveRecordQuerySet(models.QuerySet):
    """Refuses every bulk write: rows are appended one at a time by ``archive_record``, which
    chains their hashes, and are never changed or removed (PostgreSQL enforces it too)."""

    def update(self, **kwargs):
        raise PermissionError(_APPEND_ONLY)

    def delete(self):
        raise PermissionError(_APPEND_ONLY)

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create would bypass the chain lock and the hashes; archive_record is the only writer.
        raise PermissionError("Archive records are written one at a time by archive.services.archive_record().")


class ArchiveRecord(models.Model):
    """One thing that happened: who did what to which object, and what changed.

    Written only by ``archive.services.archive_record`` inside the transaction of the change it
    records. ``record_hash`` covers the record's content and ``previous_hash``, so altering or
    removing any record breaks the chain that ``verify_archive`` walks."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_text = models.CharField(_("object"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    record_hash = models.CharField(_("hash"), max_length=64, unique=True)
    # Derived from SEARCH_FIELDS by bureau.search.search_fill when the record is appended; not part
    # of the hashed content (they only help find records). GIN indexes: migration 0022, PostgreSQL only.
    search_text = search_text_field()
    search_grams = SearchGramsField()

    SEARCH_FIELDS = ("summary", "target_text", "actor_name")

    objects = ArchiveRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        indexes = [
            models.Index(fields=["target_type", "target_id", "-id"], name="archive_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="archive_actor_idx"),
        ]
        permissions = [("verify_archive", _("Can verify the archive chain"))]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_text}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(_APPEND_ONLY)

    @property
    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """(key, before, after) per key of ``before``/``after``, each value as JSON text, or None
        where the key is absent; the detail page shows them as text, so nothing is interpreted."""
        before, after = self.before, self.after
        if not isinstance(before, dict) or not isinstance(after, dict):
            # Only archive_record writes rows and it writes dicts; show anything else whole.
            return [("", _as_json(before), _as_json(after))]
        return [
            (key, _as_json(before[key]) if key in before else None, _as_json(after[key]) if key in after else None)
            for key in sorted(before.keys() | after.keys())
        ]


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


class BreakReason(models.TextChoices):
    LINK_BROKEN = (
        "link_broken",
        _("The link to the previous record does not match: the record before it was removed or rewritten."),
    )
    CONTENT_CHANGED = "content_changed", _("The record's content does not match its hash: it was altered.")
    TRUNCATED = (
        "truncated",
        _("Records an earlier check saw are gone or changed: the newest records were removed or rewritten."),
    )
    ANCHOR_MISMATCH = (
        "anchor_mismatch",
        _("The chain's head does not match the copy kept outside the database: records were removed."),
    )


class ArchiveCheck(models.Model):
    """One walk of the chain by ``archive_check_run``: when, by whom (or the nightly job), and what
    it found. Kept so administrators see the latest result without walking the chain themselves."""

    class Source(models.TextChoices):
        PAGE = "page", _("Checked on the page")
        COMMAND = "command", _("verify_archive command")
        NIGHTLY = "nightly", _("Nightly job")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    source = models.CharField(_("run by"), max_length=20, choices=Source.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    is_ok = models.BooleanField(_("chain intact"))
    records_checked = models.PositiveBigIntegerField(_("records checked"))
    broken_record_id = models.BigIntegerField(_("first broken record"), null=True, blank=True)
    broken_at = models.DateTimeField(_("time of the first broken record"), null=True, blank=True)
    broken_action = models.CharField(_("action of the first broken record"), max_length=100, blank=True)
    broken_reason = models.CharField(_("reason"), max_length=20, blank=True)  # a BreakReason value
    last_hash = models.CharField(_("hash of the newest record checked"), max_length=64, blank=True)
    # The head the check saw: a later check finds it again, or knows the newest records were removed.
    last_record_id = models.BigIntegerField(_("newest record checked"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = ["started_at", "pk"]
        verbose_name = _("archive chain check")
        verbose_name_plural = _("archive chain checks")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.is_ok else 'broken'} ({self.records_checked})"

    @property
    def broken_reason_text(self) -> str:
        return BreakReason(self.broken_reason).label if self.broken_reason in BreakReason.values else ""
