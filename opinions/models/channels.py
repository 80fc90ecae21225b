"""Channels (渠道): where the office finds posts, and how each feed is doing."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.models import Section

FAILING_AFTER = 3  # consecutive failures before a channel is shown as failing


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def feeds(self):
        return self.active().exclude(feed_url="")

    def failing(self):
        return self.active().filter(consecutive_failures__gte=FAILING_AFTER)


class Channel(models.Model):
    class Kind(models.TextChoices):
        OWN_FORUM = "own_forum", _("Own forum")
        WEBSITE = "website", _("Other website or forum")
        HOTLINE_12345 = "hotline_12345", _("12345 hotline")
        MAGISTRATE_MAILBOX = "magistrate_mailbox", _("Magistrate's mailbox")
        ONLINE_PETITION = "online_petition", _("Online petition")
        PARTICIPATION_HOTLINE = "participation_hotline", _("Public-participation hotline")
        MICROBLOG = "microblog", _("Microblog")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="channels", verbose_name=_("website section")
    )
    is_active = models.BooleanField(_("active"), default=True)
    feed_url = models.URLField(
        _("RSS or Atom URL"), max_length=500, blank=True, help_text=_("Leave empty for channels entered by hand.")
    )
    poll_interval_minutes = models.PositiveSmallIntegerField(
        _("poll interval (minutes)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Health, written only by the polling services.
    next_poll_at = models.DateTimeField(_("next poll at"), null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    # What the last successful fetch returned: an unchanged feed is not parsed again.
    feed_etag = models.CharField(max_length=200, blank=True, editable=False)
    feed_last_modified = models.CharField(max_length=100, blank=True, editable=False)
    feed_digest = models.CharField(max_length=64, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval_minutes__gte=1, poll_interval_minutes__lte=60),
                name="channel_poll_interval_1_to_60",
                violation_error_message=_("Poll a feed every 1 to 60 minutes."),
            )
        ]
        indexes = [
            models.Index(fields=["next_poll_at"], condition=Q(is_active=True) & ~Q(feed_url=""), name="channel_due_idx")
        ]
        permissions = [("view_channel_health", _("Can see the health of the channels"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_feed(self) -> bool:
        return bool(self.feed_url)

    @property
    def is_failing(self) -> bool:
        return self.consecutive_failures >= FAILING_AFTER
