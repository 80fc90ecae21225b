"""Linking a task handed down or a report upward to the posts and demands it concerns."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from assignments import selectors
from assignments.forms import OpinionLinkForm
from assignments.models import CountyTask, IncidentReport
from assignments.services.links import opinion_link_add, opinion_link_remove


def opinion_link_form(*, user, data=None) -> OpinionLinkForm:
    post_choices, demand_choices = selectors.opinion_link_choices(user=user)
    return OpinionLinkForm(data, post_choices=post_choices, demand_choices=demand_choices)


class _OpinionLinkView(PermissionRequiredMixin, View):
    """POST: link (``link``) or unlink (``unlink_post`` / ``unlink_demand``), then back to the page."""

    def load_target(self, request, pk):
        raise NotImplementedError

    def may_edit(self, request, target) -> bool:
        raise NotImplementedError

    def post(self, request, pk):
        target = self.load_target(request, pk)
        if not self.may_edit(request, target):
            raise PermissionDenied
        try:
            if "unlink_post" in request.POST or "unlink_demand" in request.POST:
                opinion_link_remove(
                    target=target,
                    actor=request.user,
                    request=request,
                    post_id=_int(request.POST.get("unlink_post")),
                    demand_id=_int(request.POST.get("unlink_demand")),
                )
                messages.success(request, _("The link was removed."))
            else:
                form = opinion_link_form(user=request.user, data=request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, error)
                    return redirect(target)
                opinion_link_add(
                    target=target,
                    actor=request.user,
                    request=request,
                    post_id=form.cleaned_data["post"],
                    demand_id=form.cleaned_data["demand"],
                )
                messages.success(request, _("Linked."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(target)


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class TaskLinkView(_OpinionLinkView):
    permission_required = "assignments.view_tasks"

    def load_target(self, request, pk):
        try:
            return selectors.county_task_for_user(user=request.user, pk=pk)
        except CountyTask.DoesNotExist as error:
            raise Http404 from error

    def may_edit(self, request, target) -> bool:
        return target.handler.user_id == request.user.pk or request.user.has_perm("assignments.manage_tasks")


class ReportLinkView(_OpinionLinkView):
    permission_required = "assignments.manage_reports"

    def load_target(self, request, pk):
        try:
            return selectors.incident_report_for_user(user=request.user, pk=pk)
        except IncidentReport.DoesNotExist as error:
            raise Http404 from error

    def may_edit(self, request, target) -> bool:
        return True
