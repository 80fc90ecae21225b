"""The event list's filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bureau.search import search_filter
from events.models import Event, Level


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=[*Level.choices, ("none", _("Not graded"))], method="filter_level"
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=Event.State.choices)

    class Meta:
        model = Event
        fields = ["q", "level", "state"]

    def filter_text(self, queryset, name, value):
        return search_filter(queryset, value)  # Event.SEARCH_FIELDS: the title and the summary

    def filter_level(self, queryset, name, value):
        return queryset.filter(level="" if value == "none" else value)
