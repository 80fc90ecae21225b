"""Configuration in the admin: shift types and the register of response plans. Domain rows
(shifts, tasks, reports) change only through the app's pages and services, so they are read-only here."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from assignments.models import CountyTask, IncidentReport, ResponsePlan, Shift, ShiftType
from bureau.admin_base import ReadOnlyAdmin
from bureau.files import DOCUMENT_KINDS, upload_display_name, validate_upload


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "starts", "ends", "people_needed", "is_night", "sign_in_grace", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]


class ResponsePlanForm(forms.ModelForm):
    class Meta:
        model = ResponsePlan
        fields = ["title", "scope", "file", "adopted_on", "is_active"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):
            validate_upload(uploaded, allowed_kinds=DOCUMENT_KINDS)
        return uploaded


@admin.register(ResponsePlan)
class ResponsePlanAdmin(admin.ModelAdmin):
    form = ResponsePlanForm
    list_display = ["title", "adopted_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "scope"]

    def save_model(self, request, obj, form, change):
        uploaded = form.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):
            obj.original_name = upload_display_name(uploaded.name)
        super().save_model(request, obj, form, change)


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["on", "shift_type", "starts_at", "ends_at", "people_needed", "understaffed_at"]
    list_filter = ["shift_type"]
    date_hierarchy = "on"


@admin.register(CountyTask)
class CountyTaskAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "state", "due_at", "handler"]
    list_filter = ["kind", "state"]
    search_fields = ["reference", "title"]
    list_select_related = ["handler"]


@admin.register(IncidentReport)
class IncidentReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "level", "reported_at", "reported_by"]
    list_filter = ["level"]
    list_select_related = ["reported_by"]
