"""The monitor's filters. Every filter is served by an index that also gives the monitor's order."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau import bounds, clock
from bureau.models import Department, Person, Section
from bureau.search import search_filter
from opinions.models import (
    Channel,
    Demand,
    DemandKind,
    Post,
    ScreeningCategory,
    completed_q,
    counted_q,
    first_round_overdue_q,
    overdue_q,
    reached_q,
    replied_on_time_q,
    replied_q,
    satisfied_q,
)


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"), queryset=Channel.objects.all(), widget=forms.Select(attrs={"class": "form-select-sm"})
    )
    kind = django_filters.ChoiceFilter(
        label=_("Channel type"), field_name="channel__kind", choices=Channel.Kind.choices
    )
    section = django_filters.ModelChoiceFilter(label=_("Section"), queryset=Section.objects.filter(is_active=True))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Post.Status.choices)
    screening = django_filters.ChoiceFilter(label=_("Screening"), choices=Post.Screening.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Prohibited category"),
        queryset=ScreeningCategory.objects.filter(purpose=ScreeningCategory.Purpose.PROHIBITED),
    )
    relevant = django_filters.BooleanFilter(
        label=_("Relevant to the bureau only"),
        method="filter_relevant",
        widget=forms.CheckboxInput,
    )
    found_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("Found from"),
        method="filter_found_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    found_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("Found until"),
        method="filter_found_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return search_filter(queryset, value)  # title, text and author (Post.SEARCH_FIELDS)

    def filter_relevant(self, queryset, name, value):
        return queryset.filter(is_relevant=True) if value else queryset

    def filter_found_from(self, queryset, name, value):
        return queryset.filter(found_at__gte=clock.local_midnight(value))

    def filter_found_to(self, queryset, name, value):
        return queryset.filter(found_at__lt=clock.day_span(value)[1])


class DemandFilter(django_filters.FilterSet):
    """The supervisors' demand list: kind, channel, state, handler, department, overdue, received dates, text."""

    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DemandKind.choices)
    channel = django_filters.ModelChoiceFilter(label=_("Channel"), queryset=Channel.objects.all())
    state = django_filters.ChoiceFilter(label=_("State"), choices=Demand.State.choices)
    handler = django_filters.ModelChoiceFilter(label=_("Handler"), queryset=Person.objects.active())
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    # The department a case counts under in the figures: its first round's (after any accepted
    # hand-back), not the one handling it now; the figures' lists (the dashboard, the assessment) use it.
    case_department = django_filters.ModelChoiceFilter(
        label=_("Department the case counts under"),
        queryset=Department.objects.all(),
        method="filter_case_department",
        widget=forms.HiddenInput,
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    received_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("Received from"),
        method="filter_received_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("Received until"),
        method="filter_received_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # The figures of opinions.selectors.figures, so a dashboard number opens the list of what it counts.
    FIGURE_CHOICES = [
        ("received", _("Received (duplicates left out)")),
        ("replied", _("Replied")),
        ("replied_on_time", _("Replied on time")),
        ("completed", _("Completed")),
        ("called_back", _("Reached on call-back")),
        ("satisfied", _("Satisfied on call-back")),
        ("overdue", _("Overdue now in the first round")),
        ("overdue_now", _("Overdue now")),
    ]
    figure = django_filters.ChoiceFilter(label=_("Figure"), choices=FIGURE_CHOICES, method="filter_figure")

    class Meta:
        model = Demand
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    # The figures whose rows are all open (``overdue_q`` and ``first_round_overdue_q`` start from
    # ``open_q``): with one of them, or the overdue box, or an open state, the list is open cases only.
    OPEN_ONLY_FIGURES = ("overdue", "overdue_now")

    @property
    def open_only(self) -> bool:
        """The filtered rows are open cases only (``opinions.selectors.demands.open_first_parts``)."""
        if not self.is_valid():
            return False
        data = self.form.cleaned_data
        return bool(
            data.get("overdue")
            or data.get("figure") in self.OPEN_ONLY_FIGURES
            or data.get("state") in Demand.OPEN_STATES
        )

    def filter_text(self, queryset, name, value):
        # Demand.SEARCH_FIELDS: the title, text and reply, and the case number as said on the phone
        # ("2026-0312", folded to "20260312") or in part ("0312").
        return search_filter(queryset, value)

    def filter_case_department(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(rounds__number=0, rounds__department=value)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(overdue_q(clock.now()))

    def filter_figure(self, queryset, name, value):
        queryset = queryset.filter(counted_q())
        conditions = {
            "received": Q(),
            "replied": replied_q(),
            "replied_on_time": replied_on_time_q(),
            "completed": completed_q(),
            "called_back": reached_q(),
            "satisfied": satisfied_q(),
            # The figure "overdue" (first round); a redo round overdue is 重办超期, counted apart.
            "overdue": first_round_overdue_q(clock.now()),
            "overdue_now": overdue_q(clock.now()),  # every round: the dashboard's "overdue now"
        }
        return queryset.filter(conditions.get(value, Q()))

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=clock.local_midnight(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=clock.day_span(value)[1])
