"""The revisions of a finished year's summary (第1版, 第2版, …).

``bureau.AnnualSummary`` holds a year's current figures (what the pages, the workbook and the draft
are written from). Once the year has ended, every compilation whose figures differ from the last
revision's is kept here as a new revision, with what changed; earlier revisions stay readable as
they were compiled. A year still running has no revisions: its nightly compilation replaces the
figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import AnnualSummary


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
