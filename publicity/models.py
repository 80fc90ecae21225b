"""Publicity: positive posts approved by a leader before they go out, the yearly quotas they count
towards, the media that reported the bureau, monthly platform statistics and the disclosure ledger."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.models import Department, Person
from bureau.search import SearchGramsField, search_text_field


class Platform(models.Model):
    """Where publicity appears: the bureau's site, a county-designated site and section, the
    microblog, a WeChat account, a newspaper, TV. Configured by administrators."""

    class Kind(models.TextChoices):
        BUREAU_SITE = "bureau_site", _("Bureau website")
        COUNTY_SITE = "county_site", _("County-designated website")
        MICROBLOG = "microblog", _("Microblog")
        WECHAT = "wechat", _("WeChat account")
        NEWSPAPER = "newspaper", _("Newspaper")
        TV = "tv", _("Television")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    section = models.CharField(_("section"), max_length=100, blank=True, help_text=_("For a website: the section."))
    url = models.URLField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name", "section"]
        verbose_name = _("publicity platform")
        verbose_name_plural = _("publicity platforms")
        constraints = [
            models.UniqueConstraint(fields=["name", "section"], name="publicity_platform_unique_name_section"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.section}" if self.section else self.name


class PublicityPostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=PublicityPost.State.PUBLISHED)

    def visible_to(self, user):
        """Everything past the draft stage, plus the user's own drafts."""
        return self.filter(~Q(state=PublicityPost.State.DRAFT) | Q(author__user=user))


class PublicityPost(models.Model):
    """A publicity post (宣传稿): drafted, submitted, approved or returned by a leader, published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("summary or text"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="publicity_posts", verbose_name=_("department")
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="publicity_posts", verbose_name=_("author")
    )
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="posts", verbose_name=_("platform"))
    planned_on = models.DateField(_("planned date"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_publicity_posts",
        verbose_name=_("approved or returned by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("leader's comment"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication recorded by"),
    )

    objects = PublicityPostQuerySet.as_manager()

    # What its list's text box searches (bureau.search derives search_text and search_grams from them).
    SEARCH_FIELDS = ("title", "body")
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("publicity post")
        verbose_name_plural = _("publicity posts")
        permissions = [
            ("approve_publicitypost", _("Can approve or return publicity posts")),
            ("publish_publicitypost", _("Can record the publication of anyone's publicity post")),
            ("export_publicitypost", _("Can export publicity lists")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_on__isnull=False),
                name="publicity_post_published_has_date",
                violation_error_message=_("A published post needs its publication date."),
            ),
        ]
        indexes = [
            models.Index(fields=["published_on"], condition=Q(state="published"), name="publicity_published_idx"),
            models.Index(fields=["state", "submitted_at"], name="publicity_state_idx"),
            # The list's order: newest first by the date shown (published, else planned).
            models.Index(Coalesce("published_on", "planned_on").desc(), F("id").desc(), name="publicity_shown_on_idx"),
            # "My posts": one author's, last changed first (post_list_mine).
            models.Index(fields=["author", "-updated_at", "-id"], name="publicity_author_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:post-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


class PublicityQuota(models.Model):
    """The minimum number of published positive posts in a year (任务数): for the bureau as a
    whole, or for one department, one platform or one kind of platform."""

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publicity_quotas",
        verbose_name=_("department"),
    )
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotas",
        verbose_name=_("platform"),
    )
    platform_kind = models.CharField(_("kind of platform"), max_length=20, choices=Platform.Kind.choices, blank=True)
    minimum = models.PositiveIntegerField(_("minimum published posts"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "department", "platform", "platform_kind"]
        verbose_name = _("publicity quota")
        verbose_name_plural = _("publicity quotas")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(department__isnull=True, platform__isnull=True)
                    | Q(department__isnull=True, platform_kind="")
                    | Q(platform__isnull=True, platform_kind="")
                ),
                name="publicity_quota_one_scope",
                violation_error_message=_(
                    "A quota is for the whole bureau, one department, one platform or one kind of platform: choose one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minimum__gt=0),
                name="publicity_quota_positive",
                violation_error_message=_("A quota must be at least 1."),
            ),
            # One quota per year and scope. Partial indexes rather than NULLS NOT DISTINCT, which
            # SQLite (the embedded mode) lacks.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(department__isnull=True, platform__isnull=True, platform_kind=""),
                name="publicity_quota_unique_bureau",
                violation_error_message=_("The bureau already has a quota for this year."),
            ),
            models.UniqueConstraint(
                fields=["year", "department"],
                condition=Q(department__isnull=False),
                name="publicity_quota_unique_department",
                violation_error_message=_("This department already has a quota for this year."),
            ),
            models.UniqueConstraint(
                fields=["year", "platform"],
                condition=Q(platform__isnull=False),
                name="publicity_quota_unique_platform",
                violation_error_message=_("This platform already has a quota for this year."),
            ),
            models.UniqueConstraint(
                fields=["year", "platform_kind"],
                condition=~Q(platform_kind=""),
                name="publicity_quota_unique_kind",
                violation_error_message=_("This kind of platform already has a quota for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.scope_label}"

    @property
    def is_scoped(self) -> bool:
        """False for the bureau's own quota; True for a department's, platform's or kind's."""
        return bool(self.department_id or self.platform_id or self.platform_kind)

    @property
    def scope_label(self) -> str:
        if self.department_id:
            return str(self.department)
        if self.platform_id:
            return str(self.platform)
        if self.platform_kind:
            return str(self.get_platform_kind_display())
        return str(_("The whole bureau"))

    def covered_posts(self) -> Q:
        """The publicity posts this quota counts: its department's, its platform's, its kind of
        platform's, or (the bureau's own quota) every one."""
        if self.department_id:
            return Q(department_id=self.department_id)
        if self.platform_id:
            return Q(platform_id=self.platform_id)
        if self.platform_kind:
            return Q(platform__kind=self.platform_kind)
        return Q()


class QuotaWarning(models.Model):
    """One behind-pace warning per quota and month: the row is what makes the monthly job send once."""

    quota = models.ForeignKey(PublicityQuota, on_delete=models.CASCADE, related_name="warnings")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sent_at = models.DateTimeField(_("sent at"))
    published = models.PositiveIntegerField(_("published"))
    expected = models.PositiveIntegerField(_("expected by then"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("quota warning")
        verbose_name_plural = _("quota warnings")
        constraints = [models.UniqueConstraint(fields=["quota", "month"], name="publicity_quota_warning_once")]

    def __str__(self) -> str:
        return f"{self.quota} · {self.month:%Y-%m}"


class MediaOutlet(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    class Kind(models.TextChoices):
        # "Print" alone is also the print button; the outlet kind is print media (纸媒).
        PRINT = "print", pgettext_lazy("outlet kind", "Print")
        WEB = "web", _("Web")
        TV = "tv", _("Television")
        NEW_MEDIA = "new_media", _("New media")

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")

    def __str__(self) -> str:
        return self.name


class MediaCoverage(models.Model):
    """An outlet reported the bureau's work (媒体报道)."""

    outlet = models.ForeignKey(MediaOutlet, on_delete=models.PROTECT, related_name="coverage", verbose_name=_("outlet"))
    reported_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    post = models.ForeignKey(
        PublicityPost,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage",
        verbose_name=_("related publicity post"),
    )
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    # What its list's text box searches (bureau.search derives search_text and search_grams from them).
    SEARCH_FIELDS = ("title",)
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        indexes = [models.Index(fields=["reported_on"], name="publicity_coverage_date_idx")]

    def __str__(self) -> str:
        return f"{self.outlet} · {self.title}"


