"""Pages for reports upward and the register of response plans."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from assignments import selectors, services
from assignments.forms import FollowUpForm, IncidentReportForm
from assignments.models import IncidentReport, ResponsePlan
from assignments.views.links import opinion_link_form
from bureau.files import protected_file_response
from bureau.pagination import LastPagePaginator


class ReportListView(PermissionRequiredMixin, ListView):
    permission_required = "assignments.view_reports"
    template_name = "assignments/report_list.html"
    context_object_name = "reports"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.incident_report_list(user=self.request.user)


class ReportCreateView(PermissionRequiredMixin, FormView):
    permission_required = "assignments.manage_reports"
    template_name = "assignments/report_form.html"
    form_class = IncidentReportForm

    def form_valid(self, form):
        try:
            report = services.incident_report_create(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Report recorded."))
        return redirect(report)


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
        if self.request.user.has_perm("assignments.manage_reports"):
            context["follow_up_form"] = FollowUpForm()
            context["link_form"] = opinion_link_form(user=self.request.user)
        return context


class ReportPrintView(ReportDetailView):
    template_name = "assignments/report_print.html"


class FollowUpView(PermissionRequiredMixin, ReportAccessMixin, View):
    permission_required = "assignments.manage_reports"

    def post(self, request, pk):
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.incident_follow_up_add(
                    report=self.report, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Follow-up report added."))
        else:
            messages.error(request, _("Write the follow-up report and when it was reported."))
        return redirect(self.report)


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
