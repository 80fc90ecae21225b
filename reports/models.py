"""The assessment's scoring rules (考核评分细则), set by administrators per year in the admin."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reports.indicators import BY_KEY, SCORABLE


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
