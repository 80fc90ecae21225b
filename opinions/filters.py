"""The monitor's filters. Every filter is served by an index that also gives the monitor's order."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau import clock
from bureau.models import Section
from opinions.models import Channel, Post, ScreeningCategory


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"), queryset=Channel.objects.all(), widget=forms.Select(attrs={"class": "form-select-sm"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), field_name="channel__kind", choices=Channel.Kind.choices)
    section = django_filters.ModelChoiceFilter(label=_("Section"), queryset=Section.objects.filter(is_active=True))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Post.Status.choices)
    screening = django_filters.ChoiceFilter(label=_("Screening"), choices=Post.Screening.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ScreeningCategory.objects.filter(purpose=ScreeningCategory.Purpose.PROHIBITED)
    )
    relevant = django_filters.BooleanFilter(
        label=_("Relevant to the bureau only"),
        method="filter_relevant",
        widget=forms.CheckboxInput,
    )
    found_from = django_filters.DateFilter(
        label=_("Found from"), method="filter_found_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    found_to = django_filters.DateFilter(
        label=_("Found until"), method="filter_found_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value) | Q(author__icontains=value))

    def filter_relevant(self, queryset, name, value):
        return queryset.filter(is_relevant=True) if value else queryset

    def filter_found_from(self, queryset, name, value):
        return queryset.filter(found_at__gte=clock.local_midnight(value))

    def filter_found_to(self, queryset, name, value):
        return queryset.filter(found_at__lt=clock.day_span(value)[1])
