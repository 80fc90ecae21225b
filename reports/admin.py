"""The reports app in the admin: the revisions of finished years' summaries, read-only (they are
written by the compile), and the assessment's scoring rules per year."""

from django.contrib import admin

from bureau.admin_base import ReadOnlyAdmin
from reports.models import AnnualSummaryRevision, BriefingDelivery, BriefingRecipient, ScoringRule


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


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "indicator", "weight", "full_at", "half_at", "higher_is_better")
    list_filter = ("year", "indicator")
    ordering = ("-year", "indicator")


@admin.register(BriefingRecipient)
class BriefingRecipientAdmin(admin.ModelAdmin):
    """The briefings' distribution list: people (a notice and its e-mail) and chat robots."""

    list_display = ("__str__", "user", "robot", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("user", "robot")


@admin.register(BriefingDelivery)
class BriefingDeliveryAdmin(ReadOnlyAdmin):
    """Read-only: the outbox of signed briefings' robot messages."""

    list_display = ("briefing", "robot", "attempts", "sent_at", "next_attempt_at", "last_error")
    list_select_related = ("briefing", "robot")
    readonly_fields = ("briefing", "robot", "created_at", "next_attempt_at", "attempts", "sent_at", "last_error")
