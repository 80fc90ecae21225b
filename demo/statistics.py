"""Demo: the statistics, read from what the other seeders made.

- The dashboard's daily aggregates, rebuilt from the seeded year (the beat job would get there on
  its first run; doing it here makes the first page view as quick as every other).
- Last year's final annual summary and this year's so far, as the beat jobs would have compiled
  them. A year already compiled is left alone (the nightly job recompiles it), so seeding again
  changes nothing."""

from datetime import date

from bureau.models import AnnualSummary
from opinions.services.daily_figures import daily_figures_rebuild
from reports.annual.services import annual_summary_compile, annual_summary_write_workbook


def seed(*, today: date) -> dict[str, int]:
    result = daily_figures_rebuild()
    compiled = 0
    for year in (today.year - 1, today.year):
        if AnnualSummary.objects.filter(year=year).exists():
            continue
        summary = annual_summary_compile(year=year, schedule_workbook=False)
        annual_summary_write_workbook(summary_id=summary.pk)
        compiled += 1
    return {
        "daily demand rows": result["demand_rows"],
        "daily post rows": result["post_rows"],
        "annual summaries compiled": compiled,
    }
