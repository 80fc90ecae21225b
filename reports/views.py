"""The personal home page ("my work")."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from bureau import clock, selectors
from reports.home import home_panels
from reports.todo import todo_lists


class HomeView(TemplateView):
    """ "My work": the person's role, sections and (as features arrive) their queues."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for(self.request.user)
        context["person"] = person
        context["my_sections"] = selectors.section_list(owner=person) if person else []
        context["recent_notifications"] = selectors.notification_list(user=self.request.user)[:5]
        context["panels"] = home_panels(user=self.request.user, person=person)
        return context


class TodoView(LoginRequiredMixin, TemplateView):
    """待办: every list of what waits for this user (``reports.todo``), each with its count."""

    template_name = "reports/todo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for(self.request.user)
        context["lists"] = todo_lists(user=self.request.user, person=person, now=clock.now())
        return context
