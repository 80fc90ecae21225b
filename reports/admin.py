"""The revisions of finished years' summaries, shown read-only (they are written by the compile)."""

from django.contrib import admin

from bureau.admin_base import ReadOnlyAdmin
from reports.models import AnnualSummaryRevision


@admin.register(AnnualSummaryRevision)
class AnnualSummaryRevisionAdmin(ReadOnlyAdmin):
    """Read-only: a revision is the record of what a compilation found; the archive keeps each one."""

    list_display = ["summary", "number", "compiled_at", "compiled_by", "changed_at"]
    list_select_related = ["summary", "compiled_by__person"]
    readonly_fields = [
        "summary",
        "number",
        "figures",
        "changes",
        "compiled_at",
        "compiled_by",
        "archive_watermark",
        "checked_up_to",
        "changed_at",
    ]
