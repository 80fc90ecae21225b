"""The one base for "POST a form, run one service, say so, redirect" that every feature app's views use.

``ServiceFormView`` is a page with its own form (enter a demand, register a task). ``ActionView`` is a
button on another page (claim a demand, approve a post): it answers POST only, and a refusal renders
that page again. Both name the service they call (``service = demand_claim``), so grep finds it.

A ``ValidationError`` from the service ("this input or state is refused") becomes the form's error
and the page is shown again with everything typed. A ``PermissionDenied`` ("this user may not") is
not caught: Django answers 403."""

import inspect
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView


class ServiceFormView(FormView):
    """A valid form runs ``service(**service_kwargs(form))``; success → message → redirect to
    ``success_url`` or the returned object's page. Override ``service_kwargs`` to add the target
    (``demand=self.demand``) or reshape the form's data; override ``perform`` only when one form
    chooses between two services."""

    service: Callable[..., Any] | None = None
    success_message: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        service = cls.__dict__.get("service")
        if inspect.isfunction(service):
            # A plain function on the class would be bound to the view; services are keyword-only.
            cls.service = staticmethod(service)

    def service_kwargs(self, form: forms.Form) -> dict[str, Any]:
        return {"actor": self.request.user, "request": self.request, **form.cleaned_data}

    def perform(self, form: forms.Form) -> Any:
        if self.service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no service.")
        return self.service(**self.service_kwargs(form))

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)  # the page re-displays; nothing typed is lost
            return self.form_invalid(form)
        self.add_success_message(form)
        return redirect(self.get_success_url())

    def add_success_message(self, form: forms.Form) -> None:
        messages.success(self.request, self.get_success_message(form))

    def get_success_message(self, form: forms.Form) -> str:
        return str(self.success_message)

    def get_success_url(self) -> str:
        if self.success_url:
            return str(self.success_url)
        return self.result.get_absolute_url()


class ActionView(ServiceFormView):
    """An action posted from another page. Put the page's view after it, so the refusal is that
    page again: ``class TaskNoteView(TaskActionMixin, ActionView, TaskDetailView)``. The bound form
    replaces the page's empty one under ``form_context_name`` and is also ``refused_form``, which
    ``_refused.html`` shows with its errors."""

    http_method_names = ["post"]
    form_class = forms.Form
    form_context_name = "form"

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        context = self.get_context_data(form=form)
        context.update(self.refused_context(form))
        return self.render_to_response(context)

    def refused_context(self, form: forms.Form) -> dict[str, Any]:
        return {self.form_context_name: form, "refused_form": form}
