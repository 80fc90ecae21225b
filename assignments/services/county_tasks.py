"""Tasks handed down by the county: register, handle, report back, close; the overdue sweep.

received → in progress (progress notes) → feedback submitted → feedback approved (by a leader in
charge) → closed. A leader may send the feedback back, which returns the task to "in progress"."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import CountyTask, TaskAttachment, TaskNote
from assignments.policies import county_task_require
from assignments.services._common import person_of, save_and_archive
from bureau import clock
from bureau.files import DOCUMENT_KINDS, upload_display_name, validate_upload
from bureau.models import Person, Role, RoleGroup, User
from bureau.notifications import notification_create
from bureau.search import search_fill
from bureau.types import AnyUser

State = CountyTask.State


def _locked_for(actor: AnyUser, task: CountyTask, action: str) -> CountyTask:
    """The task, locked (two people acting at once: one wins) and re-checked against the policy."""
    task = CountyTask.objects.select_for_update().select_related("handler", "handler__user").get(pk=task.pk)
    county_task_require(actor, task, action)
    return task


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def county_task_register(
    *,
    actor: User,
    kind: str,
    reference: str,
    title: str,
    issued_by: str,
    received_at: datetime,
    content: str,
    due_at: datetime,
    handler: Person,
    attachment: UploadedFile | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> CountyTask:
    """Register a task received from the county, with the county's file if one came; the handler
    is told. Raises ValidationError for a reference already registered, a deadline before receipt
    or a refused file (then on the ``attachment`` field, and nothing is registered)."""
    now = now or clock.now()
    if due_at <= received_at:
        raise ValidationError(_("The feedback deadline must be after the time the task was received."))
    if CountyTask.objects.filter(reference=reference).exists():
        raise ValidationError(_("A task with this reference number is already registered."))
    task = CountyTask(
        kind=kind,
        reference=reference,
        title=title,
        issued_by=issued_by,
        received_at=received_at,
        content=content,
        due_at=due_at,
        handler=handler,
        department_id=handler.department_id,  # the task counts for this department, whoever moves later
        created_by=actor,
    )
    search_fill(task).save(force_insert=True)  # with its search columns (bureau.search)
    archive_record(
        action="assignments.countytask.received",
        actor=actor,
        request=request,
        target=task,
        summary=title,
        after={"kind": kind, "reference": reference, "handler": handler.pk, "due_at": due_at},
        now=now,
    )
    if attachment:
        try:
            county_task_add_attachment(task=task, uploaded_file=attachment, actor=actor, request=request, now=now)
        except ValidationError as error:
            raise ValidationError({"attachment": error.error_list}) from error
    notification_create(
        recipient=handler.user,
        kind="assignments.task_assigned",
        dedupe_key=f"assignments.task_assigned:{task.pk}:{handler.pk}",
        title=_("Task handed down to you: %(reference)s %(title)s") % {"reference": reference, "title": title},
        body=_("Feedback is due by %(due)s.") % {"due": _local(due_at)},
        link=task.get_absolute_url(),
        now=now,
    )
    return task


@transaction.atomic
def county_task_reassign(
    *,
    task: CountyTask,
    handler: Person,
    actor: AnyUser,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> CountyTask:
    now = now or clock.now()
    task = _locked_for(actor, task, "reassign")
    before = {"handler": task.handler_id}
    task.handler, task.department_id = handler, handler.department_id
    task.save(update_fields=["handler", "department"])
    archive_record(
        action="assignments.countytask.reassigned",
        actor=actor,
        request=request,
        target=task,
        summary=handler.name,
        before=before,
        after={"handler": handler.pk},
        now=now,
    )
    notification_create(
        recipient=handler.user,
        kind="assignments.task_assigned",
        dedupe_key=f"assignments.task_assigned:{task.pk}:{handler.pk}",
        title=_("Task handed down to you: %(reference)s %(title)s")
        % {"reference": task.reference, "title": task.title},
        body=_("Feedback is due by %(due)s.") % {"due": _local(task.due_at)},
        link=task.get_absolute_url(),
        now=now,
    )
    return task


@transaction.atomic
def county_task_add_note(
    *, task: CountyTask, body: str, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> TaskNote:
    """A progress note by the handler (or a supervisor); the first one moves the task into progress."""
    now = now or clock.now()
    task = _locked_for(actor, task, "note")
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the progress made."))
    note = TaskNote.objects.create(task=task, author=person_of(actor), body=body, created_at=now)
    before = {"state": task.state}
    if task.state == State.RECEIVED:
        task.state = State.IN_PROGRESS
        task.save(update_fields=["state"])
    archive_record(
        action="assignments.countytask.progressed",
        actor=actor,
        request=request,
        target=task,
        summary=body[:200],
        before=before,
        after={"state": task.state, "note": note.pk},
        now=now,
    )
    return note


@transaction.atomic
def county_task_add_attachment(
    *,
    task: CountyTask,
    uploaded_file: UploadedFile,
    actor: AnyUser,
    request: HttpRequest | None = None,
    now: datetime | None = None,
    max_bytes: int | None = None,
) -> TaskAttachment:
    """Store a file for the task after checking its size and real type (by content). The stored
    name is random; the original name (without any path) is kept for downloads."""
    now = now or clock.now()
    task = _locked_for(actor, task, "attach")
    kind = validate_upload(uploaded_file, allowed_kinds=DOCUMENT_KINDS, max_bytes=max_bytes)
    attachment = TaskAttachment(
        task=task,
        original_name=upload_display_name(uploaded_file.name),
        kind=kind,
        size=uploaded_file.size or 0,
        uploaded_by=person_of(actor),
        uploaded_at=now,
    )
    attachment.file.save(attachment.original_name, uploaded_file, save=False)
    attachment.save()
    archive_record(
        action="assignments.taskattachment.uploaded",
        actor=actor,
        request=request,
        target=attachment,
        summary=attachment.original_name,
        after={"task": task.pk, "kind": kind, "size": attachment.size},
        now=now,
    )
    return attachment


def _leader_users() -> QuerySet[User]:
    return get_user_model().objects.filter(person__role=Role.LEADER, person__is_active=True, is_active=True)


@transaction.atomic
def county_task_submit_feedback(
    *, task: CountyTask, feedback: str, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> CountyTask:
    """The handler submits the text to report back; the leaders in charge are asked to approve it."""
    now = now or clock.now()
    task = _locked_for(actor, task, "feedback")
    feedback = feedback.strip()
    if not feedback:
        raise ValidationError(_("Write the feedback to report back."))
    save_and_archive(
        task,
        action="assignments.countytask.feedback_submitted",
        actor=actor,
        request=request,
        now=now,
        summary=feedback[:200],
        after={"feedback": feedback},
        state=State.FEEDBACK_SUBMITTED,
        feedback=feedback,
        feedback_submitted_at=now,
    )
    for user in _leader_users():
        notification_create(
            recipient=user,
            kind="assignments.feedback_to_approve",
            dedupe_key=f"assignments.feedback_to_approve:{task.pk}:{now.isoformat()}",
            title=_("Feedback to approve: %(reference)s %(title)s")
            % {"reference": task.reference, "title": task.title},
            link=task.get_absolute_url(),
            now=now,
        )
    return task


@transaction.atomic
def county_task_approve_feedback(
    *, task: CountyTask, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> CountyTask:
    """A leader in charge approves the feedback; it counts as reported back now."""
    now = now or clock.now()
    task = _locked_for(actor, task, "approve")
    save_and_archive(
        task,
        action="assignments.countytask.feedback_approved",
        actor=actor,
        request=request,
        now=now,
        after={"on_time": now <= task.due_at},
        state=State.FEEDBACK_APPROVED,
        feedback_approved_at=now,
        feedback_approved_by=person_of(actor),
    )
    notification_create(
        recipient=task.handler.user,
        kind="assignments.feedback_approved",
        dedupe_key=f"assignments.feedback_approved:{task.pk}",
        title=_("Feedback approved: %(reference)s %(title)s") % {"reference": task.reference, "title": task.title},
        link=task.get_absolute_url(),
        now=now,
    )
    return task


@transaction.atomic
def county_task_return_feedback(
    *, task: CountyTask, reason: str, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> CountyTask:
    """A leader sends the feedback back with a reason; the task is in progress again."""
    now = now or clock.now()
    task = _locked_for(actor, task, "send-back")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what must change."))
    TaskNote.objects.create(task=task, author=person_of(actor), body=reason, created_at=now)
    save_and_archive(
        task,
        action="assignments.countytask.feedback_returned",
        actor=actor,
        request=request,
        now=now,
        summary=reason[:200],
        state=State.IN_PROGRESS,
        feedback_submitted_at=None,
    )
    notification_create(
        recipient=task.handler.user,
        kind="assignments.feedback_returned",
        dedupe_key=f"assignments.feedback_returned:{task.pk}:{now.isoformat()}",
        title=_("Feedback sent back: %(reference)s %(title)s") % {"reference": task.reference, "title": task.title},
        body=reason,
        link=task.get_absolute_url(),
        now=now,
    )
    return task


@transaction.atomic
def county_task_close(
    *, task: CountyTask, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> CountyTask:
    """Close a task whose feedback was approved (and reported to the county)."""
    now = now or clock.now()
    task = _locked_for(actor, task, "close")
    save_and_archive(
        task,
        action="assignments.countytask.closed",
        actor=actor,
        request=request,
        now=now,
        state=State.CLOSED,
        closed_at=now,
    )
    return task


@transaction.atomic
def county_tasks_flag_overdue(*, now: datetime | None = None) -> int:
    """Flag tasks whose feedback is not approved by the deadline, with one conditional UPDATE, and
    tell each handler and the supervisors once. Safe to run twice or concurrently: a second run
    flags nothing, and notifications are unique per task and recipient."""
    now = now or clock.now()
    # feedback_approved_at=None is implied by open; spelled out so the partial index task_due_idx applies.
    flagged = (
        CountyTask.objects.overdue(at=now).filter(overdue_at=None, feedback_approved_at=None).update(overdue_at=now)
    )
    if not flagged:
        return 0
    supervisors = list(get_user_model().objects.filter(groups__name=RoleGroup.SUPERVISORS, is_active=True).distinct())
    for task in CountyTask.objects.filter(overdue_at=now).select_related("handler__user"):
        title = _("Task overdue: %(reference)s %(title)s") % {"reference": task.reference, "title": task.title}
        body = _("Feedback was due by %(due)s.") % {"due": _local(task.due_at)}
        for user in {task.handler.user, *supervisors}:
            notification_create(
                recipient=user,
                kind="assignments.task_overdue",
                dedupe_key=f"assignments.task_overdue:{task.pk}",
                title=title,
                body=body,
                link=task.get_absolute_url(),
                now=now,
            )
        archive_record(
            action="assignments.countytask.flagged_overdue",
            target=task,
            after={"overdue_at": now},
            now=now,
        )
    return flagged
