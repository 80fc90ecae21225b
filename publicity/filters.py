"""Filters for the publicity, coverage and disclosure lists, applied inside the selectors."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bureau import bounds
from bureau.models import Department
from bureau.search import search_filter
from publicity.models import DisclosureItem, MediaCoverage, MediaOutlet, Platform, PublicityPost


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


class _SearchForm(forms.Form):
    """Filter forms are small; Bootstrap classes on each widget so they sit in one row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class PublicityPostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    platform = django_filters.ModelChoiceFilter(label=_("Platform"), queryset=Platform.objects.all())
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    state = django_filters.ChoiceFilter(label=_("State"), choices=PublicityPost.State.choices)
    date_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("From"),
        field_name="shown_on",
        lookup_expr="gte",
        widget=_date_widget(),
    )
    date_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("To"),
        field_name="shown_on",
        lookup_expr="lte",
        widget=_date_widget(),
    )

    class Meta:
        model = PublicityPost
        fields = ["q", "platform", "department", "state", "date_from", "date_to"]
        form = _SearchForm

    def filter_text(self, queryset, name, value):
        return search_filter(queryset, value)  # PublicityPost.SEARCH_FIELDS: title and text


class MediaCoverageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    outlet = django_filters.ModelChoiceFilter(label=_("Outlet"), queryset=MediaOutlet.objects.all())
    level = django_filters.ChoiceFilter(label=_("Level"), field_name="outlet__level", choices=MediaOutlet.Level.choices)
    kind = django_filters.ChoiceFilter(label=_("Type"), field_name="outlet__kind", choices=MediaOutlet.Kind.choices)
    date_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("From"),
        field_name="reported_on",
        lookup_expr="gte",
        widget=_date_widget(),
    )
    date_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("To"),
        field_name="reported_on",
        lookup_expr="lte",
        widget=_date_widget(),
    )

    class Meta:
        model = MediaCoverage
        fields = ["q", "outlet", "level", "kind", "date_from", "date_to"]
        form = _SearchForm

    def filter_text(self, queryset, name, value):
        return search_filter(queryset, value)  # MediaCoverage.SEARCH_FIELDS: the title


class DisclosureItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=DisclosureItem.Category.choices)
    platform = django_filters.ModelChoiceFilter(label=_("Published where"), queryset=Platform.objects.all())
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    date_from = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("From"),
        field_name="published_on",
        lookup_expr="gte",
        widget=_date_widget(),
    )
    date_to = django_filters.DateFilter(
        validators=[bounds.validate_filter_day],
        label=_("To"),
        field_name="published_on",
        lookup_expr="lte",
        widget=_date_widget(),
    )

    class Meta:
        model = DisclosureItem
        fields = ["q", "category", "platform", "department", "date_from", "date_to"]
        form = _SearchForm

    def filter_text(self, queryset, name, value):
        return search_filter(queryset, value)  # DisclosureItem.SEARCH_FIELDS: title and document number
