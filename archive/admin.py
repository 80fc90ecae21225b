"""The archive in the Django admin: to read and search, never to add, change or delete."""

from django.contrib import admin

from archive.models import ArchiveCheck, ArchiveRecord
from bureau.admin_base import ReadOnlyAdmin


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action", "target_type", "target_text", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["summary", "target_text", "actor_name", "action"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # no second COUNT(*) over the whole archive on every page
    fields = [
        "created_at",
        "actor",
        "actor_name",
        "ip_address",
        "action",
        "target_type",
        "target_id",
        "target_text",
        "summary",
        "before",
        "after",
        "previous_hash",
        "record_hash",
    ]
    readonly_fields = fields


@admin.register(ArchiveCheck)
class ArchiveCheckAdmin(ReadOnlyAdmin):
    """Chain checks, read-only: they are written by the check itself (page, command, nightly job)."""

    list_display = ["started_at", "source", "checked_by", "is_ok", "records_checked", "broken_record_id"]
    list_filter = ["is_ok", "source"]
    list_select_related = ["checked_by__person"]
    date_hierarchy = "started_at"
    fields = [
        "started_at",
        "finished_at",
        "source",
        "checked_by",
        "is_ok",
        "records_checked",
        "broken_record_id",
        "broken_at",
        "broken_action",
        "broken_reason",
        "last_hash",
    ]
    readonly_fields = fields
