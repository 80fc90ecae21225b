"""Configuration kept by administrators: channels, keyword lists, patrol rules. Posts and the
patrol log are read-only here; their changes go through the office's pages and services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ReadOnlyAdmin
from bureau.files import validate_upload
from opinions.models import (
    CalendarDay,
    Channel,
    Demand,
    DemandCallBack,
    DemandHandBack,
    DemandRound,
    DemandRules,
    PatrolRecord,
    PatrolRule,
    Post,
    ReplyTemplate,
    ReplyWindow,
    ScreeningCategory,
    SimilarityRules,
)
from opinions.services.calendar import demand_config_save
from opinions.services.channels import channel_save, patrol_rule_save
from opinions.services.knowledge import reply_template_save
from opinions.services.screening import screening_category_save

KEYWORD_FILE_MAX_BYTES = 2 * 1024 * 1024


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    # An address typed without a scheme is read as https (as in the office's own forms).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "kind",
        "section",
        "is_active",
        "poll_interval_minutes",
        "last_success_at",
        "consecutive_failures",
    ]
    list_filter = ["kind", "is_active", "section"]
    search_fields = ["name", "feed_url"]
    list_select_related = ["section"]
    readonly_fields = ["next_poll_at", "last_polled_at", "last_success_at", "last_error", "consecutive_failures"]
    fields = [
        "name",
        "kind",
        "section",
        "is_active",
        "feed_url",
        "poll_interval_minutes",
        "sort_order",
        *readonly_fields,
    ]

    def save_model(self, request, obj, form, change):
        channel_save(channel=obj, actor=request.user, request=request)


class ScreeningCategoryForm(forms.ModelForm):
    added_keywords = forms.CharField(
        label=_("Add keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste many lines at once: one keyword or phrase per line."),
    )
    keyword_file = forms.FileField(
        label=_("Import keywords from a text file"),
        required=False,
        help_text=_("A .txt file, UTF-8 or GB18030, one keyword per line."),
    )

    class Meta:
        model = ScreeningCategory
        fields = ["code", "name", "purpose", "is_active", "sort_order", "keywords"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 16})}

    def clean_keyword_file(self):
        upload = self.cleaned_data.get("keyword_file")
        if not upload:
            return ""
        validate_upload(upload, allowed_kinds={"txt", "csv"}, max_bytes=KEYWORD_FILE_MAX_BYTES)
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))


@admin.register(ScreeningCategory)
class ScreeningCategoryAdmin(admin.ModelAdmin):
    form = ScreeningCategoryForm
    list_display = ["name", "code", "purpose", "keyword_count", "is_active", "updated_at"]
    list_filter = ["purpose", "is_active"]
    search_fields = ["name", "code", "keywords"]
    readonly_fields = ["updated_at"]

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj):
        return obj.keyword_count

    def save_model(self, request, obj, form, change):
        added = "\n".join([form.cleaned_data.get("added_keywords") or "", form.cleaned_data.get("keyword_file") or ""])
        screening_category_save(category=obj, actor=request.user, added_text=added, request=request)


@admin.register(PatrolRule)
class PatrolRuleAdmin(admin.ModelAdmin):
    list_display = ["section", "limit_minutes", "hours_start", "hours_end", "weekdays_only", "is_active", "due_at"]
    list_select_related = ["section"]
    readonly_fields = ["last_reviewed_at", "due_at", "warned_at"]

    def save_model(self, request, obj, form, change):
        patrol_rule_save(rule=obj, actor=request.user, request=request)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["title", "channel", "section", "status", "screening", "found_at"]
    list_filter = ["status", "screening", "channel__kind"]
    list_select_related = ["channel", "section"]
    search_fields = ["title"]
    show_full_result_count = False


@admin.register(PatrolRecord)
class PatrolRecordAdmin(ReadOnlyAdmin):
    list_display = ["reviewed_at", "section", "reviewer", "posts_seen"]
    list_select_related = ["section", "reviewer"]


class _ConfigAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        demand_config_save(obj=obj, actor=request.user, request=request)


@admin.register(ReplyWindow)
class ReplyWindowAdmin(_ConfigAdmin):
    list_display = ["kind", "amount", "unit", "needs_review"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """答复口径: a reply with variables, per kind and department; the most used first."""

    list_display = ["name", "kind", "department", "is_active", "use_count"]
    list_filter = ["kind", "department", "is_active"]
    search_fields = ["name", "text"]
    list_select_related = ["department"]
    readonly_fields = ["use_count"]

    def save_model(self, request, obj, form, change):
        reply_template_save(actor=request.user, template=obj, request=request)


@admin.register(CalendarDay)
class CalendarDayAdmin(_ConfigAdmin):
    list_display = ["day", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"


@admin.register(DemandRules)
class DemandRulesAdmin(_ConfigAdmin):
    list_display = ["__str__", "due_soon_window", "supervisor_after", "leader_after", "sign_for_window"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DemandRules.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(SimilarityRules)
class SimilarityRulesAdmin(_ConfigAdmin):
    """The near-duplicate window and threshold: one row, like the escalation rules."""

    list_display = ["__str__", "window", "threshold"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SimilarityRules.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    """Read-only: demands change only through the office's pages."""

    list_display = ["number", "subject", "kind", "state", "channel", "handler", "received_at", "due_at"]
    list_filter = ["kind", "state", "channel"]
    list_select_related = ["channel", "handler"]
    search_fields = ["number", "subject"]
    exclude = ["citizen_name", "citizen_contact"]


@admin.register(DemandRound)
class DemandRoundAdmin(ReadOnlyAdmin):
    """Read-only: a demand's rounds, written by the demand services."""

    list_display = ["demand", "number", "started_at", "due_at", "extension_until", "extension_decision", "replied_at"]
    list_filter = ["number", "extension_decision"]
    list_select_related = ["demand"]


@admin.register(DemandCallBack)
class DemandCallBackAdmin(ReadOnlyAdmin):
    list_display = ["demand", "number", "round", "at", "result"]
    list_filter = ["result"]
    list_select_related = ["demand"]


@admin.register(DemandHandBack)
class DemandHandBackAdmin(ReadOnlyAdmin):
    list_display = ["demand", "asked_at", "department", "decision", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["demand", "department"]
