"""The patrol log (巡查记录): proof that each section's new posts are reviewed every few minutes."""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.models import Person, Section


class PatrolRule(models.Model):
    """How often a section must be reviewed, and when: its stored deadline ``due_at`` is the last
    review plus the limit; the sweep warns once per lapse (``warned_at``)."""

    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, related_name="patrol_rule", verbose_name=_("website section")
    )
    limit_minutes = models.PositiveSmallIntegerField(
        _("review at least every (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    hours_start = models.TimeField(_("working hours from"), default=time(8, 30))
    hours_end = models.TimeField(_("working hours until"), default=time(17, 30))
    weekdays_only = models.BooleanField(_("Monday to Friday only"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("review due at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)

    class Meta:
        ordering = ["section__site", "section__sort_order"]
        verbose_name = _("patrol rule")
        verbose_name_plural = _("patrol rules")
        indexes = [
            models.Index(fields=["due_at"], condition=Q(is_active=True, warned_at=None), name="patrol_due_idx"),
        ]

    def __str__(self) -> str:
        return str(self.section)


class PatrolRecord(models.Model):
    """One review of a section's new posts."""

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="patrol_records", verbose_name=_("website section")
    )
    reviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="patrol_records", verbose_name=_("reviewed by")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("login")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    posts_seen = models.PositiveIntegerField(_("new posts seen"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("patrol record")
        verbose_name_plural = _("patrol log")
        indexes = [models.Index(fields=["section", "-reviewed_at"], name="patrol_section_idx")]
        permissions = [
            ("record_patrol", _("Can record a review of a section")),
            ("view_patrol_log", _("Can see the patrol log")),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.reviewed_at:%Y-%m-%d %H:%M}"
