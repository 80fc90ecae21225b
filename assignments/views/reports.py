"""Pages for reports upward and the register of response plans."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import Form
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from assignments import selectors, services
from assignments.documents import report_document
from assignments.forms import FollowUpForm, IncidentReportForm, opinion_link_form
from assignments.models import IncidentReport, ResponsePlan
from assignments.policies import incident_report_actions
from bureau import clock
from bureau.documents import docx_response
from bureau.files import protected_file_response
from bureau.pagination import LastPagePaginator
from bureau.views_base import ActionView, ServiceFormView


class ReportListView(PermissionRequiredMixin, ListView):
    permission_required = "assignments.view_reports"
    template_name = "assignments/report_list.html"
    context_object_name = "reports"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.incident_report_list(user=self.request.user)


class ReportCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "assignments.manage_reports"
    template_name = "assignments/report_form.html"
    form_class = IncidentReportForm
    service = services.incident_report_create
    success_message = gettext_lazy("Report recorded.")


class ReportAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.report = selectors.incident_report_for_user(user=request.user, pk=kwargs["pk"])
        except IncidentReport.DoesNotExist as error:
            raise Http404 from error
        return super().dispatch(request, *args, **kwargs)


class ReportDetailView(PermissionRequiredMixin, ReportAccessMixin, TemplateView):
    permission_required = "assignments.view_reports"
    template_name = "assignments/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        context["follow_ups"] = self.report.follow_ups.all()
        context["links_url"] = reverse("assignments:report-links", args=[self.report.pk])
        actions = incident_report_actions(self.request.user, self.report)
        if actions["follow_up"]:
            context["follow_up_form"] = FollowUpForm()
        if actions["link"]:
            context["link_form"] = opinion_link_form(user=self.request.user)
        return context


class ReportPrintView(ReportDetailView):
    template_name = "assignments/report_print.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "now": clock.now()}


class ReportWordView(ReportDetailView):
    """The report upward as a Word document (same content, official format)."""

    def get(self, request, *args, **kwargs):
        document = report_document(report=self.report, follow_ups=self.report.follow_ups.all(), now=clock.now())
        return docx_response(filename=f"report-{self.report.pk}.docx", sheet=document)


class FollowUpView(ActionView, ReportDetailView):
    """A follow-up report (续报), posted from the report's page; a refusal shows that page again."""

    permission_required = "assignments.manage_reports"
    form_class, form_context_name, service = FollowUpForm, "follow_up_form", services.incident_follow_up_add
    success_message = gettext_lazy("Follow-up report added.")

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"report": self.report, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return self.report.get_absolute_url()


class ResponsePlanListView(PermissionRequiredMixin, ListView):
    permission_required = "assignments.view_reports"
    template_name = "assignments/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return selectors.response_plan_list()


class ResponsePlanFileView(PermissionRequiredMixin, View):
    permission_required = "assignments.view_reports"

    def get(self, request, pk):
        try:
            plan = selectors.response_plan_for_user(user=request.user, pk=pk)
        except ResponsePlan.DoesNotExist as error:
            raise Http404 from error
        if not plan.file:
            raise Http404
        return protected_file_response(plan.file, download_name=plan.original_name or f"{plan.title}.pdf")
