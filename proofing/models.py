"""The proofreading lists, their terms and the acknowledgements of hits.

A list is of one kind: wrongly written official terms and names (a wrong form and its correct
form), outdated or banned phrasing (a replacement where there is one) or sensitive terms. An
acknowledgement says that one hit stays as written: who, when, why. It names the hit by the item,
the field, the term, what was written and which occurrence of it (the first, the second …), so an
edit elsewhere in the text keeps it, and writing the same thing once more is a new hit."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Person


class ProofList(models.Model):
    class Kind(models.TextChoices):
        WRONG_FORM = "wrong_form", _("Wrongly written term or name")
        OUTDATED = "outdated", _("Outdated or banned phrasing")
        SENSITIVE = "sensitive", _("Sensitive term")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    # Moved on by every save (the admin's, with its terms) so each process rebuilds its matcher.
    updated_at = models.DateTimeField(_("updated at"))
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("proofreading list")
        verbose_name_plural = _("proofreading lists")

    def __str__(self) -> str:
        return self.name


class ProofTerm(models.Model):
    proof_list = models.ForeignKey(ProofList, on_delete=models.CASCADE, related_name="terms", verbose_name=_("list"))
    wrong = models.CharField(_("what is looked for"), max_length=200)
    correct = models.CharField(
        _("correct form"),
        max_length=200,
        blank=True,
        help_text=_("The correct form or the replacement; empty when there is none (a sensitive term)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["proof_list", "wrong"]
        constraints = [models.UniqueConstraint(fields=["proof_list", "wrong"], name="proofterm_unique_per_list")]
        verbose_name = _("proofreading term")
        verbose_name_plural = _("proofreading terms")

    def __str__(self) -> str:
        return f"{self.wrong} → {self.correct}" if self.correct else self.wrong


class ProofAcknowledgement(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=40)
    term = models.ForeignKey(ProofTerm, on_delete=models.SET_NULL, null=True, related_name="acknowledgements")
    # What the term looked for when it was acknowledged, what was written and which time it occurs.
    wrong = models.CharField(_("what is looked for"), max_length=200)
    written = models.CharField(_("as written"), max_length=200)
    occurrence = models.PositiveSmallIntegerField(_("occurrence"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("acknowledged by"))
    at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="proofack_item_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "term", "written", "occurrence"],
                name="proofack_unique_hit",
            )
        ]
        verbose_name = _("proofreading acknowledgement")
        verbose_name_plural = _("proofreading acknowledgements")

    def __str__(self) -> str:
        return f"{self.written} ({self.field} #{self.occurrence})"
