"""Scoring (考核): each department's points and tier from the year's scoring rules.

The score rule, defined here once:

- Each rule gives an indicator (a rate of ``reports.indicators``) a weight in points and two
  thresholds. The value judged is the rounded rate every surface shows (Decimal, one decimal).
- Higher is better (on-time, completion, satisfaction…): value ≥ ``full_at`` scores the full weight;
  ``half_at`` ≤ value < ``full_at`` scores half the weight; below ``half_at``, none. With full marks at
  95.0 and half at 90.0: 95.0 is full marks, 94.9 half, 90.0 half, 89.9 none.
- Lower is better (hand-back rate, redo rate): value ≤ ``full_at`` full, ≤ ``half_at`` half, else none.
- No value (nothing to divide by: a department with no demands) is not scored: it earns nothing and
  its weight is left out of the department's maximum.
- The department's score is the sum of its points; its share is score ÷ maximum as a rate
  (``bureau.rates.rate``); the tier follows the share: ≥ 90 excellent (优秀), ≥ 75 good (良好),
  ≥ 60 pass (合格), below 60 fail (不合格). No rule or nothing scored: no tier."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from bureau.rates import rate
from reports.indicators import BY_KEY
from reports.models import ScoringRule

HALF = Decimal("0.5")


class Tier(TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


# (lowest share of the maximum, tier), best first.
TIER_CUTS = ((Decimal("90"), Tier.EXCELLENT), (Decimal("75"), Tier.GOOD), (Decimal("60"), Tier.PASS))


def indicator_points(rule: ScoringRule, value: Decimal | None) -> Decimal | None:
    """The points ``value`` earns under ``rule`` (see the module's rule); None when not scored."""
    if value is None:
        return None
    if rule.higher_is_better:
        full, half = value >= rule.full_at, value >= rule.half_at
    else:
        full, half = value <= rule.full_at, value <= rule.half_at
    if full:
        return rule.weight
    if half:
        return rule.weight * HALF
    return Decimal("0")


def tier_for(share: Decimal | None) -> Tier | None:
    if share is None:
        return None
    for lowest, tier in TIER_CUTS:
        if share >= lowest:
            return tier
    return Tier.FAIL


@dataclass(frozen=True)
class Score:
    points: Decimal
    maximum: Decimal
    by_indicator: dict[str, Decimal | None]  # indicator key → points (None: not scored)

    @property
    def share(self) -> Decimal | None:
        """Score ÷ maximum, as a rate (tenths of a point are whole in tenths, so the counts are exact)."""
        return rate(int(self.points * 10), int(self.maximum * 10))

    @property
    def tier(self) -> Tier | None:
        return tier_for(self.share)

    @property
    def tier_label(self) -> str:
        return str(self.tier.label) if self.tier else "—"

    @property
    def points_text(self) -> str:
        return f"{self.points.normalize():f}" if self.maximum else "—"


def scoring_rules(*, year: int) -> list[ScoringRule]:
    """The year's rules, in the registry's order. One query."""
    order = {key: index for index, key in enumerate(BY_KEY)}
    return sorted(ScoringRule.objects.filter(year=year), key=lambda rule: order.get(rule.indicator, len(order)))


def department_score(rules: Sequence[ScoringRule], sets: Mapping[str, Any]) -> Score:
    """The score of one department's figure sets (``reports.indicators.figure_sets``)."""
    points, maximum, by_indicator = Decimal("0"), Decimal("0"), {}
    for rule in rules:
        item = BY_KEY[rule.indicator]
        value = item.value(sets.get(item.source))
        earned = indicator_points(rule, value if isinstance(value, Decimal) else None)
        by_indicator[rule.indicator] = earned
        if earned is not None:
            points += earned
            maximum += rule.weight
    return Score(points=points, maximum=maximum, by_indicator=by_indicator)
