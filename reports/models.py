"""The reports app's own tables: the revisions of a finished year's summary (第1版, 第2版, …) and
the assessment's scoring rules (考核评分细则), set by administrators per year in the admin.

``bureau.AnnualSummary`` holds a year's current figures (what the pages, the workbook and the draft
are written from). Once the year has ended, every compilation whose figures differ from the last
revision's is kept here as a new revision, with what changed; earlier revisions stay readable as
they were compiled. A year still running has no revisions: its nightly compilation replaces the
figures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
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
