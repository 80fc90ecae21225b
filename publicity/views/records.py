"""Pages of media coverage, platform statistics and the disclosure ledger."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bureau import clock
from bureau.bounds import requested_year
from bureau.exports import xlsx_response
from bureau.selectors import person_for
from bureau.views_base import ServiceFormView
from publicity import exports, selectors, services
from publicity.forms import (
    DisclosureItemForm,
    MediaCoverageForm,
    PlatformStatisticForm,
)
from publicity.views._common import FilteredListView

# --- Coverage ------------------------------------------------------------------------------------


class CoverageListView(FilteredListView):
    permission_required = "publicity.view_mediacoverage"
    template_name = "publicity/coverage_list.html"
    context_object_name = "coverage_list"

    def filterset(self):
        return selectors.coverage_filterset(user=self.request.user, filters=self.request.GET)


class CoverageCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publicity.add_mediacoverage"
    form_class = MediaCoverageForm
    template_name = "publicity/coverage_form.html"
    service = services.coverage_create
    success_message = gettext_lazy("Media coverage recorded.")
    success_url = reverse_lazy("publicity:coverage-list")

    def get_initial(self):
        return {"reported_on": clock.today()}


class OutletCountsView(PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.view_mediacoverage"
    template_name = "publicity/outlet_counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = requested_year(self.request.GET.get("year"))
        outlets = list(selectors.outlet_counts(year=year))
        context.update(
            year=year, years=selectors.coverage_years(), outlets=outlets, total=sum(o.reports for o in outlets)
        )
        return context


# --- Statistics ----------------------------------------------------------------------------------


class StatisticView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publicity.view_platformstatistic"
    form_class = PlatformStatisticForm
    template_name = "publicity/statistics.html"
    service = services.statistic_record
    success_message = gettext_lazy("Monthly figures recorded.")

    def get_initial(self):
        return {"month": selectors.previous_month(clock.today())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = requested_year(self.request.GET.get("year"))
        context.update(
            year=year,
            years=list(range(clock.today().year, clock.today().year - 5, -1)),
            months=list(range(1, 13)),
            rows=selectors.statistic_table(year=year),
            can_record=self.request.user.has_perm("publicity.add_platformstatistic"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("publicity.add_platformstatistic"):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return f"{reverse('publicity:statistics')}?year={self.result.month.year}"


# --- Disclosure ledger ---------------------------------------------------------------------------


class DisclosureListView(FilteredListView):
    permission_required = "publicity.view_disclosureitem"
    template_name = "publicity/disclosure_list.html"
    context_object_name = "items"

    def filterset(self):
        return selectors.disclosure_filterset(user=self.request.user, filters=self.request.GET)


class DisclosureExportView(PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.view_disclosureitem"

    def get(self, request, *args, **kwargs):
        items = selectors.disclosure_filterset(user=request.user, filters=request.GET).qs
        return xlsx_response(
            filename=f"disclosure-{clock.today():%Y%m%d}.xlsx", sheets=[exports.disclosure_sheet(items)]
        )


class DisclosureCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publicity.add_disclosureitem"
    form_class = DisclosureItemForm
    template_name = "publicity/disclosure_form.html"
    service = services.disclosure_create
    success_message = gettext_lazy("Entered in the disclosure ledger.")
    success_url = reverse_lazy("publicity:disclosure-list")

    def get_initial(self):
        person = person_for(self.request.user)
        return {"published_on": clock.today(), "department": person.department if person else None}
