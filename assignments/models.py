"""Duty rosters and sign-in, tasks handed down by the county (交办), reports upward (上报).

Times that decide something (a shift's start, its sign-in deadline, a task's deadline) are
computed once and stored, so sweeps filter on indexed columns."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.files import random_upload_path
from bureau.models import Department, Person
from bureau.search import SearchGramsField, search_text_field

# A person may sign in this long before their shift starts.
SIGN_IN_EARLY_WINDOW = timedelta(minutes=30)
# A handover note can still be written this long after one's shift ended.
HANDOVER_LATE_WINDOW = timedelta(hours=2)


class ShiftType(models.Model):
    """A kind of shift configured by administrators, e.g. day 08:30–17:30 or night 17:30–08:30.
    A shift whose end is not after its start ends on the next day (it crosses midnight)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    starts = models.TimeField(_("starts at"))
    ends = models.TimeField(_("ends at"))
    people_needed = models.PositiveSmallIntegerField(_("people needed"), default=1)
    is_night = models.BooleanField(_("night shift"), default=False)
    sign_in_grace = models.DurationField(
        _("sign-in grace period"), default=timedelta(minutes=15), help_text=_("A sign-in after this is late.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "starts"]
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        constraints = [
            models.CheckConstraint(
                condition=Q(people_needed__gte=1),
                name="shifttype_needs_someone",
                violation_error_message=_("A shift needs at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends <= self.starts


class Leave(models.Model):
    """Declared leave: the roster generator gives the person no shift on these days."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leaves", verbose_name=_("person"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="leave_ends_after_start",
                violation_error_message=_("Leave cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["person", "starts_on", "ends_on"], name="leave_person_days_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"


class Shift(models.Model):
    """One occurrence of a shift type on a day; its times are stored (a night ends the next day)."""

    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("type"))
    on = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    sign_in_due_at = models.DateTimeField(_("sign in by"))
    people_needed = models.PositiveSmallIntegerField(_("people needed"), default=1)
    understaffed_at = models.DateTimeField(_("flagged as understaffed at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "shift_type__sort_order"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        permissions = [
            ("view_duty", _("Can view the duty roster and sign in")),
            ("manage_roster", _("Can plan and edit the duty roster")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["shift_type", "on"], name="shift_once_per_type_and_day"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="shift_starts_idx"),
            models.Index(fields=["ends_at"], condition=Q(understaffed_at=None), name="shift_unflagged_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.shift_type.name}"

    def get_absolute_url(self) -> str:
        return reverse("assignments:shift-detail", args=[self.pk])


class ShiftAssignment(models.Model):
    """A person on a shift, and their sign-in (签到)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("shift"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="shift_assignments", verbose_name=_("person")
    )
    # The person's department when they were put on the shift: a figure for a past period counts
    # the shift for the department it belonged to then, not the one the person moved to later.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department at the time"),
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    sign_in_ip = models.GenericIPAddressField(_("signed in from"), null=True, blank=True)
    late_flagged_at = models.DateTimeField(_("flagged as late at"), null=True, blank=True)
    missed_flagged_at = models.DateTimeField(_("flagged as missed at"), null=True, blank=True)

    class Meta:
        ordering = ["shift__starts_at", "person__sort_order"]
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="assignment_once_per_shift"),
        ]
        indexes = [
            models.Index(fields=["person", "shift"], name="assignment_person_idx"),
            models.Index(
                fields=["shift"], condition=Q(signed_in_at=None, missed_flagged_at=None), name="assignment_unsigned_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} · {self.person}"


class HandoverNote(models.Model):
    """What the outgoing shift passes on to the next (交接班)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="handover_notes", verbose_name=_("shift"))
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    body = models.TextField(_("what the next shift must know"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        indexes = [models.Index(fields=["created_at"], name="handover_created_idx")]

    def __str__(self) -> str:
        return f"{self.shift} · {self.author}"


# --- Tasks handed down by the county ----------------------------------------------------------


class CountyTaskQuerySet(models.QuerySet):
    """The one definition of a task's "open" and "overdue", for filters and aggregates alike.

    Open: received, in progress or feedback awaiting approval, i.e. the county still waits for
    approved feedback (``CountyTask.OPEN_STATES``; the same as ``feedback_approved_at`` unset).
    Overdue at a moment: still open and its deadline strictly before that moment (``due_at < at``);
    exactly at the deadline it is not overdue yet. ``overdue_at`` only records when the sweep told
    the handler, once; it is not the test of being overdue."""

    @staticmethod
    def open_q() -> Q:
        return Q(state__in=CountyTask.OPEN_STATES)

    @staticmethod
    def overdue_q(*, at: datetime) -> Q:
        return CountyTaskQuerySet.open_q() & Q(due_at__lt=at)

    def open(self) -> "CountyTaskQuerySet":
        return self.filter(self.open_q())

    def overdue(self, *, at: datetime) -> "CountyTaskQuerySet":
        return self.filter(self.overdue_q(at=at))


class CountyTask(models.Model):
    """A task handed down by the county propaganda department (舆情专报 / 舆情交办), with the posts
    and demands it concerns."""

    class Kind(models.TextChoices):
        SPECIAL_REPORT = "special_report", _("Opinion special report")
        ASSIGNMENT = "assignment", _("Opinion assignment")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        FEEDBACK_SUBMITTED = "feedback_submitted", _("Feedback awaiting approval")
        FEEDBACK_APPROVED = "feedback_approved", _("Feedback approved")
        CLOSED = "closed", _("Closed")

    # Open: see CountyTaskQuerySet. With the handler: notes and feedback can still be written.
    OPEN_STATES = (State.RECEIVED, State.IN_PROGRESS, State.FEEDBACK_SUBMITTED)
    WITH_HANDLER_STATES = (State.RECEIVED, State.IN_PROGRESS)

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ASSIGNMENT)
    reference = models.CharField(_("reference number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issued_by = models.CharField(_("issuing body"), max_length=100)
    received_at = models.DateTimeField(_("received at"))
    content = models.TextField(_("content"))
    due_at = models.DateTimeField(_("feedback due by"))
    handler = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="county_tasks", verbose_name=_("handler")
    )
    # The handler's department when the task was given to them (see ShiftAssignment.department).
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department at the time"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    feedback = models.TextField(_("feedback reported back"), blank=True)
    feedback_submitted_at = models.DateTimeField(_("feedback submitted at"), null=True, blank=True)
    feedback_approved_at = models.DateTimeField(_("feedback approved at"), null=True, blank=True)
    feedback_approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    posts = models.ManyToManyField(
        "opinions.Post", blank=True, related_name="county_tasks", verbose_name=_("linked posts")
    )
    demands = models.ManyToManyField(
        "opinions.Demand", blank=True, related_name="county_tasks", verbose_name=_("linked demands")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("registered by")
    )

    objects = CountyTaskQuerySet.as_manager()

    # What its list's text box searches (bureau.search derives search_text and search_grams from them).
    SEARCH_FIELDS = ("title", "reference", "content")
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("task handed down")
        verbose_name_plural = _("tasks handed down")
        permissions = [
            ("view_tasks", _("Can view tasks handed down (own tasks)")),
            ("view_all_tasks", _("Can view every task handed down")),
            ("manage_tasks", _("Can register, assign and close tasks handed down")),
            ("approve_feedback", _("Can approve the feedback on a task handed down")),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(feedback_approved_at=None, overdue_at=None), name="task_due_idx"
            ),
            models.Index(fields=["handler", "state"], name="task_handler_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("assignments:task-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Open as ``CountyTaskQuerySet.open()`` defines it."""
        return self.state in self.OPEN_STATES

    def is_overdue_at(self, at: datetime) -> bool:
        """``CountyTaskQuerySet.overdue_q(at=at)`` for this one row (the same boundary: at the deadline
        itself it is not overdue yet). The sweep's ``overdue_at`` is not this test."""
        return self.is_open and self.due_at < at

    @property
    def is_with_handler(self) -> bool:
        """The handler can still add progress notes and submit feedback."""
        return self.state in self.WITH_HANDLER_STATES

    @property
    def was_on_time(self) -> bool | None:
        if self.feedback_approved_at is None:
            return None
        return self.feedback_approved_at <= self.due_at


class TaskNote(models.Model):
    """A progress note on a task (办理进展)."""

    task = models.ForeignKey(CountyTask, on_delete=models.CASCADE, related_name="notes", verbose_name=_("task"))
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    body = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.task} · {self.created_at:%Y-%m-%d}"


class TaskAttachment(models.Model):
    """A file that came with a task (or was added while handling it); stored under a random name."""

    task = models.ForeignKey(CountyTask, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("task"))
    file = models.FileField(_("file"), upload_to=random_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assignments:attachment-download", args=[self.pk])


# --- Reports upward -------------------------------------------------------------------------------


class ResponsePlan(models.Model):
    """An emergency response plan (应急预案) in the register kept by administrators."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    scope = models.TextField(_("scope"))
    file = models.FileField(_("file"), upload_to=random_upload_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")

    def __str__(self) -> str:
        return self.title


class IncidentReport(models.Model):
    """A major opinion incident reported to the county (上报)."""

    class Level(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        SERIOUS = "serious", _("Serious")
        MAJOR = "major", _("Major")

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.ORDINARY)
    summary = models.TextField(_("summary"))
    measures = models.TextField(_("measures taken"))
    response_plan = models.ForeignKey(
        ResponsePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("response plan applied"),
    )
    reported_to = models.CharField(_("reported to"), max_length=100)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    created_at = models.DateTimeField(_("recorded at"))
    posts = models.ManyToManyField(
        "opinions.Post", blank=True, related_name="incident_reports", verbose_name=_("linked posts")
    )
    demands = models.ManyToManyField(
        "opinions.Demand", blank=True, related_name="incident_reports", verbose_name=_("linked demands")
    )

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("report upward")
        verbose_name_plural = _("reports upward")
        permissions = [
            ("view_reports", _("Can view reports upward")),
            ("manage_reports", _("Can report incidents upward")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assignments:report-detail", args=[self.pk])


class IncidentFollowUp(models.Model):
    """A follow-up report (续报) on an incident already reported."""

    report = models.ForeignKey(
        IncidentReport, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("report")
    )
    body = models.TextField(_("follow-up"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))

    class Meta:
        ordering = ["reported_at", "pk"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")

    def __str__(self) -> str:
        return f"{self.report} · {self.reported_at:%Y-%m-%d}"
