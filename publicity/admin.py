"""Configuration of publicity: platforms, media outlets and the yearly quotas (whose changes go
through ``quota_save``/``quota_delete`` so the archive records them). Domain rows are read-only."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ReadOnlyAdmin
from publicity.forms import PublicityQuotaForm
from publicity.models import (
    DisclosureItem,
    MediaCoverage,
    MediaOutlet,
    Platform,
    PlatformStatistic,
    PublicityPost,
    PublicityQuota,
    QuotaWarning,
)
from publicity.services import quota_delete, quota_save


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    # An address typed without a scheme is read as https (as in the office's own forms).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "section", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["name", "section"]
    fields = ["name", "section", "kind", "url", "is_active", "sort_order"]


@admin.register(MediaOutlet)
class MediaOutletAdmin(admin.ModelAdmin):
    # An address typed without a scheme is read as https (as in the office's own forms).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "level", "kind", "is_active", "sort_order"]
    list_filter = ["level", "kind", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["name"]
    fields = ["name", "level", "kind", "is_active", "sort_order"]


@admin.register(PublicityQuota)
class PublicityQuotaAdmin(admin.ModelAdmin):
    form = PublicityQuotaForm
    list_display = ["year", "scope", "minimum", "notes"]
    list_filter = ["year"]
    list_select_related = ["department", "platform"]
    fields = ["year", "department", "platform", "platform_kind", "minimum", "notes"]

    @admin.display(description=_("scope"))
    def scope(self, quota):
        return quota.scope_label

    def save_model(self, request, obj, form, change):
        quota_save(quota=obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        quota_delete(quota=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for quota in queryset:
            quota_delete(quota=quota, actor=request.user, request=request)


@admin.register(PublicityPost)
class PublicityPostAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "department", "author", "platform", "planned_on", "published_on"]
    list_filter = ["state", "platform"]
    list_select_related = ["department", "author", "platform"]
    search_fields = ["title"]


@admin.register(MediaCoverage)
class MediaCoverageAdmin(ReadOnlyAdmin):
    list_display = ["reported_on", "outlet", "title"]
    list_select_related = ["outlet"]
    search_fields = ["title"]


@admin.register(PlatformStatistic)
class PlatformStatisticAdmin(ReadOnlyAdmin):
    list_display = ["month", "platform", "followers", "posts_published"]
    list_select_related = ["platform"]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ReadOnlyAdmin):
    list_display = ["published_on", "title", "category", "platform", "approved_by"]
    list_filter = ["category"]
    list_select_related = ["platform", "approved_by"]
    search_fields = ["title", "document_number"]


@admin.register(QuotaWarning)
class QuotaWarningAdmin(ReadOnlyAdmin):
    list_display = ["month", "quota", "published", "expected", "sent_at"]
    list_select_related = ["quota", "quota__department", "quota__platform"]
