"""The organisation: people and their roles, departments, website sections, the responsibility
chain, equipment and training; plus in-app notifications, which every later feature sends."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.files import random_upload_path


class User(AbstractUser):
    """A login. The person behind it (name, phone, role) is the linked ``Person``."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("login account")
        verbose_name_plural = _("login accounts")

    def __str__(self) -> str:
        person = getattr(self, "person", None)
        return person.name if person else self.username


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    LEADER = "leader", _("Leader in charge")
    OFFICE_HEAD = "office_head", _("Office head")
    STAFF = "staff", _("Staff")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleGroup:
    """Names of the Django groups that carry each role's permissions (created by a migration)."""

    LEADERS = "leaders"
    SUPERVISORS = "supervisors"
    STAFF = "staff"
    ADMINISTRATORS = "administrators"

    FOR_ROLE: dict[str, str] = {
        Role.DIRECTOR: LEADERS,
        Role.LEADER: LEADERS,
        Role.OFFICE_HEAD: SUPERVISORS,
        Role.STAFF: STAFF,
        Role.ADMINISTRATOR: ADMINISTRATORS,
    }
    ALL = (LEADERS, SUPERVISORS, STAFF, ADMINISTRATORS)


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def spokespeople(self):
        return self.active().filter(is_spokesperson=True)


class Person(models.Model):
    """A member of the bureau, linked to one login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person", verbose_name=_("login")
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="people", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    is_spokesperson = models.BooleanField(_("network spokesperson"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("view_organisation", _("Can view the organisation page")),
            ("manage_organisation", _("Can manage the organisation")),
            ("view_dashboard", _("Can view the supervisors' dashboard")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leader(self) -> bool:
        return self.role in (Role.DIRECTOR, Role.LEADER)


class Section(models.Model):
    """A section (版块) of the bureau's website or forum, owned by one staff member."""

    class Site(models.TextChoices):
        WEBSITE = "website", _("Official website")
        FORUM = "forum", _("Forum")

    name = models.CharField(_("name"), max_length=100)
    site = models.CharField(_("site"), max_length=20, choices=Site.choices, default=Site.WEBSITE)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sections", verbose_name=_("owner"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["site", "sort_order", "name"]
        verbose_name = _("website section")
        verbose_name_plural = _("website sections")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="section_unique_name_per_site")]

    def __str__(self) -> str:
        return f"{self.get_site_display()} · {self.name}"


class ResponsibilityArea(models.Model):
    """One line of the responsibility chain (责任制): for an area of work, who bears overall
    responsibility, who leads it and who carries it out."""

    name = models.CharField(_("area of work"), max_length=100, unique=True)
    overall = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("overall responsibility")
    )
    lead = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("leads"))
    executor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("carries it out"))
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("responsibility area")
        verbose_name_plural = _("responsibility chain")

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    class Kind(models.TextChoices):
        COMPUTER = "computer", _("Computer")
        CAMERA = "camera", _("Camera")
        PHONE = "phone", _("Mobile phone")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    asset_number = models.CharField(_("asset number"), max_length=50, unique=True)
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("held by"),
    )
    is_online = models.BooleanField(_("connected to the internet"), default=False)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "asset_number"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment register")

    def __str__(self) -> str:
        return f"{self.name} ({self.asset_number})"


class TrainingRecord(models.Model):
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=2)
    attendees = models.ManyToManyField(Person, related_name="trainings", blank=True, verbose_name=_("attendees"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class Notification(models.Model):
    """An in-app notice for one person, also e-mailed. Rows are the outbox: the e-mail is sent
    by a task when the broker is up and by the periodic sweep otherwise, exactly once."""

    # The alerts app's notices (预警): the menu counts those unread apart, as its alert badge, and
    # acknowledging an alert marks them read for everyone it was sent to.
    ALERT_KIND = "alerts.alert"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=60)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["created_at"], condition=Q(email_claimed_at=None), name="notification_unsent_idx"),
            # Claims that were never followed by a send (a worker killed mid-send): the sweep takes them over.
            models.Index(
                fields=["email_claimed_at"],
                condition=Q(email_claimed_at__isnull=False, emailed_at=None),
                name="notification_claimed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notification-open", args=[self.pk])


class AnnualSummary(models.Model):
    """The compiled figures of one year's summary (年度工作总结), one row per year: compiling again
    replaces the figures (the archive keeps each compilation). ``is_final`` is set when the year
    had ended at compile time. The workbook is written from these figures by a task afterwards;
    ``workbook_revision`` tells which compilation (``revision``) the stored file belongs to."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_final = models.BooleanField(_("final"), default=False)
    figures = models.JSONField(_("figures"), default=dict)
    compiled_at = models.DateTimeField(_("compiled at"))
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compiled by"),
    )
    workbook = models.FileField(_("workbook"), upload_to=random_upload_path, max_length=200, blank=True)
    revision = models.PositiveIntegerField(_("compilation number"), default=0)
    workbook_revision = models.PositiveIntegerField(_("workbook written for compilation"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual summary")
        verbose_name_plural = _("annual summaries")
        permissions = [("compile_annualsummary", _("Can compile the annual summary on demand"))]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def has_current_workbook(self) -> bool:
        return bool(self.workbook) and self.workbook_revision == self.revision


class JobRun(models.Model):
    """One run of a time-of-day job (the nightly chain check, the annual compile, the quota warning)
    on one local day. Two beats, or a restart at the wrong moment, publish such a job twice; the
    unique (job, day) row lets the first delivery work and the second stop (``bureau.jobs``)."""

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"))

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="job_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"


class LoginFailure(models.Model):
    """One failed login from one client address, whatever the user name; kept only for the
    throttle's window (``bureau.auth``), so the table holds minutes of rows, never history. The
    archive records failures separately (and a flood of unknown names as one summary)."""

    address = models.GenericIPAddressField(_("client address"))
    failed_at = models.DateTimeField(_("failed at"))

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [models.Index(fields=["address", "failed_at"], name="login_failure_address_at")]

    def __str__(self) -> str:
        return f"{self.address} {self.failed_at:%Y-%m-%d %H:%M:%S}"
