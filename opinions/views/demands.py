"""Demand pages: the list with filters and exports, the detail page with its timeline and action
forms, entry (direct and from a post), the printable handling form and the policy FAQ.
Each POST makes one service call; a refused action re-displays the page with what was typed."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from bureau import clock
from bureau.documents import docx_response
from bureau.exports import Sheet, csv_response, xlsx_response
from bureau.models import Person
from bureau.pagination import query_string_without_page, quick_page, quick_page_of_parts, total_if_asked
from bureau.views_base import ActionView
from opinions import demand_forms as forms
from opinions.documents import handling_form_document
from opinions.models import Demand, FaqEntry
from opinions.policies import demand_actions, demand_may, demand_shows_citizen
from opinions.selectors.demands import demand_get, demand_list, demand_timeline, open_first_parts
from opinions.selectors.handling_form import demand_handling_history
from opinions.selectors.knowledge import HOT_SHOWN, PERIODS, faq_entries, faq_hot, reply_template_choices, similar_cases
from opinions.selectors.posts import post_get
from opinions.selectors.proofing import demand_reply_proof
from opinions.selectors.similarity import near_duplicates, similar_to_text
from opinions.services.demands import (
    demand_assign,
    demand_call_back,
    demand_claim,
    demand_complete,
    demand_create,
    demand_create_from_post,
    demand_decide_extension,
    demand_decide_hand_back,
    demand_hand_back,
    demand_link_faq,
    demand_merge,
    demand_press,
    demand_proof_acknowledge,
    demand_reply,
    demand_request_extension,
    demand_review,
    demand_sign_off,
    demand_unmerge,
    faq_entry_create_from_demand,
)
from opinions.templating import reply_insert
from proofing.forms import ProofAcknowledgeForm, acknowledged_message

# Who may open the demand pages at all; which demands each sees is ``demands_visible``.
DEMAND_READERS = ("opinions.handle_demand", "opinions.enter_demand", "opinions.view_all_demands")


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
        return any(user.has_perm(perm) for perm in DEMAND_READERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        demand_filter, queryset = demand_list(user=self.request.user, filters=self.request.GET)
        context.update(
            filter=demand_filter,
            page=quick_page_of_parts(
                open_first_parts(queryset, open_only=demand_filter.open_only),
                self.request.GET.get("page"),
                per_page=50,
            ),
            query=query_string_without_page(self.request),
            now=clock.now(),
            total=total_if_asked(self.request, demand_filter.qs),
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

# Column widths (characters) of the xlsx: the subject wide, times fit "2026-03-01 09:00".
EXPORT_WIDTHS = [16, 8, 14, 40, 10, 10, 14, 17, 17, 17, 17, 8]


def export_rows(queryset, now):
    for demand in queryset.iterator(chunk_size=2000):
        yield [
            demand.number,
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
                filename=f"{filename}.xlsx",
                sheets=[Sheet(title=_("Demands"), header=header, rows=list(rows), widths=EXPORT_WIDTHS)],
            )
        raise Http404


class DemandDetailView(PermissionRequiredMixin, DemandAccessMixin, TemplateView):
    template_name = "opinions/demand_detail.html"

    def has_permission(self):
        user = self.request.user
        return any(user.has_perm(perm) for perm in DEMAND_READERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, demand = self.request.user, self.demand
        can = demand_actions(user, demand)  # which buttons: the rules the services check
        context.update(
            demand=demand,
            forms={name.replace("-", "_"): view.form_class() for name, view in DEMAND_ACTIONS.items()},
            can=can,
            # The knowledge loop, read only for whoever may reply now: templates and similar cases.
            reply_templates=reply_template_choices(demand=demand) if can["reply"] else [],
            similar_cases=similar_cases(user=user, demand=demand) if can["reply"] else [],
            timeline=demand_timeline(demand=demand),
            now=clock.now(),
            show_citizen=demand_shows_citizen(user, demand),
            handlers=Person.objects.active().order_by("name"),
            faq_entries_list=list(FaqEntry.objects.order_by("question")[:200]),
            similar=merge_suggestions(user, demand),
            proof=demand_reply_proof(demand) if demand.reply_text else None,
            proof_action=reverse("opinions:demand-action", args=[demand.pk, "proof-acknowledge"]),
        )
        return context


def merge_suggestions(user, demand: Demand) -> list[dict[str, Any]]:
    """The demand's near-duplicates, each with the 并单 it suggests when the user may merge: the
    later of the two is the repeat (merged into the earlier), and only an open one can be merged."""
    may_merge = demand_may(user, demand, "merge")
    rows = []
    for row in near_duplicates(user=user, demand=demand):
        other, repeat, original = row.similar_demand, None, None
        merged = Demand.State.MERGED
        if other is not None and may_merge and merged not in (demand.state, other.state):
            later = (demand.received_at, demand.pk) > (other.received_at, other.pk)
            repeat, original = (demand, other) if later else (other, demand)
            if not repeat.is_open:
                repeat = original = None
        rows.append({"row": row, "repeat": repeat, "original": original})
    return rows


class DemandAction(ActionView, DemandDetailView):
    """One action posted from the detail page, named by ``action`` in the URL. The service decides:
    a person who may not gets a 403; a refused step shows the detail page again with the form."""

    action = ""

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"demand": self.demand, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return reverse("opinions:demand-detail", args=[self.demand.pk])

    def refused_context(self, form: Form) -> dict[str, Any]:
        return {"bound_action": self.action, "bound_form": form}


class DemandClaimView(DemandAction):
    action, form_class, service = "claim", forms.EmptyForm, demand_claim
    success_message = gettext_lazy("You signed for the demand.")


class DemandAssignView(DemandAction):
    action, form_class, service = "assign", forms.AssignForm, demand_assign
    success_message = gettext_lazy("The demand was assigned.")


class DemandReplyView(DemandAction):
    action, form_class, service = "reply", forms.ReplyForm, demand_reply
    success_message = gettext_lazy("Reply recorded.")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "insert" in request.POST:
            return self.insert(request.POST.get("insert", ""))
        return super().post(request, *args, **kwargs)

    def insert(self, value: str) -> HttpResponse:
        """A template's or a similar case's button pressed without JavaScript: the page again,
        nothing saved, the reply box with the text put in, or, when the box holds other text,
        asking first (replace, add at the end, cancel: ``reply_insert``)."""
        context = self.get_context_data()
        if not context["can"]["reply"]:
            raise PermissionDenied
        data = self.request.POST
        fields = {name: data.get(name, "") for name in ("reply_text", "notes", "reply_template")}
        fields["reply_text"], fields["reply_template"], context["insert_asked"] = reply_insert(
            value,
            typed=fields["reply_text"],
            chosen=fields["reply_template"],
            offers=insert_offers(context["reply_templates"], context["similar_cases"]),
        )
        context["forms"]["reply"] = forms.ReplyForm(initial=fields)
        return self.render_to_response(context)

    def form_valid(self, form: Form) -> HttpResponse:
        if "proofread" in self.request.POST:
            # The 校对 button: the typed reply checked before it is sent; nothing is saved.
            context = self.get_context_data()
            context["forms"]["reply"] = form
            context["reply_proof"] = demand_reply_proof(self.demand, form.cleaned_data["reply_text"])
            return self.render_to_response(context)
        return super().form_valid(form)

    def add_success_message(self, form: Form) -> None:
        super().add_success_message(form)
        # Submission is warned, not blocked (opinions.services.demands.handling.demand_reply).
        open_hits = len(demand_reply_proof(self.result).unresolved)
        if open_hits:
            if self.result.state == Demand.State.IN_REVIEW:
                warning = ngettext(
                    "Proofreading found %(count)d hit in the reply not yet fixed or acknowledged: the "
                    "reply cannot be approved until it is.",
                    "Proofreading found %(count)d hits in the reply not yet fixed or acknowledged: the "
                    "reply cannot be approved until each is.",
                    open_hits,
                )
            else:
                warning = ngettext(
                    "Proofreading found %(count)d hit in the reply; see the panel on this page.",
                    "Proofreading found %(count)d hits in the reply; see the panel on this page.",
                    open_hits,
                )
            messages.warning(self.request, warning % {"count": open_hits})


def insert_offers(templates: list[Any], cases: list[Any]) -> dict[str, tuple[str, str, str]]:
    """What the reply helper's buttons offer, by the value each posts: ``template:<pk>`` or
    ``case:<pk>`` → (its name, its text, the template's pk or "")."""
    offers = {
        f"template:{choice.template.pk}": (choice.template.name, choice.text, str(choice.template.pk))
        for choice in templates
    }
    offers |= {f"case:{case.demand.pk}": (case.demand.number, case.reply, "") for case in cases}
    return offers


class DemandReviewView(DemandAction):
    action, form_class, service = "review", forms.ReviewForm, demand_review
    success_message = gettext_lazy("Review recorded.")


class DemandProofAcknowledgeView(DemandAction):
    """The proofreading panel's form: hits of the reply kept as written, each with its reason."""

    action, form_class, service = "proof-acknowledge", ProofAcknowledgeForm, demand_proof_acknowledge

    def get_success_message(self, form: Form) -> str:
        return acknowledged_message(len(form.cleaned_data["reasons"]))


class DemandSignOffView(DemandAction):
    action, form_class, service = "sign-off", forms.EmptyForm, demand_sign_off
    success_message = gettext_lazy("Signed off.")


class DemandCompleteView(DemandAction):
    action, form_class, service = "complete", forms.CompleteForm, demand_complete
    success_message = gettext_lazy("The demand was completed.")


class DemandCallBackView(DemandAction):
    action, form_class, service = "call-back", forms.CallBackForm, demand_call_back
    success_message = gettext_lazy("Call-back recorded.")


class DemandHandBackView(DemandAction):
    action, form_class, service = "hand-back", forms.ReasonForm, demand_hand_back
    success_message = gettext_lazy("The demand was handed back.")


class DemandDecideHandBackView(DemandAction):
    action, form_class, service = "decide-hand-back", forms.DecideForm, demand_decide_hand_back
    success_message = gettext_lazy("Hand-back decided.")


class DemandExtensionView(DemandAction):
    action, form_class, service = "extension", forms.ExtensionForm, demand_request_extension
    success_message = gettext_lazy("Extension requested.")


class DemandDecideExtensionView(DemandAction):
    action, form_class, service = "decide-extension", forms.DecideForm, demand_decide_extension
    success_message = gettext_lazy("Extension decided.")

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        kwargs = super().service_kwargs(form)
        kwargs["approve"] = kwargs.pop("accept")  # one decision form; this service says "approve"
        return kwargs


class DemandMergeView(DemandAction):
    action, form_class, service = "merge", forms.MergeForm, demand_merge
    success_message = gettext_lazy("The demand was merged as a duplicate.")

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        kwargs = super().service_kwargs(form)
        into = demand_get(user=self.request.user, pk=kwargs["into"])
        if into is None:
            raise ValidationError(_("There is no demand with that number."))
        return {**kwargs, "into": into}


class DemandUnmergeView(DemandAction):
    action, form_class, service = "unmerge", forms.EmptyForm, demand_unmerge
    success_message = gettext_lazy("The demand was split off again and counts on its own.")


class DemandPressView(DemandAction):
    action, form_class, service = "press", forms.PressForm, demand_press
    success_message = gettext_lazy("The handler was pressed.")


class DemandFaqCreateView(DemandAction):
    action, form_class, service = "faq-create", forms.FaqCreateForm, faq_entry_create_from_demand
    success_message = gettext_lazy("Policy entry created.")


class DemandFaqLinkView(DemandAction):
    action, form_class, service = "faq-link", forms.FaqLinkForm, demand_link_faq
    success_message = gettext_lazy("Linked to the policy entry.")


DEMAND_ACTIONS: dict[str, type[DemandAction]] = {
    view.action: view
    for view in (
        DemandClaimView,
        DemandAssignView,
        DemandReplyView,
        DemandReviewView,
        DemandProofAcknowledgeView,
        DemandSignOffView,
        DemandCompleteView,
        DemandCallBackView,
        DemandHandBackView,
        DemandDecideHandBackView,
        DemandExtensionView,
        DemandDecideExtensionView,
        DemandMergeView,
        DemandUnmergeView,
        DemandPressView,
        DemandFaqCreateView,
        DemandFaqLinkView,
    )
}
_ACTION_VIEWS = {name: view.as_view() for name, view in DEMAND_ACTIONS.items()}


def demand_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The detail page's forms post to ``demands/<pk>/<action>/``; each action is its own view."""
    if action not in _ACTION_VIEWS:
        raise Http404
    return _ACTION_VIEWS[action](request, pk=pk)


class DemandEntryView(PermissionRequiredMixin, FormView):
    permission_required = "opinions.enter_demand"
    template_name = "opinions/demand_entry.html"
    form_class = forms.DemandEntryForm

    def form_valid(self, form):
        try:
            demand = demand_create(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Demand recorded; the reply is due %(due)s.") % {"due": _due(demand)})
        return redirect(demand)


class DemandSimilarView(PermissionRequiredMixin, View):
    """For the entry form while typing: the posts and demands near the text so far, as JSON."""

    permission_required = "opinions.enter_demand"

    def get(self, request):
        text = f"{request.GET.get('subject', '')}\n{request.GET.get('content', '')}".replace("\x00", "")[:5000]
        matches = similar_to_text(user=request.user, text=text)
        return JsonResponse(
            {
                "matches": [
                    {
                        "kind": match.kind,
                        "number": match.number,
                        "title": match.title,
                        "similarity": match.similarity,
                        "url": match.url,
                        "text": (
                            _("Similar to demand %(number)s: %(percent)s%%")
                            if match.kind == "demand"
                            else _("Similar to a post on %(channel)s: %(percent)s%%")
                        )
                        % {"number": match.number, "channel": match.channel, "percent": match.similarity},
                    }
                    for match in matches
                ]
            }
        )


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
            demand = demand_create_from_post(post=post, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(post)
        messages.success(request, _("Demand recorded; the reply is due %(due)s.") % {"due": _due(demand)})
        return redirect(demand)


class DemandPrintView(DemandDetailView):
    """The handling form (网络舆情处理单), one A4 page, with the history of the case's rounds."""

    template_name = "opinions/demand_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = demand_handling_history(demand=self.demand)
        return context


class DemandWordView(DemandDetailView):
    """The handling form as a Word document (same content, official format)."""

    def get(self, request, *args, **kwargs):
        document = handling_form_document(
            demand=self.demand,
            history=demand_handling_history(demand=self.demand),
            show_citizen=demand_shows_citizen(request.user, self.demand),
            now=clock.now(),
        )
        return docx_response(filename=f"{self.demand.number}.docx", sheet=document)


class FaqView(PermissionRequiredMixin, TemplateView):
    template_name = "opinions/demand_faq.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # NUL cannot be stored or searched in PostgreSQL text; a pasted one is dropped.
        search = self.request.GET.get("q", "").replace("\x00", "")[:100]
        period = self.request.GET.get("period", "year")
        period = period if period in PERIODS else "year"
        entries = quick_page(faq_entries(search=search, period=period), self.request.GET.get("page"))
        hot = faq_hot(period=period)
        context.update(
            search=search,
            period=period,
            periods=[("year", _("This year")), ("all", _("All time"))],
            entries=entries,
            hot=hot,
            # The 热点问题 badge in the list marks exactly the entries of the box above it.
            hot_ids={entry.pk for entry in hot},
            hot_shown=HOT_SHOWN,
            query=query_string_without_page(self.request),
        )
        return context
