"""Reads of the stored annual summaries."""

from django.db.models import QuerySet

from bureau.models import AnnualSummary


def annual_summary_list() -> QuerySet[AnnualSummary]:
    """The latest compilation of each year, newest year first, with who compiled it."""
    return AnnualSummary.objects.select_related("compiled_by__person").defer("figures").order_by("-year")


def annual_summary_get(*, year: int) -> AnnualSummary | None:
    return AnnualSummary.objects.select_related("compiled_by__person").filter(year=year).first()
