"""Celery shells around the annual summary's services: ids in, one service call.

The services schedule these tasks after commit and import them inside the scheduling function
(the one named loop of a task and its service)."""

from celery import shared_task

from bureau.jobs import once_a_day
from reports.annual.services import (
    annual_summaries_note_changes,
    annual_summary_compile_current,
    annual_summary_compile_final,
    annual_summary_write_workbook,
)
from reports.briefings.services import briefing_deliveries_send, briefings_draft_scheduled


@shared_task(ignore_result=True)
def annual_summary_compile_current_task() -> int | None:
    """The nightly compile, once a night however often beat publishes it (None: already run)."""
    with once_a_day("reports.annual_compile_current") as first:
        return annual_summary_compile_current() if first else None


@shared_task(ignore_result=True)
def annual_summary_compile_final_task() -> int | None:
    """The final compile on 1 January, once that day."""
    with once_a_day("reports.annual_compile_final") as first:
        return annual_summary_compile_final() if first else None


@shared_task(ignore_result=True)
def annual_summary_write_workbook_task(summary_id: int) -> bool:
    return annual_summary_write_workbook(summary_id=summary_id)


@shared_task(ignore_result=True)
def annual_summaries_note_changes_task() -> list[int]:
    return annual_summaries_note_changes()


@shared_task(ignore_result=True)
def briefings_draft_scheduled_task() -> list[int] | None:
    """The morning briefings (yesterday's daily; Monday: last week's weekly), once a day however
    often beat publishes it (None: already run today). Each draft is also unique by its period."""
    with once_a_day("reports.briefings_morning") as first:
        return briefings_draft_scheduled() if first else None


@shared_task(ignore_result=True)
def briefing_deliveries_send_task() -> int:
    return briefing_deliveries_send()
