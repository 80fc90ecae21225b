"""Reads of the stored annual summaries."""

from django.db.models import Max, OuterRef, QuerySet, Subquery

from bureau.models import AnnualSummary
from reports.models import AnnualSummaryRevision


def annual_summary_list() -> QuerySet[AnnualSummary]:
    """The latest compilation of each year, newest year first, with who compiled it and, for a
    final year, its current revision's number (``final_revision``)."""
    return (
        AnnualSummary.objects.select_related("compiled_by__person")
        .defer("figures")
        .annotate(final_revision=Max("revisions__number"))
        .order_by("-year")
    )


def annual_summary_get(*, year: int) -> AnnualSummary | None:
    return AnnualSummary.objects.select_related("compiled_by__person").filter(year=year).first()


def annual_summary_revisions(*, summary: AnnualSummary) -> QuerySet[AnnualSummaryRevision]:
    """The revisions of a final summary, newest first, without their figures (the list shows when,
    by whom and how many figures changed)."""
    return (
        AnnualSummaryRevision.objects.filter(summary=summary)
        .select_related("compiled_by__person")
        .defer("figures")
        .order_by("-number")
    )


def annual_summary_revision_get(*, summary: AnnualSummary, number: int) -> AnnualSummaryRevision | None:
    return (
        AnnualSummaryRevision.objects.select_related("compiled_by__person")
        .filter(summary=summary, number=number)
        .first()
    )


def annual_summary_latest_revisions() -> QuerySet[AnnualSummaryRevision]:
    """The current (newest) revision of each final summary, with its summary, figures left out."""
    newest = AnnualSummaryRevision.objects.filter(summary=OuterRef("summary")).order_by("-number").values("number")[:1]
    return (
        AnnualSummaryRevision.objects.filter(number=Subquery(newest))
        .select_related("summary")
        .defer("figures", "changes", "summary__figures")
        .order_by("summary__year")
    )


def annual_summary_current_revision(*, year: int) -> AnnualSummaryRevision | None:
    """The newest revision of the year's final summary (None while the year runs), figures left out."""
    return AnnualSummaryRevision.objects.filter(summary__year=year).defer("figures").order_by("-number").first()
