"""Keeping the reply templates (答复口径): from the admin and from the office head's page, each
change archived. Their use is counted by ``demand_reply``."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from archive.services import archive_record
from bureau.types import AnyUser
from opinions.models import ReplyTemplate
from opinions.policies import reply_templates_may_keep

FIELDS = ("name", "kind", "department_id", "text", "is_active")


@transaction.atomic
def reply_template_save(
    *,
    actor: AnyUser,
    template: ReplyTemplate,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> ReplyTemplate:
    """Create or change a template, with its archive record. Raises PermissionDenied unless the
    actor keeps templates, ValidationError for a name in braces that is not a variable."""
    if not reply_templates_may_keep(actor):
        raise PermissionDenied
    template.full_clean(exclude=["use_count"])
    old = ReplyTemplate.objects.select_for_update().filter(pk=template.pk).first() if template.pk else None
    before = {name: str(getattr(old, name)) for name in FIELDS} if old else {}
    if old is not None:
        template.use_count = old.use_count  # counted by replies only, never by an edit
    template.save()
    archive_record(
        action=f"opinions.replytemplate.{'changed' if old else 'created'}",
        actor=actor,
        target=template,
        summary=template.name,
        before=before or None,
        after={name: str(getattr(template, name)) for name in FIELDS},
        request=request,
        now=now,
    )
    return template
