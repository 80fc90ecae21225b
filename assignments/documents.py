"""The task sheet and the report upward as Word documents: the same fields as their printed pages
(templates/assignments/task_print.html, report_print.html), in full, in the official format."""

from django.utils.translation import gettext as _

from assignments.models import CountyTask, IncidentReport
from bureau.documents import FORM_WIDTHS, Cell, Label, SheetDocument, Table, moment, text_or_dash


def _signature_row() -> list:
    return [Label(_("Leader's sign-off")), Cell("\n\n" + _("Signature") + "：　　　　　　　　" + _("Date") + "：", 3)]


def _printed(now) -> str:
    return _("Printed %(day)s") % {"day": moment(now, "%Y-%m-%d")}


def task_document(*, task: CountyTask, notes, attachments, now) -> SheetDocument:
    if task.was_on_time is True:
        approved = f"{moment(task.feedback_approved_at)} {_('On time')}"
    elif task.was_on_time is False:
        approved = f"{moment(task.feedback_approved_at)} {_('Late')}"
    else:
        approved = moment(task.feedback_approved_at)
    due = moment(task.due_at) + (f" {_('Overdue')}" if task.is_overdue_at(now) else "")
    state = task.get_state_display() + (f" · {moment(task.closed_at)}" if task.closed_at else "")
    progress = "\n".join(f"{moment(note.created_at, '%m-%d %H:%M')} {note.author.name}：{note.body}" for note in notes)
    files = "、".join(attachment.original_name for attachment in attachments)
    sheet = Table(widths=FORM_WIDTHS)
    sheet.rows = [
        [Label(_("Reference number")), task.reference, Label(_("Type")), task.get_kind_display()],
        [Label(_("Title")), Cell(task.title, 3)],
        [Label(_("Issuing body")), task.issued_by, Label(_("Received at")), moment(task.received_at)],
        [Label(_("Handler")), f"{task.handler.name}（{task.handler.department}）", Label(_("Feedback due by")), due],
        [Label(_("Content")), Cell(task.content, 3)],
        [Label(_("Progress")), Cell(progress or "—", 3)],
        [Label(_("Feedback reported back")), Cell(text_or_dash(task.feedback), 3)],
        [
            Label(_("Approved by")),
            text_or_dash(task.feedback_approved_by.name if task.feedback_approved_by else ""),
            Label(_("Feedback approved at")),
            approved,
        ],
        [Label(_("State")), Cell(state, 3)],
        [Label(_("Attachments")), Cell(files or "—", 3)],
        _signature_row(),
    ]
    return SheetDocument(title=_("Task handed down: handling and feedback sheet"), meta=_printed(now), tables=[sheet])


def report_document(*, report: IncidentReport, follow_ups, now) -> SheetDocument:
    history = "\n".join(
        f"{moment(follow_up.reported_at, '%m-%d %H:%M')} {follow_up.reported_by.name}：{follow_up.body}"
        for follow_up in follow_ups
    )
    sheet = Table(widths=FORM_WIDTHS)
    sheet.rows = [
        [Label(_("Title")), Cell(report.title, 3)],
        [
            Label(_("Level")),
            report.get_level_display(),
            Label(_("Response plan applied")),
            report.response_plan.title if report.response_plan else "—",
        ],
        [
            Label(_("Reported to")),
            report.reported_to,
            Label(_("Reported at")),
            f"{moment(report.reported_at)} · {report.reported_by.name}",
        ],
        [Label(_("Summary")), Cell(report.summary, 3)],
        [Label(_("Measures taken")), Cell(text_or_dash(report.measures), 3)],
        [Label(_("Follow-up reports")), Cell(history or "—", 3)],
        _signature_row(),
    ]
    return SheetDocument(title=_("Opinion incident report"), meta=_printed(now), tables=[sheet])
