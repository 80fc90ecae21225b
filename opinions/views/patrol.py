from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from bureau import clock
from bureau.pagination import quick_page
from opinions.forms import PatrolForm
from opinions.selectors.patrol import patrol_record_list, patrol_rule_list
from opinions.services.patrol import patrol_record_review
from opinions.views.mixins import safe_next


class PatrolLogView(PermissionRequiredMixin, TemplateView):
    permission_required = "opinions.view_patrol_log"
    template_name = "opinions/patrol_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = patrol_record_list(user=self.request.user)
        context.update(
            rules=patrol_rule_list(user=self.request.user),
            page=quick_page(records, self.request.GET.get("page"), per_page=50),
            now=clock.now(),
        )
        return context


class PatrolReviewView(PermissionRequiredMixin, View):
    permission_required = "opinions.record_patrol"

    def post(self, request):
        form = PatrolForm(request.POST)
        target = safe_next(request, "/opinions/patrol/")
        if not form.is_valid():
            messages.error(request, _("Choose a section."))
            return redirect(target)
        try:
            record = patrol_record_review(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Review of %(section)s recorded: %(count)s new posts.")
                % {"section": record.section, "count": record.posts_seen},
            )
        return redirect(target)
