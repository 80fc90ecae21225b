"""Configuration of the assessment: the scoring rules per year."""

from django.contrib import admin

from reports.models import ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "indicator", "weight", "full_at", "half_at", "higher_is_better")
    list_filter = ("year", "indicator")
    ordering = ("-year", "indicator")