class PlatformStatistic(models.Model):
    """A platform's figures for one month: followers and posts published."""

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="statistics", verbose_name=_("platform")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    followers = models.PositiveIntegerField(_("followers"), default=0)
    posts_published = models.PositiveIntegerField(_("posts published"), default=0)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-month", "platform"]
        verbose_name = _("platform statistic")
        verbose_name_plural = _("platform statistics")
        constraints = [
            models.UniqueConstraint(fields=["platform", "month"], name="publicity_statistic_once_per_month"),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="publicity_statistic_first_of_month",
                violation_error_message=_(
                    "Platform statistics are recorded per month: give the first day of the month."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.month:%Y-%m}"


class DisclosureItem(models.Model):
    """One item of government information published (政务公开台账)."""

    class Category(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation and functions")
        POLICY = "policy", _("Policy documents")
        PLANNING = "planning", _("Plans and programmes")
        BUDGET = "budget", _("Budgets and final accounts")
        LICENSING = "licensing", _("Administrative licensing")
        PENALTY = "penalty", _("Administrative penalties")
        PERSONNEL = "personnel", _("Personnel")
        NOTICE = "notice", _("Notices and announcements")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    published_on = models.DateField(_("published on"))
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("published where")
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("department")
    )
    approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="approved_disclosures", verbose_name=_("approved by")
    )
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    # What its list's text box searches (bureau.search derives search_text and search_grams from them).
    SEARCH_FIELDS = ("title", "document_number")
    search_text = search_text_field()
    search_grams = SearchGramsField()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("disclosure ledger entry")
        verbose_name_plural = _("disclosure ledger")
        indexes = [models.Index(fields=["published_on"], name="publicity_disclosure_date_idx")]

    def __str__(self) -> str:
        return self.title
