"""Every change of state in the assignments app: duty, tasks handed down, reports upward."""

from assignments.services.county_tasks import (
    county_task_add_attachment,
    county_task_add_note,
    county_task_approve_feedback,
    county_task_close,
    county_task_reassign,
    county_task_register,
    county_task_return_feedback,
    county_task_submit_feedback,
    county_tasks_flag_overdue,
)
from assignments.services.gaps import GapReport, duty_flag_gaps
from assignments.services.handover import handover_note_create
from assignments.services.reports import incident_follow_up_add, incident_report_create
from assignments.services.roster import RosterPlan, roster_plan, roster_save
from assignments.services.shifts import shift_ensure, shift_times
from assignments.services.signin import shift_sign_in
from assignments.services.swaps_leave import assignments_swap, leave_cancel, leave_declare, shift_assign, shift_unassign

__all__ = [
    "GapReport",
    "RosterPlan",
    "assignments_swap",
    "county_task_add_attachment",
    "county_task_add_note",
    "county_task_approve_feedback",
    "county_task_close",
    "county_task_reassign",
    "county_task_register",
    "county_task_return_feedback",
    "county_task_submit_feedback",
    "county_tasks_flag_overdue",
    "duty_flag_gaps",
    "handover_note_create",
    "incident_follow_up_add",
    "incident_report_create",
    "leave_cancel",
    "leave_declare",
    "roster_plan",
    "roster_save",
    "shift_assign",
    "shift_ensure",
    "shift_sign_in",
    "shift_times",
    "shift_unassign",
]
