"""Configuration in the admin: the bureau's own terms, grading rules and the response limits of
each level. Events and their clocks change only through the app's pages and services."""

from django.contrib import admin

from bureau.admin_base import ReadOnlyAdmin
from events.models import BureauTerm, Event, EventClock, GradingRule, ResponseLimit


@admin.register(BureauTerm)
class BureauTermAdmin(admin.ModelAdmin):
    list_display = ["word", "kind"]
    list_filter = ["kind"]
    search_fields = ["word"]


@admin.register(GradingRule)
class GradingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "window_hours", "min_items", "min_channels", "is_active"]
    list_filter = ["level", "is_active"]
    filter_horizontal = ["categories"]


@admin.register(ResponseLimit)
class ResponseLimitAdmin(admin.ModelAdmin):
    list_display = ["level", "kind", "hours"]
    list_editable = ["hours"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "level", "state", "first_seen_at"]
    list_filter = ["level", "state"]


@admin.register(EventClock)
class EventClockAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "due_at", "met_at", "escalated_at"]
