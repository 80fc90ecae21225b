"""Daily aggregates behind the supervisors' dashboard: per local day (Asia/Shanghai) the figures of
the demands received and the posts found that day, and the number of demands overdue at the end of
each day. They are derived data, rebuilt from the demands and posts by ``opinions.services.daily_figures``
(never edited by hand); the definitions are those of ``opinions.selectors.figures``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Department
from opinions.models.channels import Channel
from opinions.models.screening import ScreeningCategory


class DemandGroupDay(models.Model):
    """The key of a demand aggregate row: the demands received on ``day``, of one kind, channel and
    department (the first round's)."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+", verbose_name=_("channel"))
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("department")
    )

    class Meta:
        abstract = True
        ordering = ["day", "kind", "channel", "department"]


class DemandDay(DemandGroupDay):
    """The demands received on ``day``, of one kind, channel and department: every count of
    ``opinions.selectors.figures.Figures`` but those that depend on the moment asked (first-round
    overdue, and redo rounds overdue now, which readers count live and add to ``redo_overdue``).
    Merged duplicates are counted only in ``merged``; an accepted hand-back is counted under the
    department that handed it back, the case itself under the one handling it."""

    received = models.PositiveIntegerField(_("received"), default=0)
    replied = models.PositiveIntegerField(_("replied"), default=0)
    replied_on_time = models.PositiveIntegerField(_("replied on time"), default=0)
    replied_late = models.PositiveIntegerField(_("replied late"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    # Redo rounds replied late: the settled part of 重办超期 (the running part is counted live).
    redo_overdue = models.PositiveIntegerField(_("redo rounds replied late"), default=0)
    signed_for = models.PositiveIntegerField(_("signed for"), default=0)
    signed_for_on_time = models.PositiveIntegerField(_("signed for on time"), default=0)
    handed_back = models.PositiveIntegerField(_("handed back"), default=0)
    redone = models.PositiveIntegerField(_("handled again"), default=0)
    extensions_requested = models.PositiveIntegerField(_("extensions requested"), default=0)
    extensions_approved = models.PositiveIntegerField(_("extensions approved"), default=0)
    presses = models.PositiveIntegerField(_("presses"), default=0)
    called_back = models.PositiveIntegerField(_("called back"), default=0)
    completed_called_back = models.PositiveIntegerField(_("completed and called back"), default=0)
    reached = models.PositiveIntegerField(_("reached on call-back"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    first_reached = models.PositiveIntegerField(_("reached on the first call-back"), default=0)
    first_satisfied = models.PositiveIntegerField(_("satisfied on the first call-back"), default=0)
    merged = models.PositiveIntegerField(_("merged duplicates"), default=0)

    class Meta(DemandGroupDay.Meta):
        verbose_name = _("daily demand figures")
        verbose_name_plural = _("daily demand figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "channel", "department"], name="demand_day_once", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.channel_id} {self.department_id}: {self.received}"


class PostDay(models.Model):
    """The posts found on ``day`` on one channel, with one prohibited-content category (or none)."""

    day = models.DateField(_("day"))
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+", verbose_name=_("channel"))
    category = models.ForeignKey(
        ScreeningCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    found = models.PositiveIntegerField(_("found"), default=0)
    relevant = models.PositiveIntegerField(_("relevant"), default=0)
    handled = models.PositiveIntegerField(_("handled"), default=0)
    taken_down = models.PositiveIntegerField(_("taken down"), default=0)

    class Meta:
        ordering = ["day", "channel", "category"]
        verbose_name = _("daily post figures")
        verbose_name_plural = _("daily post figures")
        constraints = [
            models.UniqueConstraint(fields=["day", "channel", "category"], name="post_day_once", nulls_distinct=False)
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel_id} {self.category_id}: {self.found}"


class DemandOverdueDay(DemandGroupDay):
    """The demands received on ``day``, of one kind, channel and department (the first round's),
    overdue at the last refresh (``DailyFiguresState.refreshed_at``): in their first round
    (``overdue``) and in a redo round (``redo_overdue``, the running part of 重办超期). Rewritten whole
    by each refresh; a reader adds what changed since (deadlines passed since, demands touched or
    received since) and so counts "overdue now" without reading the whole open backlog."""

    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    redo_overdue = models.PositiveIntegerField(_("redo rounds overdue"), default=0)

    class Meta(DemandGroupDay.Meta):
        verbose_name = _("overdue at the last refresh")
        verbose_name_plural = _("overdue at the last refresh")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "channel", "department"], name="demand_overdue_day_once", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.channel_id} {self.department_id}: {self.overdue}+{self.redo_overdue}"


class OverdueDay(models.Model):
    """Demands overdue (not replied, deadline passed) at the end of ``day``. ``measured_at`` is when the
    beat job counted them, the last time it ran that day; empty when rebuilt from history afterwards
    (then: due before the day's end and not first replied by then)."""

    day = models.DateField(_("day"), unique=True)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("overdue at the end of a day")
        verbose_name_plural = _("overdue at the end of each day")

    def __str__(self) -> str:
        return f"{self.day}: {self.overdue}"


class DailyFiguresState(models.Model):
    """One row (pk 1): how far the refresh has read the archive, and when it last ran."""

    archive_watermark = models.BigIntegerField(_("archive records read up to"), default=0)
    refreshed_at = models.DateTimeField(_("last refreshed at"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("last rebuilt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily figures state")
        verbose_name_plural = _("daily figures state")

    def __str__(self) -> str:
        return f"{self.archive_watermark} @ {self.refreshed_at}"
