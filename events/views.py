"""Pages for opinion events: the list, suggestions, one event's page and its actions, and
"加入事件" from a post's or demand's page. Each action names the one service it calls."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bureau import clock
from bureau.pagination import query_string_without_page, quick_page, total_if_asked
from bureau.views_base import ActionView, ServiceFormView
from events import selectors, services
from events.forms import (
    EventCreateForm,
    GradeForm,
    ItemAddForm,
    ItemForm,
    LinkForm,
    MergeForm,
    RespondForm,
    SplitForm,
    link_choices,
)
from events.models import EventDemand, EventPost
from events.policies import event_can
from events.suggestions import event_suggestions
from opinions.selectors.demands import demand_get
from opinions.selectors.posts import post_get

ACTIONS = ("confirm", "add", "remove", "split", "merge", "link", "close", "grade", "respond")


class EventListView(PermissionRequiredMixin, TemplateView):
    """Events newest first, paged without a total (``quick_page``: the list grows every year);
    ``count=1`` asks for how many match, as the other long lists do."""

    permission_required = "events.view_events"
    template_name = "events/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event_filter, queryset = selectors.event_list(user=self.request.user, filters=self.request.GET)
        page = quick_page(queryset, self.request.GET.get("page"), per_page=30)
        context.update(
            filter=event_filter,
            page=page,
            events=page.object_list,
            query_string=query_string_without_page(self.request),
            now=clock.now(),
            total=total_if_asked(self.request, queryset),
        )
        return context


class SuggestionListView(PermissionRequiredMixin, TemplateView):
    permission_required = "events.manage_events"
    template_name = "events/suggestions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suggestions"] = event_suggestions(user=self.request.user)[:30]
        return context


class EventCreateView(ActionView, SuggestionListView):
    """ "Create the event" on a suggestion: its items travel in hidden fields."""

    form_class = EventCreateForm
    service = services.event_create
    success_message = gettext_lazy("Event created.")


class EventAccessMixin:
    """Loads ``self.event`` the user may read (else 404), after the view's permission check."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.event = selectors.event_get(user=request.user, pk=kwargs["pk"])
        if self.event is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class EventDetailView(PermissionRequiredMixin, EventAccessMixin, TemplateView):
    permission_required = "events.view_events"
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.event
        can = {action: event_can(user, event, action) for action in ACTIONS}
        context.update(
            event=event,
            page=selectors.event_page(event=event, page=self.request.GET.get("page", 1)),
            can=can,
            now=clock.now(),
        )
        if can["grade"]:
            context["suggestion"] = selectors.event_grade_suggestion(event=event)
            context.setdefault("grade_form", GradeForm(initial={"level": event.level or context["suggestion"].level}))
        if can["respond"]:
            context.setdefault(
                "respond_form",
                RespondForm(initial={"responded_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0)}),
            )
        if can["merge"]:
            context.setdefault("merge_form", MergeForm(events=selectors.open_events(user=user).exclude(pk=event.pk)))
        if can["link"]:
            tasks, reports = link_choices()
            context.setdefault("link_form", LinkForm(tasks=tasks, reports=reports))
        return context


class EventActionMixin(EventAccessMixin):
    def service_kwargs(self, form):
        return {**super().service_kwargs(form), "event": self.event}

    def get_success_url(self):
        return self.event.get_absolute_url()


class EventConfirmView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.manage_events"
    service = services.event_confirm
    success_message = gettext_lazy("Event confirmed.")


class EventCloseView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.manage_events"
    service = services.event_close
    success_message = gettext_lazy("Event closed.")


class EventGradeView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.grade_events"
    form_class = GradeForm
    form_context_name = "grade_form"
    service = services.event_grade
    success_message = gettext_lazy("Level set; the response clocks run.")


class EventRespondView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.respond_events"
    form_class = RespondForm
    form_context_name = "respond_form"
    service = services.event_respond
    success_message = gettext_lazy("Response recorded.")


class EventItemRemoveView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.manage_events"
    form_class = ItemForm
    service = services.event_item_remove
    success_message = gettext_lazy("Item taken out of the event.")


class EventMergeView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.manage_events"
    form_context_name = "merge_form"
    service = services.event_merge
    success_message = gettext_lazy("Events merged.")

    def get_form_class(self):
        return MergeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "events": selectors.open_events(user=self.request.user)}


class EventLinkView(EventActionMixin, ActionView, EventDetailView):
    permission_required = "events.manage_events"
    form_context_name = "link_form"
    service = services.event_link
    success_message = gettext_lazy("Linked.")

    def get_form_class(self):
        return LinkForm

    def get_form_kwargs(self):
        tasks, reports = link_choices()
        return {**super().get_form_kwargs(), "tasks": tasks, "reports": reports}


class EventSplitView(PermissionRequiredMixin, EventActionMixin, ServiceFormView):
    permission_required = "events.manage_events"
    template_name = "events/event_split.html"
    form_class = SplitForm
    service = services.event_split
    success_message = gettext_lazy("Event split; the chosen items are in the new event.")

    def get_form_kwargs(self):
        posts = EventPost.objects.filter(event=self.event).values_list("post_id", "post__title")
        demands = EventDemand.objects.filter(event=self.event).values_list("demand_id", "demand__subject")
        return {**super().get_form_kwargs(), "posts": posts, "demands": demands}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}

    def get_success_url(self):
        return self.result.get_absolute_url()


class ItemAddView(LoginRequiredMixin, ServiceFormView):
    """加入事件 from a post's or demand's page: ``?post=ID`` or ``?demand=ID``; shows the event it is
    already in, or offers the open events."""

    template_name = "events/item_add.html"
    form_class = ItemAddForm
    service = services.event_item_add
    success_message = gettext_lazy("Added to the event.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("events.manage_events"):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        self.post_obj = self.demand_obj = None
        try:
            post_id = int(source.get("post") or source.get("post_id") or 0)
            demand_id = int(source.get("demand") or source.get("demand_id") or 0)
        except ValueError as error:
            raise Http404 from error
        if post_id:
            self.post_obj = post_get(user=request.user, pk=post_id)
        elif demand_id:
            self.demand_obj = demand_get(user=request.user, pk=demand_id)
        if self.post_obj is None and self.demand_obj is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["events"] = selectors.open_events(user=self.request.user)
        kwargs.setdefault("initial", {}).update(
            post_id=self.post_obj.pk if self.post_obj else None,
            demand_id=self.demand_obj.pk if self.demand_obj else None,
        )
        return kwargs

    def service_kwargs(self, form):
        data = form.cleaned_data
        return {
            "actor": self.request.user,
            "request": self.request,
            "event": data["event"],
            "post_id": self.post_obj.pk if self.post_obj else None,
            "demand_id": self.demand_obj.pk if self.demand_obj else None,
        }

    def get_context_data(self, **kwargs: Any):
        context = super().get_context_data(**kwargs)
        context.update(
            item_post=self.post_obj,
            item_demand=self.demand_obj,
            current_event=selectors.event_of_item(
                post_id=self.post_obj.pk if self.post_obj else None,
                demand_id=self.demand_obj.pk if self.demand_obj else None,
            ),
        )
        return context

    def get_success_url(self):
        return self.result.get_absolute_url()
