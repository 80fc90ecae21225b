"""Near-duplicates (相似件): the admins' rules, the persistent MinHash-LSH index of recent posts and
demands, and the near-duplicates found at intake (``opinions.similarity.minhash`` computes;
``opinions.services.similarity`` indexes and looks up)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opinions.models.demands import Demand
from opinions.models.posts import Post


class SimilarityRules(models.Model):
    """How far back and how alike: one row (pk 1) kept by admins; without it the defaults apply."""

    window = models.DurationField(
        _("compare with posts and demands received within"),
        default=timedelta(days=30),
        help_text=_("A new post or demand is compared with those received this long before it."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("similar from (percent)"),
        default=50,
        help_text=_(
            "Estimated share of common three-character pieces from which two texts count as near-duplicates "
            "(50 to 100; below 50 some similar pairs are missed)."
        ),
    )

    class Meta:
        verbose_name = _("near-duplicate rules")
        verbose_name_plural = _("near-duplicate rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=30, threshold__lte=100),
                name="similarity_threshold_range",
                violation_error_message=_("The threshold is a percentage between 30 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(window__gt=timedelta(0)),
                name="similarity_window_positive",
                violation_error_message=_("The window must be longer than zero."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Near-duplicate rules"))


class ItemKind(models.TextChoices):
    POST = "post", _("Post")
    DEMAND = "demand", _("Demand")


class SimilaritySignature(models.Model):
    """One indexed post or demand: its MinHash signature (128 × 4 bytes), kept so that a new item
    verifies its candidates without reading or re-hashing their text."""

    kind = models.CharField(_("kind"), max_length=6, choices=ItemKind.choices)
    item_id = models.BigIntegerField(_("item"))
    received_at = models.DateTimeField(_("received at"))
    signature = models.BinaryField(_("signature"))

    class Meta:
        verbose_name = _("similarity signature")
        verbose_name_plural = _("similarity signatures")
        constraints = [models.UniqueConstraint(fields=["kind", "item_id"], name="similarity_signature_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}"


class SimilarityBand(models.Model):
    """One LSH band of a signature: its number and the hash of its values with the number. A new
    item's candidates are the signatures sharing any of its band keys in the window, found with
    one query on (key, received_at)."""

    # No foreign-key constraint in the database: bands are written 32 per item in one INSERT right
    # after their signatures, and the check PostgreSQL defers to COMMIT, one lookup per row, cost
    # more than the insert itself (320,000 checks for a 10,000-item feed, past the 30 s statement
    # timeout on a busy machine). The ORM still deletes bands with their signature.
    signature = models.ForeignKey(
        SimilaritySignature, on_delete=models.CASCADE, related_name="bands", db_index=False, db_constraint=False
    )
    band = models.PositiveSmallIntegerField(_("band"))
    key = models.BigIntegerField(_("band key"))
    # The item's received time, copied so that the window is read from the same index.
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("similarity band")
        verbose_name_plural = _("similarity bands")
        # No index on signature alone: bands are only deleted with their signature, which never happens
        # for posts and demands (never deleted); the lookup reads (key, received_at).
        indexes = [models.Index(fields=["key", "received_at"], name="similarity_band_key_idx")]

    def __str__(self) -> str:
        return f"{self.signature_id}/{self.band}"


class NearDuplicate(models.Model):
    """A near-duplicate found at intake: ``item`` (a post or a demand) resembles ``similar`` (an
    older post or demand) at ``similarity`` percent. Stored in both directions, so each item's page
    reads its own rows with one query."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("post")
    )
    demand = models.ForeignKey(
        Demand,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("demand"),
    )
    similar_post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("similar post"),
    )
    similar_demand = models.ForeignKey(
        Demand,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("similar demand"),
    )
    similarity = models.PositiveSmallIntegerField(_("similarity (percent)"))
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        ordering = ["-similarity", "pk"]
        verbose_name = _("near-duplicate")
        verbose_name_plural = _("near-duplicates")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, demand__isnull=True) | Q(post__isnull=True, demand__isnull=False),
                name="near_duplicate_one_item",
                violation_error_message=_("A near-duplicate belongs to either a post or a demand."),
            ),
            models.CheckConstraint(
                condition=Q(similar_post__isnull=False, similar_demand__isnull=True)
                | Q(similar_post__isnull=True, similar_demand__isnull=False),
                name="near_duplicate_one_similar",
                violation_error_message=_("A near-duplicate resembles either a post or a demand."),
            ),
        ]
        # Each page reads its item's rows; nothing reads by the similar item alone (posts and
        # demands are never deleted, so the cascade never looks either).
        indexes = [
            models.Index(fields=["post", "-similarity"], condition=Q(post__isnull=False), name="near_dup_post_idx"),
            models.Index(
                fields=["demand", "-similarity"], condition=Q(demand__isnull=False), name="near_dup_demand_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id or self.demand_id} ~ {self.similar_post_id or self.similar_demand_id} {self.similarity}%"

    @property
    def similar(self) -> Post | Demand | None:
        return self.similar_post or self.similar_demand
