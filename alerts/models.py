"""Alerts (预警): rules kept by administrators, the alerts they raise, who was told and why, each
message to send (the outbox), and each escalation step.

A rule raises at most one alert per subject key per quiet window: ``AlertQuiet`` holds one row per
(rule, key) — a unique key in the database — and an alert is raised only by the conditional UPDATE
that moves its ``until`` forward, so two evaluators racing on one match raise one alert."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import Section
from opinions.models import Post


def word_list(text: str) -> list[str]:
    """Words from an admin's text: one per line (commas and 、 also separate), blanks dropped."""
    words: list[str] = []
    for line in text.replace("\r", "\n").replace("、", "\n").replace("，", "\n").replace(",", "\n").split("\n"):
        word = line.strip()
        if word and word not in words:
            words.append(word)
    return words


class ChatRobot(models.Model):
    """A group robot (群机器人) of a chat tool, or a plain JSON webhook, addressed by an apprise URL."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        FEISHU = "feishu", _("Feishu group robot")
        WEBHOOK = "webhook", _("JSON webhook")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.CharField(
        _("apprise URL"),
        max_length=500,
        help_text=_("For example wecombot://KEY, dingtalk://TOKEN/, feishu://TOKEN or json://host:port/path."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat robot")
        verbose_name_plural = _("chat robots")

    def __str__(self) -> str:
        return self.name


class AlertRule(models.Model):
    class Kind(models.TextChoices):
        KEYWORDS = "keywords", _("Keyword scheme")
        WATCHED_SECTION = "watched_section", _("Relevant post on a watched section")
        PROHIBITED_UNHANDLED = "prohibited_unhandled", _("Prohibited content not handled in time")
        EVENT_VOLUME = "event_volume", _("Items on one event within a window")
        EVENT_LEVEL = "event_level", _("A new event reaching level II")

    class Scope(models.TextChoices):
        TITLE = "title", _("Title")
        BODY = "body", _("Text")
        EITHER = "either", _("Title or text")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    subject_words = models.TextField(
        _("subject words"), blank=True, help_text=_("One per line; a post must contain at least one.")
    )
    event_words = models.TextField(
        _("event words"), blank=True, help_text=_("One per line; a post must also contain at least one.")
    )
    excluded_words = models.TextField(
        _("excluded words"), blank=True, help_text=_("One per line; a post containing any of them is not matched.")
    )
    scope = models.CharField(_("look in"), max_length=10, choices=Scope.choices, default=Scope.EITHER)
    sections = models.ManyToManyField(
        Section, blank=True, related_name="alert_rules", verbose_name=_("watched sections")
    )
    minutes = models.PositiveIntegerField(
        _("minutes"),
        null=True,
        blank=True,
        help_text=_("Prohibited content: not handled within M minutes. Event volume: the window T."),
    )
    threshold = models.PositiveIntegerField(
        _("threshold"), null=True, blank=True, help_text=_("Event volume: N items.")
    )
    quiet_minutes = models.PositiveIntegerField(
        _("quiet window (minutes)"),
        default=60,
        help_text=_("At most one alert per rule and subject in this window."),
    )
    acknowledge_minutes = models.PositiveIntegerField(
        _("acknowledgement limit (minutes)"),
        default=10,
        help_text=_("Not acknowledged within this, the alert goes to the office head, then the leader in charge."),
    )
    send_sms = models.BooleanField(_("also by SMS"), default=False)
    robots = models.ManyToManyField(ChatRobot, blank=True, related_name="rules", verbose_name=_("chat robots"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_minutes__gte=1),
                name="alertrule_quiet_at_least_a_minute",
                violation_error_message=_("The quiet window must be at least one minute."),
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_minutes__gte=1),
                name="alertrule_ack_at_least_a_minute",
                violation_error_message=_("The acknowledgement limit must be at least one minute."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subject_list(self) -> list[str]:
        return word_list(self.subject_words)

    @property
    def event_list(self) -> list[str]:
        return word_list(self.event_words)

    @property
    def excluded_list(self) -> list[str]:
        return word_list(self.excluded_words)


class AlertQuiet(models.Model):
    """One row per (rule, subject key): the end of its quiet window. The unique key is the guarantee."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="alertquiet_one_per_rule_key")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.key}"


class EvaluationMark(models.Model):
    """The high-water mark of the post evaluation: the last post id evaluated (one row per name)."""

    name = models.CharField(max_length=50, unique=True)
    last_post_id = models.BigIntegerField(default=0)
    evaluated_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_post_id}"


class AlertQuerySet(models.QuerySet):
    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("rule"))
    key = models.CharField(_("subject key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("post")
    )
    raised_at = models.DateTimeField(_("raised at"))
    # Stored once: raised_at + the rule's acknowledgement limit (the "in time" of the figures).
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    escalation_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    # When the next escalation step is due; None once acknowledged or escalated to the top.
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["-raised_at", "-id"], name="alert_newest_idx"),
            models.Index(fields=["escalate_at"], condition=Q(acknowledged_at=None), name="alert_escalate_idx"),
        ]
        permissions = [("view_alerts", _("Can see alerts and acknowledge those sent to them"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alerts:alert-detail", args=[self.pk])

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class AlertRecipient(models.Model):
    """Who was told, and why (the roster at that moment, or an escalation step)."""

    class Reason(models.TextChoices):
        ON_DUTY = "on_duty", _("On duty")
        NOBODY_ON_DUTY = "nobody_on_duty", _("Office head: nobody on duty")
        ESCALATED_OFFICE_HEAD = "escalated_office_head", _("Escalated to the office head")
        ESCALATED_LEADER = "escalated_leader", _("Escalated to the leader in charge")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why"), max_length=30, choices=Reason.choices)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    added_at = models.DateTimeField(_("told at"))

    class Meta:
        ordering = ["step", "pk"]
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alertrecipient_once")]
        indexes = [models.Index(fields=["user", "alert"], name="alertrecipient_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_reason_display()})"


class AlertDelivery(models.Model):
    """The outbox: one message to send. E-mail and SMS: one row per recipient; a chat robot posts
    to a group, so one row per robot and routing step (the message names the people told)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail and notice")
        SMS = "sms", _("SMS")
        ROBOT = "robot", _("Chat robot")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("target"), max_length=60)  # "user:5", "robot:3:0"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    robot = models.ForeignKey(ChatRobot, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel", "target"], name="alertdelivery_once"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at=None), name="alertdelivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.channel} {self.target}"


class AlertEscalation(models.Model):
    """One escalation step of an unacknowledged alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="escalations")
    step = models.PositiveSmallIntegerField(_("step"))
    escalated_at = models.DateTimeField(_("escalated at"))
    told = models.JSONField(_("told"), default=list)  # the names of the people added at this step

    class Meta:
        ordering = ["step"]
        verbose_name = _("alert escalation")
        verbose_name_plural = _("alert escalations")
        constraints = [models.UniqueConstraint(fields=["alert", "step"], name="alertescalation_once_per_step")]

    def __str__(self) -> str:
        return f"{self.alert_id} step {self.step}"
