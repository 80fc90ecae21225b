"""Linking a task handed down or a report upward to the posts and demands it concerns."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from assignments.forms import OpinionUnlinkForm, opinion_link_form
from assignments.services.links import opinion_link_add, opinion_link_remove
from assignments.views.reports import ReportDetailView
from assignments.views.tasks import TaskDetailView
from bureau.views_base import ActionView


class OpinionLinkAction(ActionView):
    """POST: link (``link``) or unlink (``unlink_post`` / ``unlink_demand``), then back to the page.
    Put the page's view after it; ``link_target`` is the object that page shows. Who may link is
    the services' question (``assignments.policies``)."""

    form_context_name = "link_form"

    def link_target(self) -> Any:
        raise NotImplementedError

    def is_unlink(self) -> bool:
        return "unlink_post" in self.request.POST or "unlink_demand" in self.request.POST

    def get_form(self, form_class=None) -> forms.Form:
        if self.is_unlink():
            return OpinionUnlinkForm(self.request.POST)
        return opinion_link_form(user=self.request.user, data=self.request.POST)

    def perform(self, form: forms.Form) -> Any:
        """One form, two services: the button pressed picks ``opinion_link_remove`` or ``opinion_link_add``."""
        target = self.link_target()
        if self.is_unlink():
            opinion_link_remove(
                target=target,
                actor=self.request.user,
                request=self.request,
                post_id=form.cleaned_data["unlink_post"],
                demand_id=form.cleaned_data["unlink_demand"],
            )
        else:
            opinion_link_add(
                target=target,
                actor=self.request.user,
                request=self.request,
                post_id=form.cleaned_data["post"],
                demand_id=form.cleaned_data["demand"],
            )
        return target

    def get_success_message(self, form: forms.Form) -> str:
        return _("The link was removed.") if self.is_unlink() else _("Linked.")


class TaskLinkView(OpinionLinkAction, TaskDetailView):
    def link_target(self) -> Any:
        return self.task


class ReportLinkView(OpinionLinkAction, ReportDetailView):
    permission_required = "assignments.manage_reports"

    def link_target(self) -> Any:
        return self.report
