"""Duty pages: overview and sign-in, on duty now, calendars, shift detail, roster planning, leave, gaps."""

import calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from assignments import selectors, services
from assignments.forms import HandoverNoteForm, LeaveForm, RosterGenerateForm, ShiftAssignForm, SwapForm
from assignments.models import Leave, Shift, ShiftAssignment
from bureau import clock
from bureau.auth import client_ip
from bureau.exports import Sheet, xlsx_response
from bureau.selectors import person_for

ROSTER_SALT = "assignments.roster-plan"


def _parse_date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class DutyHomeView(PermissionRequiredMixin, TemplateView):
    """My duty: handover notes first, then my shifts with sign-in, then who is on duty now."""

    permission_required = "assignments.view_duty"
    template_name = "assignments/duty_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        person = person_for(self.request.user)
        mine = selectors.upcoming_assignments(person=person, now=now) if person else []
        current = next((a for a in mine if a.shift.starts_at <= now), None)
        coming = current or (mine[0] if mine else None)
        context.update(
            person=person,
            my_assignments=[(a, selectors.sign_in_open(assignment=a, now=now)) for a in mine],
            current=current,
            handover_for_me=list(selectors.handover_notes_for(shift=coming.shift)) if coming else [],
            handover_form=HandoverNoteForm() if current else None,
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


def _calendar_days(start: date, end: date):
    shifts = selectors.shift_list(start=start, end=end)
    by_day: dict[date, list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault(shift.on, []).append(shift)
    return by_day


class WeekView(PermissionRequiredMixin, TemplateView):
    permission_required = "assignments.view_duty"
    template_name = "assignments/week.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        start = _parse_date(self.request.GET.get("start"), today)
        start -= timedelta(days=start.weekday())
        end = start + timedelta(days=6)
        by_day = _calendar_days(start, end)
        context.update(
            start=start,
            end=end,
            today=today,
            days=[(start + timedelta(days=n), by_day.get(start + timedelta(days=n), [])) for n in range(7)],
            previous=start - timedelta(days=7),
            next=start + timedelta(days=7),
        )
        return context


class MonthView(PermissionRequiredMixin, TemplateView):
    permission_required = "assignments.view_duty"
    template_name = "assignments/month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        first = _parse_date((self.request.GET.get("month") or "") + "-01", today.replace(day=1)).replace(day=1)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        by_day = _calendar_days(weeks[0][0], weeks[-1][-1])
        context.update(
            first=first,
            today=today,
            weeks=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
            previous=(first - timedelta(days=1)).replace(day=1),
            next=(first + timedelta(days=32)).replace(day=1),
        )
        return context


class ShiftAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.shift = selectors.shift_detail(pk=kwargs["pk"])
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
        on_shift = person is not None and any(a.person_id == person.pk for a in assignments)
        context.update(
            shift=self.shift,
            assignments=[(a, selectors.sign_in_open(assignment=a, now=now)) for a in assignments],
            notes=selectors.handover_notes_of(shift=self.shift),
            earlier_notes=selectors.handover_notes_for(shift=self.shift),
            handover_form=HandoverNoteForm() if on_shift else None,
            assign_form=ShiftAssignForm() if self.request.user.has_perm("assignments.manage_roster") else None,
            person=person,
            now=now,
        )
        return context


class SignInView(PermissionRequiredMixin, View):
    permission_required = "assignments.view_duty"

    def post(self, request, pk):
        assignment = get_object_or_404(ShiftAssignment.objects.filter(person__user=request.user), pk=pk)
        try:
            assignment = services.shift_sign_in(
                assignment=assignment, actor=request.user, ip_address=client_ip(request), request=request
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            if assignment.signed_in_at > assignment.shift.sign_in_due_at:
                messages.warning(request, _("Signed in, late."))
            else:
                messages.success(request, _("Signed in. Have a good shift."))
        if request.POST.get("next") == "shift":
            return redirect(assignment.shift)
        return redirect("assignments:duty")


class HandoverCreateView(PermissionRequiredMixin, ShiftAccessMixin, View):
    permission_required = "assignments.view_duty"

    def post(self, request, pk):
        form = HandoverNoteForm(request.POST)
        if form.is_valid():
            try:
                services.handover_note_create(
                    shift=self.shift, body=form.cleaned_data["body"], actor=request.user, request=request
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("Handover note saved: the next shift will see it first."))
        else:
            messages.error(request, _("Write what the next shift must know."))
        return redirect(self.shift)


class ShiftAssignView(PermissionRequiredMixin, ShiftAccessMixin, View):
    permission_required = "assignments.manage_roster"

    def post(self, request, pk):
        form = ShiftAssignForm(request.POST)
        if form.is_valid():
            try:
                services.shift_assign(
                    shift=self.shift, person=form.cleaned_data["person"], actor=request.user, request=request
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("Added to the shift."))
        return redirect(self.shift)


class ShiftUnassignView(PermissionRequiredMixin, View):
    permission_required = "assignments.manage_roster"

    def post(self, request, pk):
        assignment = get_object_or_404(ShiftAssignment.objects.select_related("shift"), pk=pk)
        try:
            services.shift_unassign(assignment=assignment, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Taken off the shift."))
        return redirect(assignment.shift)


class SwapView(PermissionRequiredMixin, FormView):
    permission_required = "assignments.manage_roster"
    template_name = "assignments/swap.html"
    form_class = SwapForm

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

    def form_valid(self, form):
        try:
            services.assignments_swap(
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                actor=self.request.user,
                request=self.request,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The two people have swapped shifts."))
        return redirect(reverse("assignments:week") + f"?start={form.cleaned_data['first'].shift.on:%Y-%m-%d}")


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


class LeaveView(PermissionRequiredMixin, FormView):
    permission_required = "assignments.manage_roster"
    template_name = "assignments/leave_list.html"
    form_class = LeaveForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["leaves"] = selectors.leave_list(since=clock.today() - timedelta(days=30))
        return context

    def form_valid(self, form):
        try:
            services.leave_declare(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Leave recorded."))
        return redirect("assignments:leave")


class LeaveCancelView(PermissionRequiredMixin, View):
    permission_required = "assignments.manage_roster"

    def post(self, request, pk):
        leave = get_object_or_404(Leave, pk=pk)
        services.leave_cancel(leave=leave, actor=request.user, request=request)
        messages.success(request, _("Leave cancelled."))
        return redirect("assignments:leave")


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


def _year(request) -> int:
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


class FiguresView(PermissionRequiredMixin, TemplateView):
    """Duty and task figures per year and per month, for the annual summary."""

    permission_required = "assignments.view_all_tasks"
    template_name = "assignments/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        start, end = clock.year_span(year)
        months = []
        for month in range(1, 13):
            month_start, month_end = clock.month_span(year, month)
            months.append((month, selectors.duty_figures(start=month_start, end=month_end)))
        context.update(
            year=year,
            duty=selectors.duty_figures(start=start, end=end),
            months=months,
            tasks=selectors.county_task_figures(start=start, end=end),
            previous=year - 1,
            next=year + 1,
        )
        return context


class FiguresExportView(PermissionRequiredMixin, View):
    """The same figures as the page, as a workbook: one number per figure everywhere."""

    permission_required = "assignments.view_all_tasks"

    def get(self, request):
        year = _year(request)
        header = [_("Period"), _("Shifts"), _("Understaffed"), _("Signed in on time"), _("Late"), _("Missed")]
        rows = []
        for month in range(1, 13):
            figures = selectors.duty_figures(
                start=clock.month_span(year, month)[0], end=clock.month_span(year, month)[1]
            )
            rows.append([f"{year}-{month:02d}", *_duty_row(figures)])
        start, end = clock.year_span(year)
        rows.append([str(year), *_duty_row(selectors.duty_figures(start=start, end=end))])
        tasks = selectors.county_task_figures(start=start, end=end)
        task_rows = [
            [_("Received"), tasks["received"]],
            [_("Opinion special reports"), tasks["special_reports"]],
            [_("Opinion assignments"), tasks["assignments"]],
            [_("Other"), tasks["other"]],
            [_("Handled (feedback approved)"), tasks["handled"]],
            [_("Feedback on time"), tasks["on_time"]],
            [_("Overdue"), tasks["overdue"]],
        ]
        return xlsx_response(
            filename=f"duty-and-tasks-{year}.xlsx",
            sheets=[
                Sheet(_("Duty and sign-in"), header, rows),
                Sheet(_("Tasks handed down"), [_("Figure"), _("Count")], task_rows),
            ],
        )


def _duty_row(figures) -> list[int]:
    return [figures.shifts, figures.understaffed_shifts, figures.on_time, figures.late, figures.missed]
