"""The briefing pages: the list, drafting one for a chosen period (or a 专报 from an event's page),
one briefing with its actions, the edit page, the print page and the Word download. Each action
names the one service it calls; the buttons shown are those ``briefing_can`` allows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import ListView, TemplateView, View

from bureau import clock
from bureau.pagination import LastPagePaginator, query_string_without_page
from bureau.views_base import ActionView, ServiceFormView
from events.selectors import event_get
from reports.briefings import selectors, services
from reports.briefings.document import briefing_docx_response
from reports.briefings.forms import BriefingFilterForm, DraftForm, ReturnForm, SectionsForm
from reports.briefings.policies import briefing_actions, briefing_require, briefing_sign_withheld
from reports.briefings.text import headed_sections
from reports.models import BriefingReturn


class BriefingListView(PermissionRequiredMixin, ListView):
    permission_required = "reports.view_briefings"
    template_name = "reports/briefings/list.html"
    context_object_name = "briefings"
    paginate_by = selectors.LIST_PAGE
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.briefing_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=BriefingFilterForm(self.request.GET), query_string=query_string_without_page(self.request)
        )
        return context


class DraftOnceMixin:
    """The drafting services return (briefing, drafted now?): a briefing of that period (or event)
    not yet signed off is opened instead of a second one, and the message says so."""

    def perform(self, form):
        briefing, self.created = super().perform(form)
        return briefing

    def add_success_message(self, form):
        if self.created:
            super().add_success_message(form)
            return
        briefing = self.result
        messages.info(
            self.request,
            gettext("%(title)s already exists and is not signed off yet (%(state)s): it is opened here.")
            % {"title": briefing.title, "state": briefing.get_state_display()},
        )


class BriefingDraftView(PermissionRequiredMixin, DraftOnceMixin, ServiceFormView):
    permission_required = "reports.edit_briefings"
    template_name = "reports/briefings/draft.html"
    form_class = DraftForm
    service = services.briefing_draft
    success_message = gettext_lazy("Briefing drafted from the period's figures. Check it and write the next steps.")

    def get_initial(self):
        return DraftForm.initial_for(self.request.GET.get("kind", ""))


class BriefingSpecialView(PermissionRequiredMixin, DraftOnceMixin, ServiceFormView):
    """生成专报 on an event's page (POST only)."""

    http_method_names = ["post"]
    permission_required = "reports.edit_briefings"
    service = services.briefing_draft_special
    success_message = gettext_lazy("Special report drafted from the event's page. Check it and write the next steps.")

    form_class = forms.Form

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.event = event_get(user=request.user, pk=kwargs["pk"])
        if self.event is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def service_kwargs(self, form):
        return {**super().service_kwargs(form), "event": self.event}


class BriefingAccessMixin:
    """Loads ``self.briefing`` the user may read (else 404), after the view's permission check."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.briefing = selectors.briefing_get(user=request.user, pk=kwargs["pk"])
        if self.briefing is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _open_return(returns) -> BriefingReturn | None:
    return next((entry for entry in returns if entry.is_open), None)


class BriefingDetailView(PermissionRequiredMixin, BriefingAccessMixin, TemplateView):
    permission_required = "reports.view_briefings"
    template_name = "reports/briefings/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        briefing = self.briefing
        returns = list(briefing.returns.all())  # newest first, prefetched by briefing_get
        context.update(
            briefing=briefing,
            sections=headed_sections(briefing),
            actions=briefing_actions(self.request.user, briefing),
            sign_withheld=briefing_sign_withheld(self.request.user, briefing),
            editors=list(briefing.editors.all()),
            deliveries=list(briefing.deliveries.select_related("robot")) if briefing.is_signed else [],
            open_return=_open_return(returns),
            returns=returns,
        )
        context.setdefault("return_form", ReturnForm())
        return context


class BriefingActionMixin(BriefingAccessMixin):
    def service_kwargs(self, form):
        return {**super().service_kwargs(form), "briefing": self.briefing}

    def get_success_url(self):
        return self.briefing.get_absolute_url()


class BriefingSubmitView(BriefingActionMixin, ActionView, BriefingDetailView):
    permission_required = "reports.edit_briefings"
    service = services.briefing_submit
    success_message = gettext_lazy("Submitted: it waits for a leader's sign-off.")


class BriefingReturnView(BriefingActionMixin, ActionView, BriefingDetailView):
    permission_required = "reports.sign_briefings"
    service = services.briefing_return
    form_class = ReturnForm
    form_context_name = "return_form"
    success_message = gettext_lazy("Returned to be edited: whoever drafted or edited it has been told why.")


class BriefingSignView(BriefingActionMixin, ActionView, BriefingDetailView):
    permission_required = "reports.sign_briefings"
    service = services.briefing_sign
    success_message = gettext_lazy("Signed off and sent to the distribution list.")


class BriefingEditView(PermissionRequiredMixin, BriefingActionMixin, ServiceFormView):
    permission_required = "reports.edit_briefings"
    template_name = "reports/briefings/edit.html"
    service = services.briefing_edit
    success_message = gettext_lazy("Briefing saved.")

    def get(self, request, *args, **kwargs):
        try:
            briefing_require(request.user, self.briefing, "edit")
        except ValidationError as error:  # signed, or waiting for sign-off: say so on its page
            messages.error(request, " ".join(error.messages))
            return redirect(self.briefing.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return SectionsForm(**self.get_form_kwargs(), briefing=self.briefing)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "briefing": self.briefing,
            "open_return": _open_return(self.briefing.returns.all()),
        }


class BriefingPrintView(PermissionRequiredMixin, BriefingAccessMixin, TemplateView):
    permission_required = "reports.view_briefings"
    template_name = "reports/briefings/print.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "briefing": self.briefing,
            "sections": headed_sections(self.briefing),
            "now": clock.now(),
        }


class BriefingWordView(PermissionRequiredMixin, BriefingAccessMixin, View):
    permission_required = "reports.view_briefings"

    def get(self, request, pk):
        return briefing_docx_response(self.briefing)
