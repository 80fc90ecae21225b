"""The admin's "delete selected" action, archived.

Django logs a bulk delete of two or more objects with ``bulk_create``, which sends no ``post_save``,
so the LogEntry receiver never sees it. This action wraps Django's own and archives each deleted
object in the same transaction (a single object is logged one by one and archived by the receiver)."""

from django.contrib.admin.actions import delete_selected
from django.db import transaction

from archive.services import archive_record


def archived_delete_selected(modeladmin, request, queryset):
    confirmed = bool(request.POST.get("post"))
    meta = queryset.model._meta
    targets = [(str(obj.pk), str(obj)) for obj in queryset] if confirmed else []
    with transaction.atomic():
        response = delete_selected(modeladmin, request, queryset)
        if confirmed and response is None and len(targets) > 1:
            for target_id, target_text in targets:
                archive_record(
                    action=f"admin.{meta.app_label}.{meta.model_name}.deleted",
                    actor=request.user,
                    request=request,
                    target_type=f"{meta.app_label}.{meta.model_name}",
                    target_id=target_id,
                    target_text=target_text,
                    summary=str(delete_selected.short_description),
                )
    return response


archived_delete_selected.allowed_permissions = delete_selected.allowed_permissions
archived_delete_selected.short_description = delete_selected.short_description
