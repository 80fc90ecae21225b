"""Celery shells around the annual summary's services: ids in, one service call.

The services schedule these tasks after commit and import them inside the scheduling function
(the one named loop of a task and its service)."""

from celery import shared_task

from reports.annual.services import (
    annual_summaries_note_changes,
    annual_summary_compile_current,
    annual_summary_compile_final,
    annual_summary_write_workbook,
)


@shared_task(ignore_result=True)
def annual_summary_compile_current_task() -> int:
    return annual_summary_compile_current()


@shared_task(ignore_result=True)
def annual_summary_compile_final_task() -> int | None:
    return annual_summary_compile_final()


@shared_task(ignore_result=True)
def annual_summary_write_workbook_task(summary_id: int) -> bool:
    return annual_summary_write_workbook(summary_id=summary_id)


@shared_task(ignore_result=True)
def annual_summaries_note_changes_task() -> list[int]:
    return annual_summaries_note_changes()
