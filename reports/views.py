"""The personal home page ("my work")."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import TemplateView

from assignments import selectors as duty
from assignments.forms import HandoverNoteForm
from bureau import clock, selectors
from opinions.selectors.posts import my_new_posts
from reports.forms import SiteSearchForm
from reports.home import home_panels
from reports.search import kinds_readable, site_search
from reports.todo import badge_of, todo_count_rows, todo_lists


class HomeView(TemplateView):
    """ "My work": the person's role, sections and (as features arrive) their queues."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for(self.request.user)
        context["person"] = person
        context["my_sections"] = selectors.section_list(owner=person) if person else []
        context["recent_notifications"] = selectors.notification_list(user=self.request.user)[:5]
        context["panels"] = panels = home_panels(user=self.request.user, person=person)
        # The to-do panel counted the menu's badge already; the view's context wins over the
        # context processor's, so the counting statement runs once.
        counted = [panel.todo_badge for panel in panels if panel.todo_badge is not None]
        if counted:
            context["todo_count"] = counted[0]
        return context


class TodoView(LoginRequiredMixin, TemplateView):
    """待办: every list of what waits for this user (``reports.todo``), each with its count."""

    template_name = "reports/todo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for(self.request.user)
        context["lists"] = lists = todo_lists(user=self.request.user, person=person, now=clock.now())
        context["todo_count"] = badge_of(lists)  # the menu's badge, from the same counts
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """搜索: the one search box's results, grouped by kind (``reports.search``). Only the lists the
    user may open are searched; a refused word is shown again with its message."""

    template_name = "reports/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = SiteSearchForm(self.request.GET) if "q" in self.request.GET else SiteSearchForm()
        form.fields["q"].widget.attrs["autofocus"] = not form.is_bound  # opened from the magnifier
        kinds = kinds_readable(user=user)
        found = form.is_valid() and site_search(user=user, query=form.cleaned_data["q"], kinds=kinds)
        context.update(form=form, kinds=kinds, groups=found or [])
        return context


class DutyDeskView(PermissionRequiredMixin, TemplateView):
    """值班台: the person on duty's one screen, made for the phone. Whom to call on the next shift,
    signing in, what waits for them (``reports.todo``), new posts in their sections and the
    handover note. Signing in and the handover post to the duty views, which come back here."""

    permission_required = "assignments.view_duty"
    template_name = "reports/duty_desk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, clock.now()
        person = selectors.person_for(user)
        mine = duty.my_duty(user=user, person=person, now=now)
        todo = todo_count_rows(user=user, person=person, now=now)
        waiting = badge_of(todo)
        context.update(
            person=person,
            duty=mine,
            handover_form=HandoverNoteForm() if mine.may_hand_over else None,
            next_shifts=duty.next_shifts(now=now),
            todo_rows=todo,
            todo_waiting=waiting,
            todo_count=waiting,  # the menu's badge, from the same counts
            posts=my_new_posts(user=user, person=person) if user.has_perm("opinions.view_monitor") else None,
            now=now,
        )
        return context
