"""Duty pages: overview and sign-in, on duty now, shift detail, roster planning, leave, gaps. The
calendars are in ``calendars.py``, the year's figures in ``duty_figures.py``."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from assignments import selectors, services
from assignments.forms import HandoverNoteForm, LeaveForm, RosterGenerateForm, ShiftAssignForm, SwapForm
from assignments.models import Leave, Shift, ShiftAssignment
from assignments.policies import shift_actions, sign_in_can, unassign_can
from bureau import clock
from bureau.auth import client_ip
from bureau.selectors import person_for
from bureau.views_base import ActionView, ServiceFormView

ROSTER_SALT = "assignments.roster-plan"


class DutyHomeView(PermissionRequiredMixin, TemplateView):
    """My duty: handover notes first, then my shifts with sign-in, then who is on duty now."""

    permission_required = "assignments.view_duty"
    template_name = "assignments/duty_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        person = person_for(self.request.user)
        duty = selectors.my_duty(user=self.request.user, person=person, now=now)
        context.update(
            person=person,
            my_assignments=duty.assignments,
            current=duty.current,
            handover_for_me=duty.handover_for_me,
            handover_form=HandoverNoteForm() if duty.may_hand_over else None,
            recent_handover=selectors.handover_notes_recent(now=now)[:10],
            on_duty=selectors.on_duty_now(now=now),
            now=now,
        )
        return context


class OnDutyNowView(PermissionRequiredMixin, TemplateView):
    """A page for the phone: who is on duty now and their numbers."""

    permission_required = "assignments.view_duty"
    template_name = "assignments/on_duty_now.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["on_duty"] = selectors.on_duty_now()
        context["now"] = clock.now()
        return context


class ShiftAccessMixin:
    """Loads ``self.shift`` (the URL's ``pk``, or what ``shift_pk`` says): none → 404."""

    def shift_pk(self, **kwargs) -> int:
        return kwargs["pk"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.shift = selectors.shift_detail(pk=self.shift_pk(**kwargs))
        except Shift.DoesNotExist as error:
            raise Http404 from error
        return super().dispatch(request, *args, **kwargs)


class ShiftDetailView(PermissionRequiredMixin, ShiftAccessMixin, TemplateView):
    permission_required = "assignments.view_duty"
    template_name = "assignments/shift_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        person = person_for(self.request.user)
        assignments = list(self.shift.assignments.all())
        actions = shift_actions(self.request.user, self.shift, now=now)
        context.update(
            shift=self.shift,
            actions=actions,
            assignments=[
                (a, sign_in_can(self.request.user, a, now=now), unassign_can(self.request.user, a)) for a in assignments
            ],
            notes=selectors.handover_notes_of(shift=self.shift),
            earlier_notes=selectors.handover_notes_for(shift=self.shift),
            handover_form=HandoverNoteForm() if actions["handover"] else None,
            assign_form=ShiftAssignForm() if actions["manage"] else None,
            person=person,
            now=now,
        )
        return context


class SignInView(ActionView, DutyHomeView):
    """Sign in from the duty page (or the shift's page, ``next=shift``); a refusal shows the duty page."""

    service = services.shift_sign_in

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        # Only one's own assignment can be found at all: anyone else's is a 404.
        assignment = get_object_or_404(
            ShiftAssignment.objects.filter(person__user=self.request.user), pk=self.kwargs["pk"]
        )
        return {"assignment": assignment, "ip_address": client_ip(self.request), **super().service_kwargs(form)}

    def add_success_message(self, form: Form) -> None:
        if self.result.signed_in_at > self.result.shift.sign_in_due_at:
            messages.warning(self.request, _("Signed in, late."))
        else:
            messages.success(self.request, _("Signed in. Have a good shift."))

    def get_success_url(self) -> str:
        if self.request.POST.get("next") == "shift":
            return self.result.shift.get_absolute_url()
        if self.request.POST.get("next") == "desk":
            return reverse("duty-desk")  # the duty desk (reports), back where the person signed in
        return reverse("assignments:duty")


class ShiftAction(ActionView, ShiftDetailView):
    """An action posted from the shift's page; a refusal shows that page again with the form."""

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"shift": self.shift, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return self.shift.get_absolute_url()


class HandoverCreateView(ShiftAction):
    form_class, form_context_name, service = HandoverNoteForm, "handover_form", services.handover_note_create
    success_message = gettext_lazy("Handover note saved: the next shift will see it first.")

    def get_success_url(self) -> str:
        if self.request.POST.get("next") == "desk":
            return reverse("duty-desk")  # written on the duty desk (reports): back there
        return super().get_success_url()


class ShiftAssignView(ShiftAction):
    permission_required = "assignments.manage_roster"
    form_class, form_context_name, service = ShiftAssignForm, "assign_form", services.shift_assign
    success_message = gettext_lazy("Added to the shift.")


class ShiftUnassignView(ShiftAction):
    """Posted with the assignment's id; the page it belongs to is its shift's."""

    permission_required = "assignments.manage_roster"
    service = services.shift_unassign
    success_message = gettext_lazy("Taken off the shift.")

    def shift_pk(self, **kwargs) -> int:
        self.assignment = get_object_or_404(ShiftAssignment.objects.select_related("shift"), pk=kwargs["pk"])
        return self.assignment.shift_id

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        kwargs = super().service_kwargs(form)
        del kwargs["shift"]
        return {"assignment": self.assignment, **kwargs}


class SwapView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "assignments.manage_roster"
    template_name = "assignments/swap.html"
    form_class = SwapForm
    service = services.assignments_swap
    success_message = gettext_lazy("The two people have swapped shifts.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        now = clock.now()
        kwargs["assignments"] = (
            ShiftAssignment.objects.filter(
                shift__starts_at__gt=now, shift__starts_at__lt=now + timedelta(days=62), signed_in_at=None
            )
            .select_related("shift", "shift__shift_type", "person")
            .order_by("shift__starts_at", "person__sort_order")
        )
        return kwargs

    def get_initial(self):
        return {"first": self.request.GET.get("first")}

    def get_success_url(self) -> str:
        first, _second = self.result
        return reverse("assignments:week") + f"?start={first.shift.on:%Y-%m-%d}"


class RosterGenerateView(PermissionRequiredMixin, TemplateView):
    """Plan a roster: the form (GET), the plan for review (GET with the form filled), save (POST)."""

    permission_required = "assignments.manage_roster"
    template_name = "assignments/roster_generate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = RosterGenerateForm(self.request.GET or None)
        context["form"] = form
        if form.is_bound and form.is_valid():
            try:
                plan = services.roster_plan(
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    shift_types=list(form.cleaned_data["shift_types"]),
                    people=list(form.cleaned_data["people"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                context["plan"] = plan
                context["signed_plan"] = signing.dumps(plan.as_data(), salt=ROSTER_SALT, compress=True)
        return context

    def post(self, request):
        try:
            data = signing.loads(request.POST.get("plan", ""), salt=ROSTER_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The plan has expired or was changed. Please plan again."))
            return redirect("assignments:roster")
        created = services.roster_save(data=data, actor=request.user, request=request)
        messages.success(request, _("Roster saved: %(count)s assignments.") % {"count": created})
        return redirect(reverse("assignments:week") + f"?start={data['start']}")


class LeaveView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "assignments.manage_roster"
    template_name = "assignments/leave_list.html"
    form_class = LeaveForm
    service = services.leave_declare
    success_message = gettext_lazy("Leave recorded.")
    success_url = reverse_lazy("assignments:leave")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["leaves"] = selectors.leave_list(since=clock.today() - timedelta(days=30))
        return context


class LeaveCancelView(ActionView, LeaveView):
    form_class, form_context_name, service = Form, "cancel_form", services.leave_cancel
    success_message = gettext_lazy("Leave cancelled.")

    def refused_context(self, form: Form) -> dict[str, Any]:
        # The page's own form is the leave form; the refused button is shown beside it.
        return {"form": LeaveForm(), "refused_form": form}

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"leave": get_object_or_404(Leave, pk=self.kwargs["pk"]), **super().service_kwargs(form)}


class GapsView(PermissionRequiredMixin, TemplateView):
    permission_required = "assignments.manage_roster"
    template_name = "assignments/gaps.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        gaps = selectors.duty_gaps()
        context.update(
            unsigned=gaps["unsigned"][:100], late=gaps["late"][:100], understaffed=gaps["understaffed"][:100]
        )
        return context
