"""Screening lists: prohibited-content categories and the bureau's watch list, kept by admins."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningCategory(models.Model):
    """One keyword list. Prohibited lists send a post to the takedown queue; the watch list marks
    it as relevant to the bureau. Keywords are one per line; matching ignores case, width,
    inserted spaces or punctuation, and traditional versus simplified script."""

    class Purpose(models.TextChoices):
        PROHIBITED = "prohibited", _("Prohibited content")
        WATCH = "watch", _("Watch list (relevant to the bureau)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.PROHIBITED)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("One keyword or phrase per line."))
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    updated_at = models.DateTimeField(_("updated at"))
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("screening list")
        verbose_name_plural = _("screening lists")

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    @property
    def keyword_count(self) -> int:
        return len(self.keyword_list)
