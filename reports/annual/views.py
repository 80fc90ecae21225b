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
from django.views import View
from django.views.generic import TemplateView

from bureau import clock
from bureau.exports import bytes_response
from bureau.files import protected_file_response
from reports import indicators
from reports.annual import selectors
from reports.annual.draft import draft_sections, draft_title, write_annual_draft
from reports.annual.forms import AnnualCompileForm
from reports.annual.presenters import overview_table
from reports.annual.services import annual_summary_compile

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
    permission_required = "bureau.view_annualsummary"
    template_name = "reports/annual/summary_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = self.summary.figures
        total = figures["demands"]["total"]
        context.update(
            summary=self.summary,
            figures=figures,
            rates={name: indicators.indicator(name).text(total) for name in RATES},
            overview=overview_table(figures),
            draft_title=draft_title(figures),
            draft_sections=draft_sections(figures),
        )
        return context


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
        summary = annual_summary_compile(year=form.cleaned_data["year"], actor=request.user, request=request)
        messages.success(
            request,
            _("The %(year)s summary was compiled. The workbook is being written and can be downloaded shortly.")
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
    """The draft text, written on request from the stored figures (small and quick)."""

    permission_required = "bureau.view_annualsummary"

    def get(self, request, year: int):
        buffer = io.BytesIO()
        write_annual_draft(figures=self.summary.figures, stream=buffer)
        name = _("annual-summary-%(year)s.docx") % {"year": year}
        return bytes_response(filename=name, content=buffer.getvalue(), content_type=DOCX_CONTENT_TYPE)
