"""Demand pages: the list with filters and exports, the detail page with its timeline and action
forms, entry (direct and from a post), the printable handling form and the policy FAQ.
Each POST makes one service call; a refused action re-displays the page with what was typed."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from bureau import clock
from bureau.exports import Sheet, csv_response, xlsx_response
from bureau.models import Person
from opinions import demand_forms as forms
from opinions.models import Demand, FaqEntry
from opinions.selectors.demands import demand_get, demand_list, demand_timeline, faq_entries
from opinions.selectors.paging import quick_page
from opinions.selectors.posts import post_get
from opinions.services import demands as services


class DemandAccessMixin:
    """Loads ``self.demand`` through the user-scoped selector (not visible → 404)."""

    def dispatch(self, request, *args, **kwargs):
        self.demand = demand_get(user=request.user, pk=kwargs["pk"])
        if self.demand is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class DemandListView(PermissionRequiredMixin, TemplateView):
    permission_required = "opinions.handle_demand"
    template_name = "opinions/demand_list.html"

    def has_permission(self):
        user = self.request.user
        return user.has_perm("opinions.handle_demand") or user.has_perm("opinions.view_all_demands")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        demand_filter, queryset = demand_list(user=self.request.user, filters=self.request.GET)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=demand_filter,
            page=quick_page(queryset, self.request.GET.get("page"), per_page=50),
            query=query.urlencode(),
            now=clock.now(),
        )
        return context


EXPORT_HEADER = [
    gettext_lazy("Number"),
    gettext_lazy("Kind"),
    gettext_lazy("Channel"),
    gettext_lazy("Subject"),
    gettext_lazy("State"),
    gettext_lazy("Handler"),
    gettext_lazy("Department"),
    gettext_lazy("Received at"),
    gettext_lazy("Reply due at"),
    gettext_lazy("Replied at"),
    gettext_lazy("Completed at"),
    gettext_lazy("Overdue"),
]


def export_rows(queryset, now):
    for demand in queryset.iterator(chunk_size=2000):
        yield [
            demand.pk,
            demand.get_kind_display(),
            demand.channel.name,
            demand.subject,
            demand.get_state_display(),
            demand.handler.name if demand.handler else "",
            demand.department.name if demand.department else "",
            demand.received_at,
            demand.due_at,
            demand.replied_at,
            demand.completed_at,
            _("yes") if demand.is_overdue_at(now) else "",
        ]


class DemandExportView(DemandListView):
    def get(self, request, fmt):
        _filter, queryset = demand_list(user=request.user, filters=request.GET)
        header = [str(title) for title in EXPORT_HEADER]
        rows = export_rows(queryset, clock.now())
        filename = f"demands-{clock.today():%Y%m%d}"
        if fmt == "csv":
            return csv_response(filename=f"{filename}.csv", header=header, rows=rows)
        if fmt == "xlsx":
            return xlsx_response(
                filename=f"{filename}.xlsx", sheets=[Sheet(title=_("Demands"), header=header, rows=list(rows))]
            )
        raise Http404


ACTIONS = {
    # name: (form, service, success message, permission checked here; the service checks it again)
    "claim": (forms.EmptyForm, "claim", gettext_lazy("You signed for the demand.")),
    "assign": (forms.AssignForm, "assign", gettext_lazy("The demand was assigned.")),
    "reply": (forms.ReplyForm, "reply", gettext_lazy("Reply recorded.")),
    "review": (forms.ReviewForm, "review", gettext_lazy("Review recorded.")),
    "sign-off": (forms.EmptyForm, "sign_off", gettext_lazy("Signed off.")),
    "complete": (forms.CompleteForm, "complete", gettext_lazy("The demand was completed.")),
    "call-back": (forms.CallBackForm, "call_back", gettext_lazy("Call-back recorded.")),
    "hand-back": (forms.ReasonForm, "hand_back", gettext_lazy("The demand was handed back.")),
    "decide-hand-back": (forms.DecideForm, "decide_hand_back", gettext_lazy("Hand-back decided.")),
    "extension": (forms.ExtensionForm, "request_extension", gettext_lazy("Extension requested.")),
    "decide-extension": (forms.DecideForm, "decide_extension", gettext_lazy("Extension decided.")),
    "merge": (forms.MergeForm, "merge", gettext_lazy("The demand was merged as a duplicate.")),
    "press": (forms.PressForm, "press", gettext_lazy("The handler was pressed.")),
    "faq-create": (forms.FaqCreateForm, "faq_create", gettext_lazy("Policy entry created.")),
    "faq-link": (forms.FaqLinkForm, "faq_link", gettext_lazy("Linked to the policy entry.")),
}


class DemandDetailView(PermissionRequiredMixin, DemandAccessMixin, TemplateView):
    template_name = "opinions/demand_detail.html"

    def has_permission(self):
        user = self.request.user
        return user.has_perm("opinions.handle_demand") or user.has_perm("opinions.view_all_demands")

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        forms_by_action = {name.replace("-", "_"): form_class() for name, (form_class, _s, _m) in ACTIONS.items()}
        if bound is not None:
            forms_by_action[bound[0].replace("-", "_")] = bound[1]
        user = self.request.user
        person = Person.objects.filter(user=user).first()
        demand = self.demand
        context.update(
            demand=demand,
            forms=forms_by_action,
            timeline=demand_timeline(demand=demand),
            now=clock.now(),
            is_handler=person is not None and demand.handler_id == person.pk,
            # Personal data: only for those handling the case (handler, section owner, office head).
            show_citizen=person is not None
            and (
                demand.handler_id == person.pk
                or (demand.section is not None and demand.section.owner_id == person.pk)
                or user.has_perm("opinions.supervise_demand")
            ),
            may_review=user.has_perm("opinions.review_demand") or bool(person and person.is_spokesperson),
            bound_action=bound[0] if bound else "",
            bound_form=bound[1] if bound else None,
            handlers=Person.objects.active().order_by("name"),
            faq_entries_list=list(FaqEntry.objects.order_by("question")[:200]),
        )
        return context


class DemandActionView(PermissionRequiredMixin, DemandAccessMixin, View):
    """One POST endpoint per action; the service decides whether it is allowed."""

    def has_permission(self):
        return self.request.user.has_perm("opinions.handle_demand") or self.request.user.has_perm(
            "opinions.view_all_demands"
        )

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        form_class, service, message = ACTIONS[action]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                self._call(service, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
            else:
                messages.success(request, message)
                return redirect("opinions:demand-detail", pk=self.demand.pk)
        view = DemandDetailView()
        view.setup(request, pk=pk)
        view.demand = self.demand
        return view.render_to_response(view.get_context_data(bound=(action, form)), status=200)

    def _call(self, service, data):
        common = {"demand": self.demand, "actor": self.request.user, "request": self.request}
        if service == "merge":
            into = demand_get(user=self.request.user, pk=data["into"])
            if into is None:
                raise ValidationError(_("There is no demand with that number."))
            return services.demand_merge(into=into, **common)
        if service == "faq_create":
            return services.faq_entry_create_from_demand(**common, **data)
        if service == "faq_link":
            return services.demand_link_faq(**common, entry=data["entry"])
        return getattr(services, f"demand_{service}")(**common, **data)


class DemandEntryView(PermissionRequiredMixin, FormView):
    permission_required = "opinions.enter_demand"
    template_name = "opinions/demand_entry.html"
    form_class = forms.DemandEntryForm

    def form_valid(self, form):
        try:
            demand = services.demand_create(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Demand recorded; the reply is due %(due)s.") % {"due": _due(demand)})
        return redirect(demand)


def _due(demand: Demand) -> str:
    return timezone.localtime(demand.due_at).strftime("%Y-%m-%d %H:%M")


class DemandFromPostView(PermissionRequiredMixin, View):
    permission_required = "opinions.enter_demand"

    def post(self, request, pk):
        post = post_get(user=request.user, pk=pk)
        if post is None:
            raise Http404
        form = forms.FromPostForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the kind of demand."))
            return redirect(post)
        try:
            demand = services.demand_create_from_post(
                post=post, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(post)
        messages.success(request, _("Demand recorded; the reply is due %(due)s.") % {"due": _due(demand)})
        return redirect(demand)


class DemandPrintView(DemandDetailView):
    """The handling form (网络舆情处理单), one A4 page."""

    template_name = "opinions/demand_print.html"


class FaqView(PermissionRequiredMixin, TemplateView):
    template_name = "opinions/demand_faq.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("q", "")[:100]
        context.update(search=search, entries=quick_page(faq_entries(search=search), self.request.GET.get("page")))
        return context
