"""Opinion events (舆情事件): posts and demands on one issue grouped, graded (研判) and answered
within the response clocks of their level. Each post or demand is in at most one event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assignments.models import CountyTask, IncidentReport
from bureau.search import SearchGramsField, search_text_field
from opinions.models import Demand, Post, ScreeningCategory


class Level(models.TextChoices):
    I = "I", _("Level I (major)")  # noqa: E741 - the level's own name
    II = "II", _("Level II (serious)")
    III = "III", _("Level III (ordinary)")


# Highest first: a grading suggestion takes the first level whose rules match.
LEVEL_ORDER = (Level.I, Level.II, Level.III)


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    AUTHORITATIVE = "authoritative", _("Authoritative information released")
    PRESS = "press", _("Press response")


class BureauTerm(models.Model):
    """A word of the bureau's own (its name, places, services, leaders), added to the segmenter's
    dictionary so keyword extraction keeps it whole. Kept by administrators."""

    class Kind(models.TextChoices):
        NAME = "name", _("The bureau's name")
        PLACE = "place", _("Place")
        SERVICE = "service", _("Service")
        LEADER = "leader", _("Leader")
        OTHER = "other", _("Other")

    word = models.CharField(_("word"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = _("bureau term")
        verbose_name_plural = _("bureau terms")

    def __str__(self) -> str:
        return self.word


class Event(models.Model):
    class State(models.TextChoices):
        ASSESSING = "assessing", _("To be assessed")
        HANDLING = "handling", _("Being handled")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    level = models.CharField(_("level"), max_length=3, choices=Level.choices, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ASSESSING)
    first_seen_at = models.DateTimeField(_("first seen at"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grading_reason = models.TextField(_("grading reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("merged into")
    )
    keywords = models.JSONField(_("top keywords"), default=list, blank=True)

    # What the event list's text box (and the one search box) searches; bureau.search derives
    # search_text and search_grams from them, filled by search_fill in events.services; their GIN
    # indexes are created by migration 0006 (PostgreSQL only).
    SEARCH_FIELDS = ("title", "summary")
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")
        indexes = [
            models.Index(fields=["state", "-first_seen_at"], name="event_state_idx"),
            # The list's order: a page is the first rows of this index, whatever the number of events.
            models.Index(fields=["-first_seen_at", "-id"], name="event_recent_idx"),
        ]
        permissions = [
            ("view_events", _("Can read opinion events")),
            ("manage_events", _("Can create, confirm, split and merge opinion events")),
            ("grade_events", _("Can grade opinion events")),
            ("respond_events", _("Can record an event's responses")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED and self.merged_into_id is None


class EventPost(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="post_links")
    post = models.OneToOneField(Post, on_delete=models.PROTECT, related_name="event_link")
    keywords = models.JSONField(default=list, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("event post")
        verbose_name_plural = _("event posts")

    def __str__(self) -> str:
        return f"{self.event_id}:{self.post_id}"


class EventDemand(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="demand_links")
    demand = models.OneToOneField(Demand, on_delete=models.PROTECT, related_name="event_link")
    keywords = models.JSONField(default=list, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("event demand")
        verbose_name_plural = _("event demands")

    def __str__(self) -> str:
        return f"{self.event_id}:{self.demand_id}"


class EventTask(models.Model):
    """A task handed down (县级交办) about the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="task_links")
    task = models.ForeignKey(CountyTask, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "task"], name="event_task_once")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.task_id}"


class EventReport(models.Model):
    """A report upward (上报) about the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="report_links")
    report = models.ForeignKey(IncidentReport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "report"], name="event_report_once")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.report_id}"


class GradingRule(models.Model):
    """When an event is suggested a level: every condition filled in must hold (items within the
    window, channels reached, a watch term in the items, a prohibited category among them)."""

    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    window_hours = models.PositiveIntegerField(_("window (hours)"), default=24)
    min_items = models.PositiveIntegerField(_("at least this many items in the window"), default=0)
    min_channels = models.PositiveIntegerField(_("at least this many channels"), default=0)
    watch_terms = models.TextField(_("watch terms (one a line, any of them)"), blank=True)
    categories = models.ManyToManyField(
        ScreeningCategory, blank=True, related_name="+", verbose_name=_("prohibited categories (any of them)")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("grading rule")
        verbose_name_plural = _("grading rules")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.name}"

    @property
    def terms(self) -> list[str]:
        return [line.strip() for line in self.watch_terms.splitlines() if line.strip()]


class ResponseLimit(models.Model):
    """How long a level has for a kind of response, counted from the event's first sighting."""

    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ClockKind.choices)
    hours = models.PositiveIntegerField(_("hours"))

    class Meta:
        ordering = ["level", "kind"]
        verbose_name = _("response limit")
        verbose_name_plural = _("response limits")
        constraints = [models.UniqueConstraint(fields=["level", "kind"], name="response_limit_once")]

    def __str__(self) -> str:
        return f"{self.level} {self.kind} {self.hours}h"


def event_open_q(path: str = "") -> Q:
    """An open event: not closed and not merged into another (``Event.is_open`` for one row).
    ``path`` reaches the event from another model, e.g. ``"event"`` from its clocks or links."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}merged_into__isnull": True}) & ~Q(**{f"{prefix}state": Event.State.CLOSED})


def clock_overdue_q(at) -> Q:
    """Overdue at ``at``: not met and its stored deadline passed (``due_at < at``, as for demands)."""
    return Q(met_at__isnull=True, due_at__lt=at)


class EventClock(models.Model):
    """A response clock: a stored deadline, met by a recorded response, escalated once when overdue."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=20, choices=ClockKind.choices)
    due_at = models.DateTimeField(_("due at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("response clock")
        verbose_name_plural = _("response clocks")
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="event_clock_once")]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(met_at=None, escalated_at=None), name="event_clock_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"

    def is_overdue_at(self, at) -> bool:
        return self.met_at is None and self.due_at < at


class EventResponse(models.Model):
    """A response made (首次回应, 权威信息发布, 新闻回应): when and what; it meets the clock of its kind."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="responses", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=20, choices=ClockKind.choices)
    responded_at = models.DateTimeField(_("responded at"))
    text = models.TextField(_("what was said"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["responded_at", "pk"]
        verbose_name = _("event response")
        verbose_name_plural = _("event responses")

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"
