"""Filters for the archive list, applied inside ``archive.selectors.archive_record_list``."""

from datetime import timedelta

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from archive.forms import ArchiveRecordFilterForm
from archive.labels import action_choices
from archive.models import ArchiveRecord
from bureau import bounds, clock
from bureau.search import search_filter


def object_type_choices() -> list[tuple[str, str]]:
    """Every installed model, named in the reader's language. Built from the app registry rather
    than a DISTINCT over the archive, which would scan the whole table on every page view."""
    choices = [(model._meta.label_lower, capfirst(model._meta.verbose_name)) for model in apps.get_models()]
    return sorted(choices, key=lambda choice: str(choice[1]))


def _actor_queryset(request):
    # The label is the person's name (User.__str__), so load the person in the same query.
    return get_user_model().objects.select_related("person").order_by("person__name", "username")


def _day_input():
    # <input type="date"> only accepts ISO dates, whatever the language's date format is.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArchiveRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # A choice list: one action, or all of one app's ("opinions." and the like).
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices, method="filter_action")
    target_type = django_filters.ChoiceFilter(label=_("Object type"), choices=object_type_choices)
    # With the object type: "everything about demand 17", served by archive_target_idx.
    target_id = django_filters.CharFilter(label=_("Object id"), lookup_expr="exact")
    actor = django_filters.ModelChoiceFilter(label=_("By"), queryset=_actor_queryset)
    date_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day], label=_("From (day)"), method="filter_date_from", widget=_day_input()
    )
    date_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day], label=_("To (day)"), method="filter_date_to", widget=_day_input()
    )

    class Meta:
        model = ArchiveRecord
        fields = ["q", "action", "target_type", "target_id", "actor", "date_from", "date_to"]
        form = ArchiveRecordFilterForm

    def filter_action(self, queryset, name, value):
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)

    def filter_search(self, queryset, name, value):
        # ArchiveRecord.SEARCH_FIELDS: summary, object and actor_name (failed logins have no actor,
        # only the user name that was tried).
        return search_filter(queryset, value)

    def filter_date_from(self, queryset, name, value):
        # Days are the office's calendar days (Asia/Shanghai); the column is stored in UTC.
        return queryset.filter(created_at__gte=clock.local_midnight(value))

    def filter_date_to(self, queryset, name, value):
        # Inclusive of the whole last day: up to the next local midnight.
        return queryset.filter(created_at__lt=clock.local_midnight(value + timedelta(days=1)))
