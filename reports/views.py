"""The personal home page ("my work")."""

from django.views.generic import TemplateView

from bureau import selectors
from reports.home import home_panels


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
