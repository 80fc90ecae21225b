"""The annual summary pages: the years compiled, one year's figures with its downloads, and the
"compile now" button."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from bureau import clock
from bureau.exports import bytes_response
from bureau.files import protected_file_response
from reports import indicators
from reports.annual import selectors
from reports.annual.draft import draft_sections, draft_title, write_annual_draft
from reports.annual.forms import AnnualCompileForm
from reports.annual.presenters import change_rows, overview_table
from reports.annual.services import annual_summary_compile
from reports.models import AnnualSummaryRevision

RATES = ("reply_rate", "on_time_rate", "completion_rate", "satisfaction")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class AnnualSummaryListView(PermissionRequiredMixin, TemplateView):
    permission_required = "bureau.view_annualsummary"
    template_name = "reports/annual/summary_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = list(selectors.annual_summary_list())
        this_year = clock.today().year
        context.update(
            summaries=summaries,
            this_year=this_year,
            this_year_missing=all(summary.year != this_year for summary in summaries),
            # After a refused year the form shows what was typed, beside the message saying why.
            form=AnnualCompileForm(initial={"year": self.request.GET.get("year", "")[:10] or this_year}),
        )
        return context


class SummaryAccessMixin:
    """Loads ``self.summary`` for the year in the URL (no compiled summary → 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.summary = selectors.annual_summary_get(year=kwargs["year"])
            if self.summary is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class AnnualSummaryDetailView(PermissionRequiredMixin, SummaryAccessMixin, TemplateView):
    """A year's current figures; for a finished year, which revision they are, the earlier ones,
    and whether a change recorded since touches the year."""

    permission_required = "bureau.view_annualsummary"
    template_name = "reports/annual/summary_detail.html"

    def shown_revision(self, revisions: list) -> AnnualSummaryRevision | None:
        return revisions[0] if revisions else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revisions = list(selectors.annual_summary_revisions(summary=self.summary))
        shown = self.shown_revision(revisions)
        current = revisions[0] if revisions else None
        is_current = shown is None or shown.number == current.number
        figures = self.summary.figures if is_current else shown.figures
        total = figures["demands"]["total"]
        context.update(
            summary=self.summary,
            figures=figures,
            rates={name: indicators.indicator(name).text(total) for name in RATES},
            overview=overview_table(figures),
            draft_title=draft_title(figures),
            draft_sections=draft_sections(figures),
            revisions=revisions,
            revision=shown,
            current_revision=current,
            is_current=is_current,
            changes=change_rows(shown.changes) if shown is not None else [],
        )
        return context


class AnnualSummaryRevisionView(AnnualSummaryDetailView):
    """An earlier (or the current) revision of a finished year, as it was compiled."""

    def shown_revision(self, revisions: list) -> AnnualSummaryRevision | None:
        number = self.kwargs["number"]
        shown = next((revision for revision in revisions if revision.number == number), None)
        if shown is None:
            raise Http404
        if shown is not revisions[0]:
            # The list leaves the figures out; an earlier revision's are read for this page only.
            loaded = selectors.annual_summary_revision_get(summary=self.summary, number=number)
            if loaded is None:
                raise Http404
            shown = loaded
        return shown


class AnnualSummaryCompileView(PermissionRequiredMixin, View):
    """POST: compile a year's summary now, then show it."""

    permission_required = "bureau.compile_annualsummary"
    http_method_names = ["post"]

    def post(self, request):
        form = AnnualCompileForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("year", []):
                messages.error(request, error)
            typed = urlencode({"year": request.POST.get("year", "")[:10]})
            return redirect(f"{reverse('annual:summary-list')}?{typed}")
        year = form.cleaned_data["year"]
        previous = selectors.annual_summary_current_revision(year=year)
        summary = annual_summary_compile(year=year, actor=request.user, request=request)
        revision = selectors.annual_summary_current_revision(year=year)
        if revision is None:
            messages.success(
                request,
                _("The %(year)s summary was compiled. The workbook is being written and can be downloaded shortly.")
                % {"year": summary.year},
            )
        elif previous is not None and previous.number == revision.number:
            messages.info(
                request,
                _("No figure of %(year)s has changed since revision %(number)s: it stays the current one.")
                % {"year": summary.year, "number": revision.number},
            )
        elif revision.changes:
            messages.success(
                request,
                ngettext(
                    "The %(year)s summary was compiled. Revision %(number)s: %(count)s figure changed.",
                    "The %(year)s summary was compiled. Revision %(number)s: %(count)s figures changed.",
                    len(revision.changes),
                )
                % {"number": revision.number, "year": summary.year, "count": len(revision.changes)},
            )
        else:
            messages.success(
                request,
                _("The %(year)s summary was compiled. This is its revision 1; the workbook is being written.")
                % {"year": summary.year},
            )
        return redirect("annual:summary-detail", year=summary.year)


class AnnualWorkbookDownloadView(PermissionRequiredMixin, SummaryAccessMixin, View):
    permission_required = "bureau.view_annualsummary"

    def get(self, request, year: int):
        if not self.summary.has_current_workbook:
            messages.info(request, _("The workbook of this compilation is still being written. Try again shortly."))
            return redirect("annual:summary-detail", year=year)
        name = _("annual-summary-%(year)s.xlsx") % {"year": year}
        return protected_file_response(self.summary.workbook, download_name=name)


class AnnualDraftDownloadView(PermissionRequiredMixin, SummaryAccessMixin, View):
    """The draft text, written on request from the stored figures (small and quick): the current
    ones, or those of an earlier revision."""

    permission_required = "bureau.view_annualsummary"

    def get(self, request, year: int, number: int | None = None):
        figures = self.summary.figures
        name = _("annual-summary-%(year)s.docx") % {"year": year}
        if number is not None:
            revision = selectors.annual_summary_revision_get(summary=self.summary, number=number)
            if revision is None:
                raise Http404
            figures = revision.figures
            name = _("annual-summary-%(year)s-revision-%(number)s.docx") % {"year": year, "number": number}
        buffer = io.BytesIO()
        write_annual_draft(figures=figures, stream=buffer)
        return bytes_response(filename=name, content=buffer.getvalue(), content_type=DOCX_CONTENT_TYPE)
