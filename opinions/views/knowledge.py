"""The office head's page of reply templates (答复口径): the list, most used first, and a form to
add or change one. Administrators keep the same rows in the admin."""

from typing import Any

from django.contrib.auth.mixins import UserPassesTestMixin
from django.forms import Form
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bureau.views_base import ServiceFormView
from opinions import demand_forms as forms
from opinions.models import ReplyTemplate
from opinions.policies import reply_templates_may_keep
from opinions.selectors.knowledge import reply_templates_kept
from opinions.services.knowledge import reply_template_save
from opinions.templating import VARIABLES


class KeepersOnly(UserPassesTestMixin):
    """Anonymous → login; anyone but the office head and the administrators → 403."""

    def test_func(self) -> bool:
        return reply_templates_may_keep(self.request.user)


class ReplyTemplateListView(KeepersOnly, TemplateView):
    template_name = "opinions/reply_template_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(templates=reply_templates_kept(), variables=VARIABLES)
        return context


class ReplyTemplateEditView(KeepersOnly, ServiceFormView):
    """New (no pk) or changed; a name in braces that is not a variable keeps the form as typed."""

    template_name = "opinions/reply_template_form.html"
    form_class = forms.ReplyTemplateForm
    service = reply_template_save
    success_message = gettext_lazy("The reply template was saved.")
    success_url = reverse_lazy("opinions:reply-template-list")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(ReplyTemplate, pk=self.kwargs["pk"])
        return kwargs

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"actor": self.request.user, "request": self.request, "template": form.instance}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(variables=VARIABLES, list_url=reverse("opinions:reply-template-list"))
        return context
