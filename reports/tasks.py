"""Celery shells around the annual summary's services: ids in, one service call.

Each imports its service inside the function: the services schedule these tasks after commit, so
importing them at the top would be a loop."""

from celery import shared_task


@shared_task(ignore_result=True)
def annual_summary_compile_current_task() -> int:
    from reports.annual.services import annual_summary_compile_current

    return annual_summary_compile_current()


@shared_task(ignore_result=True)
def annual_summary_compile_final_task() -> int | None:
    from reports.annual.services import annual_summary_compile_final

    return annual_summary_compile_final()


@shared_task(ignore_result=True)
def annual_summary_write_workbook_task(summary_id: int) -> bool:
    from reports.annual.services import annual_summary_write_workbook

    return annual_summary_write_workbook(summary_id=summary_id)
