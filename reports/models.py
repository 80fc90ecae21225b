"""The reports app's own tables: the revisions of a finished year's summary (第1版, 第2版, …) and
the assessment's scoring rules (考核评分细则), set by administrators per year in the admin.

``bureau.AnnualSummary`` holds a year's current figures (what the pages, the workbook and the draft
are written from). Once the year has ended, every compilation whose figures differ from the last
revision's is kept here as a new revision, with what changed; earlier revisions stay readable as
they were compiled. A year still running has no revisions: its nightly compilation replaces the
figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import AnnualSummary
from reports.indicators import BY_KEY, SCORABLE


class AnnualSummaryRevision(models.Model):
    """One revision of a final summary. ``changes`` lists the figures that differ from the previous
    revision (``[{"figure": "demands.total.replied", "old": 2, "new": 3}, …]``; empty for the first).
    ``archive_watermark`` is the newest archive record the compilation could see: a change recorded
    after it may touch the year. ``checked_up_to`` is how far the change scan has read the archive
    since, and ``changed_at`` the moment of the first change it found touching the year (the
    revision is then out of date until the next compilation)."""

    summary = models.ForeignKey(
        AnnualSummary, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("annual summary")
    )
    number = models.PositiveIntegerField(_("revision"))
    figures = models.JSONField(_("figures"), default=dict)
    changes = models.JSONField(_("changes from the previous revision"), default=list, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"))
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compiled by"),
    )
    archive_watermark = models.BigIntegerField(_("archive records seen up to"), default=0)
    checked_up_to = models.BigIntegerField(_("archive records checked up to"), default=0)
    changed_at = models.DateTimeField(_("changed since at"), null=True, blank=True)

    class Meta:
        ordering = ["summary", "-number"]
        verbose_name = _("annual summary revision")
        verbose_name_plural = _("annual summary revisions")
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="annual_revision_once")]

    def __str__(self) -> str:
        return f"{self.summary_id} #{self.number}"


def _scorable_choices() -> list[tuple[str, object]]:
    return [(key, BY_KEY[key].label) for key in SCORABLE]


class ScoringRule(models.Model):
    """One indicator's weight and thresholds for one year; the rule itself is
    ``reports.scoring.indicator_points``."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("indicator"), max_length=40, choices=_scorable_choices())
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Points for full marks; half marks are half of them."),
    )
    full_at = models.DecimalField(
        _("full marks at (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For example 95.0: a rate of at least 95.0 scores full marks."),
    )
    half_at = models.DecimalField(
        _("half marks at (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For example 90.0: a rate from 90.0 up to the full-marks threshold scores half; below it, none."),
    )
    higher_is_better = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick for rates where lower is better (hand-back rate, redo rate): then at most the thresholds."),
    )

    class Meta:
        ordering = ["-year", "indicator"]
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"],
                name="scoring_rule_once_per_year",
                violation_error_message=_("This indicator already has a scoring rule for that year."),
            ),
            models.CheckConstraint(
                condition=(Q(higher_is_better=True) & Q(half_at__lte=F("full_at")))
                | (Q(higher_is_better=False) & Q(half_at__gte=F("full_at"))),
                name="scoring_rule_thresholds_in_order",
                violation_error_message=_("The half-marks threshold must not be better than the full-marks threshold."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_indicator_display()}"


# --- Briefings (舆情简报: 日报, 周报, 月报, 专报) ------------------------------------------------------


class SignedBriefingChanged(ValidationError):
    """A signed briefing is the record of what was signed: it is never changed or deleted."""


class BriefingQuerySet(models.QuerySet):
    def waiting_for_sign_off(self):
        return self.filter(state=Briefing.State.SUBMITTED)


class Briefing(models.Model):
    """A briefing for a period (a day, a Monday-to-Sunday week, a month) or for one event (专报).

    Drafted from the period's figures (``figures``, the dashboard's selectors' numbers at drafting)
    and text sections (``sections``: section key → text; the keys and headings per kind are in
    ``reports.briefings.text``); edited by staff; submitted; signed off by a leader who neither
    drafted nor edited it. The signed row never changes again: ``save`` and ``delete`` refuse here,
    and a PostgreSQL trigger refuses an UPDATE or DELETE of a signed row (migration 0008).
    ``signed_text`` is the text as signed, ``signed_sha256`` its SHA-256, also in the archive."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily briefing")
        WEEKLY = "weekly", _("Weekly briefing")
        MONTHLY = "monthly", _("Monthly briefing")
        SPECIAL = "special", _("Special report")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for sign-off")
        SIGNED = "signed", _("Signed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    title = models.CharField(_("title"), max_length=200)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    by_schedule = models.BooleanField(_("drafted by the morning job"), default=False)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("edited by")
    )
    updated_at = models.DateTimeField(_("last changed at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_text = models.TextField(_("text as signed"), blank=True)
    signed_sha256 = models.CharField(_("SHA-256 of the signed text"), max_length=64, blank=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-first", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        indexes = [models.Index(fields=["state", "-first"], name="briefing_state_idx")]
        constraints = [
            # The morning job drafts each period's daily or weekly briefing once, however often it runs.
            models.UniqueConstraint(
                fields=["kind", "first"],
                condition=Q(by_schedule=True),
                name="briefing_scheduled_once",
                violation_error_message=_("The morning job has already drafted the briefing for this period."),
            ),
            models.CheckConstraint(
                condition=~Q(state="signed") | (Q(signed_at__isnull=False) & ~Q(signed_sha256="")),
                name="briefing_signed_has_hash",
                violation_error_message=_("A signed briefing needs the time of signing and the hash of its text."),
            ),
            models.CheckConstraint(
                condition=Q(last__gte=F("first")),
                name="briefing_period_in_order",
                violation_error_message=_("The period's last day must not be before its first day."),
            ),
            # One briefing not yet signed off per period and kind, and one 专报 per event: a double
            # click or a second drafting opens the one there is (reports.briefings.services).
            models.UniqueConstraint(
                fields=["kind", "first", "last"],
                condition=Q(event__isnull=True) & ~Q(state="signed"),
                name="briefing_unsigned_period_once",
                violation_error_message=_("This period already has a briefing of this kind that is not signed off."),
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(event__isnull=False) & ~Q(state="signed"),
                name="briefing_unsigned_event_once",
                violation_error_message=_("This event already has a special report that is not signed off."),
            ),
        ]
        permissions = [
            ("view_briefings", _("Can read briefings")),
            ("edit_briefings", _("Can draft and edit briefings")),
            ("sign_briefings", _("Can sign briefings off")),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self._stored_signed():
            raise SignedBriefingChanged(_("This briefing has been signed off and can no longer be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("briefings:briefing-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._stored_signed():
            raise SignedBriefingChanged(_("This briefing has been signed off and can no longer be changed."))
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED

    def _stored_signed(self) -> bool:
        return bool(self.pk) and Briefing.objects.filter(pk=self.pk, state=self.State.SIGNED).exists()


class BriefingReturn(models.Model):
    """A leader sent a submitted briefing back to be edited (退回修改), saying why. The return is
    open until the briefing is submitted again (``resubmitted_at``); then it stays as history."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="returns", verbose_name=_("briefing"))
    returned_at = models.DateTimeField(_("returned at"))
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("returned by")
    )
    reason = models.TextField(_("reason for returning"))
    resubmitted_at = models.DateTimeField(_("submitted again at"), null=True, blank=True)

    class Meta:
        ordering = ["briefing", "-returned_at", "-pk"]
        verbose_name = _("briefing return")
        verbose_name_plural = _("briefing returns")
        constraints = [
            models.UniqueConstraint(
                fields=["briefing"],
                condition=Q(resubmitted_at__isnull=True),
                name="briefing_return_open_once",
                violation_error_message=_("This briefing has already been returned and not submitted again."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="briefing_return_has_reason",
                violation_error_message=_("Say why the briefing is returned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.briefing_id} ← {self.returned_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.resubmitted_at is None


class BriefingRecipient(models.Model):
    """One entry of the distribution list: a person (told by notice and e-mail) or a chat robot
    (the alerts app's robots). Every signed briefing goes to every active entry. Kept by admins."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    robot = models.ForeignKey(
        "alerts.ChatRobot",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chat robot"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("briefing distribution entry")
        verbose_name_plural = _("briefing distribution list")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, robot__isnull=True) | Q(user__isnull=True, robot__isnull=False),
                name="briefing_recipient_one_kind",
                violation_error_message=_("Choose either a person or a chat robot."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False),
                name="briefing_recipient_user",
                violation_error_message=_("This person is already on the distribution list."),
            ),
            models.UniqueConstraint(
                fields=["robot"],
                condition=Q(robot__isnull=False),
                name="briefing_recipient_robot",
                violation_error_message=_("This chat robot is already on the distribution list."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.robot)


class BriefingDelivery(models.Model):
    """The outbox of a signed briefing's chat-robot messages: one row per briefing and robot,
    claimed with a lease and marked sent only when the robot's service took it (as the alerts'
    outbox; a refusal is retried with its backoff)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="deliveries")
    robot = models.ForeignKey("alerts.ChatRobot", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("briefing robot message")
        verbose_name_plural = _("briefing robot messages")
        constraints = [models.UniqueConstraint(fields=["briefing", "robot"], name="briefing_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="briefing_delivery_due")
        ]

    def __str__(self) -> str:
        return f"{self.briefing_id} → {self.robot_id}"
