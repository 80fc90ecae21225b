"""The duty and assignments app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "assignments.roster.generated": _("Roster generated"),
    "assignments.shiftassignment.added": _("Put on a shift"),
    "assignments.shiftassignment.removed": _("Taken off a shift"),
    "assignments.shiftassignment.swapped": _("Shift swapped"),
    "assignments.shiftassignment.signed_in": _("Signed in for duty"),
    "assignments.shift.gaps_flagged": _("Duty gaps flagged"),
    "assignments.leave.declared": _("Leave declared"),
    "assignments.leave.cancelled": _("Leave cancelled"),
    "assignments.handovernote.written": _("Handover written"),
    "assignments.incidentreport.reported": _("Incident reported upward"),
    "assignments.incidentreport.followed_up": _("Incident report followed up"),
    "assignments.countytask.received": _("Task received from the county"),
    "assignments.countytask.reassigned": _("Task reassigned"),
    "assignments.countytask.progressed": _("Task progress recorded"),
    "assignments.countytask.flagged_overdue": _("Task flagged overdue"),
    "assignments.countytask.feedback_submitted": _("Task feedback submitted"),
    "assignments.countytask.feedback_returned": _("Task feedback returned"),
    "assignments.countytask.feedback_approved": _("Task feedback approved"),
    "assignments.countytask.closed": _("Task closed"),
    "assignments.taskattachment.uploaded": _("Attachment uploaded"),
}
