"""Demo: last year's final summary and this year's so far, as the beat jobs would have compiled
them. A year already compiled is left alone (the nightly job recompiles it), so seeding again
changes nothing."""

from datetime import date

from bureau.annual.services import annual_summary_compile, annual_summary_write_workbook
from bureau.models import AnnualSummary


def seed(*, today: date) -> dict[str, int]:
    compiled = 0
    for year in (today.year - 1, today.year):
        if AnnualSummary.objects.filter(year=year).exists():
            continue
        summary = annual_summary_compile(year=year, schedule_workbook=False)
        annual_summary_write_workbook(summary_id=summary.pk)
        compiled += 1
    return {"annual summaries compiled": compiled}
