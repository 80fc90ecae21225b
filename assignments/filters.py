"""Filters for the list of tasks handed down, applied inside the selector."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assignments.models import CountyTask
from bureau import clock
from bureau.search import search_filter


class CountyTaskFilter(django_filters.FilterSet):
    STATE_CHOICES = [("open", _("Open")), ("overdue", _("Overdue")), *CountyTask.State.choices]

    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="filter_state", empty_label=_("All states")
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CountyTask.Kind.choices, empty_label=_("All types"))
    year = django_filters.NumberFilter(label=_("Year received"), method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = CountyTask
        fields = ["q", "state", "kind", "year"]

    def search(self, queryset, name, value):
        return search_filter(queryset, value)  # CountyTask.SEARCH_FIELDS: title, reference and content

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(at=clock.now())
        return queryset.filter(state=value)

    def filter_year(self, queryset, name, value):
        start, end = clock.year_span(int(value))
        return queryset.filter(received_at__gte=start, received_at__lt=end)
