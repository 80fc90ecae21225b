"""Posts (帖子): every item found on a channel, stored once per channel, never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import Section
from bureau.search import SearchGramsField, search_text_field
from opinions.models.channels import Channel
from opinions.models.screening import ScreeningCategory


class Post(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        FOLLOWED_UP = "followed_up", _("Followed up")
        ANSWERED = "answered", _("Answered")
        FILED = "filed", _("Filed")
        TAKEN_DOWN = "taken_down", _("Taken down")

    class Screening(models.TextChoices):
        CLEAN = "clean", _("No prohibited content")
        FLAGGED = "flagged", _("In the takedown queue")
        CONFIRMED = "confirmed", _("Takedown confirmed")
        CLEARED = "cleared", _("Cleared as a false alarm")

    class Source(models.TextChoices):
        FEED = "feed", _("Feed")
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported from a file")

    HANDLING_STATUSES = (Status.FOLLOWED_UP, Status.ANSWERED, Status.FILED)
    # What the monitor's text box searches (bureau.search: search_text and search_grams derive from them).
    SEARCH_FIELDS = ("title", "body", "author")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts", verbose_name=_("channel"))
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="posts", verbose_name=_("website section")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FEED)
    external_id = models.CharField(_("external id"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    posted_at = models.DateTimeField(_("posted at"))
    found_at = models.DateTimeField(_("found at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    screening = models.CharField(_("screening"), max_length=20, choices=Screening.choices, default=Screening.CLEAN)
    category = models.ForeignKey(
        ScreeningCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prohibited-content category"),
    )
    hits = models.JSONField(_("screening hits"), default=list, blank=True)
    is_relevant = models.BooleanField(_("relevant to the bureau"), default=False)
    # Takedown: the post keeps its text; these record the decision (the archive has the history).
    status_before_takedown = models.CharField(max_length=20, blank=True, choices=Status.choices)
    decided_at = models.DateTimeField(_("screening decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # Filled by bureau.search.search_fill; their GIN indexes are created by migration 0022 (PostgreSQL only).
    search_text = search_text_field()
    search_grams = SearchGramsField()
    # Spread, where the source gives it (a feed's slash:comments and the like), as of the last poll;
    # the series is PostSpreadSample. None: the source does not say.
    replies = models.PositiveIntegerField(_("replies"), null=True, blank=True)
    reposts = models.PositiveIntegerField(_("reposts"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"], name="post_once_per_channel"),
        ]
        # The monitor orders by (found_at, pk) descending; each filter has an index that serves that order.
        indexes = [
            models.Index(fields=["-found_at", "-id"], name="post_newest_idx"),
            models.Index(fields=["channel", "-found_at", "-id"], name="post_channel_idx"),
            models.Index(fields=["section", "-found_at", "-id"], name="post_section_idx"),
            models.Index(fields=["status", "-found_at", "-id"], name="post_status_idx"),
            models.Index(fields=["category", "-found_at", "-id"], name="post_category_idx"),
            # The dashboard's median time to take down (opinions.selectors.post_figures): the count and
            # the durations of a period read from the index alone, not from every taken-down post's row.
            models.Index(
                fields=["found_at", "decided_at"],
                condition=Q(status="taken_down", decided_at__isnull=False),
                name="post_takedown_time_idx",
            ),
            models.Index(fields=["-found_at", "-id"], condition=Q(is_relevant=True), name="post_relevant_idx"),
            models.Index(fields=["-found_at", "-id"], condition=Q(screening="flagged"), name="post_flagged_idx"),
            models.Index(fields=["section", "-found_at"], condition=Q(status="new"), name="post_new_in_section_idx"),
        ]
        permissions = [
            ("view_monitor", _("Can watch the monitor and read posts")),
            ("enter_post", _("Can enter and import posts")),
            ("handle_post", _("Can follow up, answer and file posts")),
            ("take_down_post", _("Can confirm or clear takedowns")),
            ("undo_takedown", _("Can undo a takedown")),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("opinions:post-detail", args=[self.pk])

    @property
    def is_flagged(self) -> bool:
        return self.screening == self.Screening.FLAGGED


class PostSpreadSample(models.Model):
    """The spread figures a poll read for a post (one row per poll that gave any)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="spread_samples", verbose_name=_("post"))
    sampled_at = models.DateTimeField(_("read at"))
    replies = models.PositiveIntegerField(_("replies"), null=True, blank=True)
    reposts = models.PositiveIntegerField(_("reposts"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        ordering = ["post", "sampled_at"]
        verbose_name = _("spread sample")
        verbose_name_plural = _("spread samples")
        indexes = [models.Index(fields=["post", "sampled_at"], name="post_spread_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.sampled_at:%Y-%m-%d %H:%M}"


class PostSnapshot(models.Model):
    """Evidence (取证快照): what was fetched when the post was first seen and when it was taken down.
    ``sha256`` is over ``snapshot_content`` and is also carried by the archive record written with it,
    so a snapshot changed later no longer matches the chain."""

    class Kind(models.TextChoices):
        FIRST_SEEN = "first_seen", _("First seen")
        TAKEN_DOWN = "taken_down", _("Taken down")

    # Posts are never deleted by the office; the archive keeps each snapshot's hash in any case.
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("post"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    raw = models.JSONField(_("raw item"), default=dict, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["post", "fetched_at", "pk"]
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(kind="first_seen"),
                name="post_first_snapshot_once",
                violation_error_message=_("This post's first sighting is already kept as evidence."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.kind}"


class PendingImport(models.Model):
    """The checked rows of an uploaded table, kept on the server between the preview and the
    person's choice (import the good rows, or nothing), under a random token. The session holds only
    the token: a 5,000-row preview would otherwise be rewritten into the session on every request."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rows = models.JSONField(_("rows"), default=list)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return f"{self.created_by_id} {self.created_at:%Y-%m-%d %H:%M}"
