"""Celery shells around the annual summary's services (imported by bureau/tasks.py so that Celery's
autodiscovery, which reads ``<app>.tasks``, registers them)."""

from celery import shared_task


@shared_task(ignore_result=True)
def annual_summary_compile_current_task() -> int:
    from bureau.annual.services import annual_summary_compile_current

    return annual_summary_compile_current()


@shared_task(ignore_result=True)
def annual_summary_compile_final_task() -> int | None:
    from bureau.annual.services import annual_summary_compile_final

    return annual_summary_compile_final()


@shared_task(ignore_result=True)
def annual_summary_write_workbook_task(summary_id: int) -> bool:
    from bureau.annual.services import annual_summary_write_workbook

    return annual_summary_write_workbook(summary_id=summary_id)
