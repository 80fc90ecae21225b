"""Public demands (诉求) and the 24-hour rule: reply windows, the working-day calendar, the demand
with its stored deadline, pressing records (催办记录) and the escalation periods."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import Department, Person, Section
from bureau.search import SearchGramsField, search_text_field
from opinions.models.channels import Channel
from opinions.models.posts import Post


class DemandKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    CONSULTATION = "consultation", _("Consultation")
    CRITICISM = "criticism", _("Criticism")
    PRAISE = "praise", _("Praise")
    OTHER = "other", _("Other")


class ReplyWindow(models.Model):
    """How long the office has to reply to one kind of demand. Without a row: 24 hours."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("Hours, nights included")
        WORKING_DAYS = "working_days", _("Working days (from the working-day calendar)")

    kind = models.CharField(_("kind"), max_length=20, choices=DemandKind.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("amount"), default=24)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.HOURS)
    needs_review = models.BooleanField(
        _("reply reviewed before it counts"),
        default=False,
        help_text=_("A spokesperson or a leader in charge approves the reply before it is given."),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reply window")
        verbose_name_plural = _("reply windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="reply_window_positive",
                violation_error_message=_("A reply window must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.get_unit_display()}"


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a statutory holiday on a weekday, or a weekend make-up workday (调休)."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("working-day calendar entry")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.note}"


class DemandRules(models.Model):
    """The escalation periods and the sign-for limit, one row (pk 1) kept by admins; without it
    the defaults apply."""

    due_soon_window = models.DurationField(
        _("warn the handler this long before the deadline"), default=timedelta(hours=2)
    )
    supervisor_after = models.DurationField(
        _("tell the office head this long after the deadline"), default=timedelta(hours=2)
    )
    leader_after = models.DurationField(
        _("tell the leader in charge this long after the deadline"), default=timedelta(hours=8)
    )
    sign_for_window = models.DurationField(
        _("sign for a dispatched demand within"),
        default=timedelta(hours=2),
        help_text=_("Signed for within this time after dispatch counts as signed for on time (及时签收)."),
    )

    class Meta:
        verbose_name = _("escalation rules")
        verbose_name_plural = _("escalation rules")

    def __str__(self) -> str:
        return str(_("Escalation rules"))


class DemandQuerySet(models.QuerySet):
    """The demands' words as filters; each is one of the functions below ``Demand``."""

    def counted(self) -> "DemandQuerySet":
        """Demands of their own: every count of demands starts here (a merged repeat is not one)."""
        return self.filter(counted_q())

    def merged(self) -> "DemandQuerySet":
        """Repeats merged into the demand they repeat (重复件), counted only as such."""
        return self.filter(merged_q())

    def open(self) -> "DemandQuerySet":
        """Not yet replied to: the deadline still runs."""
        return self.filter(open_q())

    def overdue(self, *, at: datetime) -> "DemandQuerySet":
        """Overdue at ``at``: open and its deadline before ``at``."""
        return self.filter(overdue_q(at))


class Demand(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        IN_REVIEW = "in_review", _("Reply awaiting review")
        HANDED_BACK = "handed_back", _("Handed back")
        REPLIED = "replied", _("Replied")
        COMPLETED = "completed", _("Completed")
        MERGED = "merged", _("Merged as a duplicate")

    class Level(models.TextChoices):
        I = "I", _("Level I (major)")  # noqa: E741
        II = "II", _("Level II")
        III = "III", _("Level III (general)")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        FAIRLY = "fairly", _("Fairly satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    # The deadline runs in these states; the sweep looks only at them.
    OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.IN_REVIEW, State.HANDED_BACK)
    REPLYABLE_STATES = (State.ASSIGNED,)
    SIGN_OFF_KINDS = (DemandKind.CRITICISM,)
    # What the demand list's text box searches: the number, the title, the text and the reply.
    SEARCH_FIELDS = ("number", "subject", "content", "reply_text")

    # The case number people say on the phone: the year of receipt and its place in that year
    # ("2026-0312"), given once at creation from ``DemandNumberCounter`` (no gaps, never reused).
    number = models.CharField(_("number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DemandKind.choices)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="demands", verbose_name=_("channel"))
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="demands", verbose_name=_("post")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="demands",
        verbose_name=_("website section"),
    )
    citizen_name = models.CharField(_("citizen's name"), max_length=100, blank=True)
    citizen_contact = models.CharField(_("citizen's contact"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    about_bureau = models.BooleanField(
        _("complaint about the bureau"), default=False, help_text=_("Needs a leader's sign-off before completion.")
    )
    level = models.CharField(_("level"), max_length=3, choices=Level.choices, default=Level.III)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    handler = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="demands",
        verbose_name=_("handler"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)

    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("reply due at"))
    assigned_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # The first reply decides "replied on time"; a redo does not rewrite history.
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)

    # Sweep flags: each set once per handling round by a conditional UPDATE.
    due_soon_at = models.DateTimeField(_("due-soon warning sent at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    was_overdue = models.BooleanField(_("went overdue"), default=False)

    reply_text = models.TextField(_("reply given publicly"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    reply_submitted_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("reply written by"),
    )
    reviewed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    signed_off_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("times handled again"), default=0)

    handback_reason = models.TextField(_("reason for handing back"), blank=True)
    extension_until = models.DateTimeField(_("extension asked until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # 并单: when the repeat was merged, and the state it had, so that 取消并单 gives it back.
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    state_before_merge = models.CharField(_("state before merging"), max_length=20, choices=State.choices, blank=True)
    faq_entry = models.ForeignKey(
        "opinions.FaqEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="demands",
        verbose_name=_("policy FAQ entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Filled by bureau.search.search_fill; their GIN indexes are created by migration 0022 (PostgreSQL only).
    search_text = search_text_field()
    search_grams = SearchGramsField()

    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [
            # No index names the sweep's flag columns (due_soon_at, overdue_at, escalation_level,
            # was_overdue), in its fields or its condition, so the sweep's UPDATE can be HOT (no index
            # entry written); the sweep reads the open rows by deadline through demand_open_idx.
            models.Index(fields=["received_at"], name="demand_received_idx"),
            models.Index(fields=["due_at", "id"], name="demand_list_idx"),
            # Open demands are few among a million: "my work" and the overdue filter read only them.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(state__in=["received", "assigned", "in_review", "handed_back"]),
                name="demand_open_idx",
            ),
            models.Index(
                fields=["handler", "due_at", "id"],
                condition=Q(state__in=["received", "assigned", "in_review", "handed_back"]),
                name="demand_open_handler_idx",
            ),
            models.Index(
                fields=["section", "due_at", "id"], condition=Q(state="received"), name="demand_unassigned_idx"
            ),
            # The demand list's second part (open_first_parts): the closed cases newest first. The
            # received_at index walked backwards steps over every open case first (300,000 rows,
            # 59 ms at 1,000,000 demands with 300,000 open); this one holds only the closed ones.
            models.Index(
                fields=["-received_at", "-id"],
                condition=~Q(state__in=["received", "assigned", "in_review", "handed_back"]),
                name="demand_closed_recent_idx",
            ),
            models.Index(fields=["handler", "due_at"], name="demand_handler_idx"),
            models.Index(fields=["section", "due_at"], name="demand_section_idx"),
            models.Index(fields=["state", "due_at"], name="demand_state_idx"),
            # The to-do lists with no other index to read them by (counted up to a cap on every page
            # for the menu badge, bureau.counting): only the rows waiting in them are indexed.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(
                    state__in=["received", "assigned", "in_review", "handed_back"], extension_until__isnull=False
                ),
                name="demand_extension_asked_idx",
            ),
            models.Index(
                fields=["completed_at", "id"],
                condition=Q(state="completed", called_back_at__isnull=True),
                name="demand_call_back_due_idx",
            ),
            models.Index(
                fields=["handler", "completed_at", "id"],
                condition=Q(state="completed", called_back_at__isnull=True),
                name="demand_my_call_back_idx",
            ),
            # A handler's cases after the reply (to complete, to call back), newest first: the second
            # part of "my work" after the open ones (opinions.selectors.demands.my_demands).
            models.Index(
                fields=["handler", "received_at", "id"],
                condition=Q(state="replied") | Q(state="completed", called_back_at__isnull=True),
                name="demand_replied_handler_idx",
            ),
            # Deleting a policy entry sets its demands' link to NULL: the few linked rows only.
            models.Index(fields=["faq_entry"], condition=Q(faq_entry__isnull=False), name="demand_faq_entry_idx"),
        ]
        # Foreign keys without their default index (db_index=False), as no query reads by them alone:
        # handler and section lead demand_handler_idx / demand_section_idx (and the open-row indexes);
        # reply_submitted_by, reviewed_by, signed_off_by and duplicate_of are only shown on the row's
        # page (people are deactivated, not deleted; a merged demand is found through its own row);
        # faq_entry has the partial index above. Kept: channel (its filter and figures), post (a
        # post's demand on its page), department (its filter), created_by (what staff see).
        permissions = [
            ("enter_demand", _("Can enter demands and create them from posts")),
            ("handle_demand", _("Can sign for, reply to and complete demands")),
            ("supervise_demand", _("Can assign, press, extend, merge and accept hand-backs")),
            ("view_all_demands", _("Can see every demand")),
            ("review_demand", _("Can review replies before they are given")),
            ("sign_off_demand", _("Can sign off criticism and complaints about the bureau")),
        ]

    def __str__(self) -> str:
        return self.subject[:80]

    def get_absolute_url(self) -> str:
        return reverse("opinions:demand-detail", args=[self.pk])

    @property
    def notice_subject(self) -> str:
        """The demand as every notice's title names it: its case number and subject ("2026-0312
        噪音扰民"), so notices about different demands with the same subject read differently."""
        return f"{self.number} {self.subject[:100]}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue_at(self, at: datetime) -> bool:
        """``overdue_q(at)`` for this one row (the same boundary: the deadline second is on time)."""
        return self.is_open and self.due_at < at

    def is_due_soon_at(self, at: datetime, window: timedelta) -> bool:
        """``due_soon_q(at, window)`` for this one row."""
        return self.is_open and at <= self.due_at <= at + window

    @property
    def needs_sign_off(self) -> bool:
        return self.kind in self.SIGN_OFF_KINDS or self.about_bureau


# --- The demands' words, defined once (../shared/DOMAIN.md, "Figures, defined once") ------------
# Every reader (filters, figures, dashboard, panels, workbook) and the deadline sweep use these.

# The call-back results that reached the citizen, and those of them that were satisfied.
REACHED = (Demand.Satisfaction.SATISFIED, Demand.Satisfaction.FAIRLY, Demand.Satisfaction.UNSATISFIED)
SATISFIED = (Demand.Satisfaction.SATISFIED, Demand.Satisfaction.FAIRLY)


def merged_q(via: str = "") -> Q:
    """A repeat demand merged into the one it repeats (并单, 重复件): closed in the loop, on no open
    or overdue list and in no sweep (its state is not open), and counted only as 重复件. ``via`` is
    the path to the demand from a related model ("demand__")."""
    return Q(**{f"{via}state": Demand.State.MERGED})


def counted_q(via: str = "") -> Q:
    """A demand of its own, counted in received, replied, on time, overdue and every other figure:
    everything but a merged repeat."""
    return ~merged_q(via)


def open_q() -> Q:
    """Open: the current round is not yet replied to (received, assigned, reply in review, handed
    back); its deadline runs."""
    return Q(state__in=Demand.OPEN_STATES)


def overdue_q(at: datetime) -> Q:
    """Overdue at the moment ``at``: the current round has no reply and its deadline in force
    (``due_at``, the round's copy kept by the services) is strictly before ``at``. A reply at the
    deadline second is on time, so the deadline second itself is not yet overdue. In a redo round
    (``redo_count`` > 0) this is 重办超期, not a first-round overdue: see ``first_round_overdue_q``.
    The round keeps its own deadline and extension (``opinions.models.rounds.deadline_in_force``)."""
    return open_q() & Q(due_at__lt=at)


def first_round_overdue_q(at: datetime) -> Q:
    """Overdue at ``at`` in the first round: never answered, deadline passed."""
    return overdue_q(at) & Q(redo_count=0)


def redo_overdue_q(at: datetime) -> Q:
    """Overdue at ``at`` in a redo round (重办超期): a case reopened after an unsatisfied call-back,
    not answered again, the redo's deadline passed."""
    return overdue_q(at) & Q(redo_count__gt=0)


def due_soon_q(at: datetime, window: timedelta) -> Q:
    """Due soon at ``at``: open, not yet overdue, and the deadline at most ``window`` away."""
    return open_q() & Q(due_at__gte=at, due_at__lte=at + window)


def completed_q() -> Q:
    """Completed now (a case reopened after an unsatisfied call-back is not)."""
    return Q(completed_at__isnull=False)


# Replied, on time, late, signed for, redone, called back, reached and satisfied are judged on the
# rounds and call-backs: ``opinions.models.rounds``.


class DemandNumberCounter(models.Model):
    """The last case number given in one year of receipt. A new demand locks its year's row and
    takes the next number in the same transaction, so two entries at once never share a number and
    a rolled-back entry leaves no gap."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def demand_number_text(year: int, sequence: int) -> str:
    """The case number as written and said: "2026-0312" (four digits at least)."""
    return f"{year}-{sequence:04d}"


class DemandPress(models.Model):
    """A pressing record (催办记录): the sweep's due-soon, overdue and escalation notices and a
    supervisor's 督办. Sweep records are unique per demand, step and deadline."""

    class Step(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue: handler told")
        SUPERVISOR = "supervisor", _("Overdue: office head told")
        LEADER = "leader", _("Overdue: leader in charge told")
        PRESSED = "pressed", _("Pressed by a supervisor")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="presses", verbose_name=_("demand"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=0)
    # The deadline the notice was about: a new deadline (extension, redo) is a new round of notices.
    due_at = models.DateTimeField(_("deadline concerned"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"))
    # No index of its own: only shown beside the record (the sweep's records, most of them, have none).
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pressing record")
        verbose_name_plural = _("pressing records")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "step", "due_at"],
                condition=~Q(step="pressed"),
                name="demand_press_once_per_step",
                violation_error_message=_("This notice has already been recorded for this deadline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.get_step_display()}"


class FaqEntry(models.Model):
    """A policy explanation (政策宣传条目) made from a replied consultation."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # What its list's text box searches (bureau.search derives search_text and search_grams from them).
    SEARCH_FIELDS = ("question", "answer")
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("policy FAQ entry")
        verbose_name_plural = _("policy FAQ entries")

    def __str__(self) -> str:
        return self.question[:80]
