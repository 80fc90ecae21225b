"""Administration of the organisation. Saving a person also puts their login in their role's group."""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from bureau.admin_base import ReadOnlyAdmin
from bureau.models import (
    AnnualSummary,
    Department,
    Equipment,
    Notification,
    Person,
    ResponsibilityArea,
    Section,
    TrainingRecord,
    User,
)
from bureau.selectors import person_for
from bureau.services import person_sync_role, user_privileges, user_privileges_record

# What makes a login powerful. Only a superuser changes them, and nobody on their own account:
# an administrator manages people, but cannot make themselves (or anyone) a superuser.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _own_account(request, user) -> bool:
    return user is not None and user.pk == request.user.pk


class PersonInline(admin.StackedInline):
    model = Person
    can_delete = False
    fields = ["name", "title", "department", "role", "phone", "office_phone", "is_spokesperson", "is_active"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        # The role decides the login's groups: one's own is changed by someone else.
        return ["role"] if _own_account(request, obj) else []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [PersonInline]
    list_display = ["username", "person_name", "is_active", "is_staff", "last_login"]
    list_select_related = ["person"]

    @admin.display(description=_("name"), ordering="person__name")
    def person_name(self, user):
        person = person_for(user)
        return person.name if person else "—"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser or _own_account(request, obj):
            readonly += [name for name in PRIVILEGE_FIELDS if name not in readonly]
        return readonly

    def save_model(self, request, obj, form, change):
        request._privileges_before = user_privileges(obj) if change else None  # this request's, not the admin's
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_privileges_record(
            user=form.instance, before=getattr(request, "_privileges_before", None), actor=request.user, request=request
        )
        # The edited login, not the acting one: read again, since the inline has just saved its person.
        person = Person.objects.filter(user=form.instance).first()
        if person is not None:
            person_sync_role(person=person, actor=request.user, request=request)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "role", "phone", "is_spokesperson", "is_active"]
    list_filter = ["role", "department", "is_spokesperson", "is_active"]
    list_select_related = ["department"]
    search_fields = ["name", "phone", "user__username"]
    fields = [
        "user",
        "name",
        "title",
        "department",
        "role",
        "phone",
        "office_phone",
        "is_spokesperson",
        "is_active",
        "sort_order",
    ]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        person_sync_role(person=obj, actor=request.user, request=request)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "owner", "is_active", "sort_order"]
    list_filter = ["site", "is_active"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    fields = ["name", "site", "owner", "description", "is_active", "sort_order"]


@admin.register(ResponsibilityArea)
class ResponsibilityAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "overall", "lead", "executor", "sort_order"]
    list_select_related = ["overall", "lead", "executor"]
    fields = ["name", "overall", "lead", "executor", "description", "sort_order"]


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["asset_number", "kind", "name", "holder", "is_online", "acquired_on"]
    list_filter = ["kind", "is_online"]
    list_select_related = ["holder"]
    search_fields = ["asset_number", "name"]
    fields = ["kind", "name", "asset_number", "holder", "is_online", "acquired_on", "notes"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["held_on", "topic", "organiser", "hours"]
    date_hierarchy = "held_on"
    search_fields = ["topic", "organiser"]
    filter_horizontal = ["attendees"]
    fields = ["held_on", "topic", "organiser", "hours", "attendees", "notes"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are sent by the system, not written by hand."""

    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnnualSummary)
class AnnualSummaryAdmin(ReadOnlyAdmin):
    """Read-only: summaries are compiled by the nightly job or the 年度工作总结 page, which also
    archive each compilation; figures typed here would contradict the records they come from."""

    list_display = ["year", "is_final", "compiled_at", "compiled_by", "revision"]
    list_select_related = ["compiled_by__person"]
    readonly_fields = ["year", "is_final", "figures", "compiled_at", "compiled_by", "revision", "workbook_revision"]
    exclude = ["workbook"]


# The periodic jobs' names and descriptions are strings the data migrations store (and match rows
# by), so they stay English in the database; marked here, they get their Chinese in the catalogue
# and the admin shows them in the user's language. A job seeded later adds its two strings here
# (tests/bureau/test_admin_periodic_jobs.py fails for a seeded job without Chinese); a job an
# administrator creates shows as typed.
PERIODIC_JOB_TEXTS = (
    gettext_noop("Escalate overdue event response clocks"),
    gettext_noop(
        "Every minute: an event's response clock past its deadline and not met is escalated once "
        "to the office heads and the leader in charge, recorded in the archive."
    ),
    gettext_noop("Check the archive chain"),
    gettext_noop(
        "Walks the archive's hash chain every night and stores the result; administrators are told of a break."
    ),
    gettext_noop("Compile last year's final annual summary"),
    gettext_noop("On 1 January: the final summary of the year that has just ended, and its workbook."),
    gettext_noop("Compile this year's annual summary"),
    gettext_noop("Every night: the current year's figures so far, and its workbook."),
    gettext_noop("Flag duty gaps"),
    gettext_noop("Flags late and missed sign-ins and understaffed shifts once each and tells the supervisors."),
    gettext_noop("Flag overdue tasks handed down"),
    gettext_noop(
        "Flags tasks from the county whose feedback is past its deadline and tells the handler and supervisors."
    ),
    gettext_noop("Note changes to finished years' summaries"),
    gettext_noop(
        "Every ten minutes: mark a final annual summary as changed when a change recorded after its latest "
        "revision touches its year (a late reply, an edited case, an import, a correction)."
    ),
    gettext_noop("Poll the channels' feeds that are due"),
    gettext_noop("Every minute: queue one fetch task for each feed channel whose poll interval has passed."),
    gettext_noop("Refresh the dashboard's daily figures"),
    gettext_noop(
        "Every five minutes: recompute the daily demand and post figures of the days touched since the last "
        "run (read from the archive), today and yesterday, and count the demands overdue now."
    ),
    gettext_noop("Send pending notification e-mails"),
    gettext_noop("The outbox sweep: e-mails notifications the broker could not take when they were created."),
    gettext_noop("Evaluate new posts for alerts"),
    gettext_noop("Catches up on posts the intake hook did not evaluate at once (keyword schemes, watched sections)."),
    gettext_noop("Evaluate alert sweeps"),
    gettext_noop("Raises alerts for prohibited content not handled within its rule's minutes."),
    gettext_noop("Escalate unacknowledged alerts"),
    gettext_noop("Alerts not acknowledged in time go to the office head, then the leader in charge."),
    gettext_noop("Draft the morning briefings"),
    gettext_noop(
        "At 08:00: yesterday's daily briefing and, on Mondays, last week's weekly one, drafted for the office head."
    ),
    gettext_noop("Send briefing robot messages"),
    gettext_noop("Every minute: the signed briefings' messages to chat robots not yet taken by the robot's service."),
    gettext_noop("Send alert messages"),
    gettext_noop("The alerts outbox: e-mail, SMS and chat robot messages not yet sent, with retries."),
    gettext_noop("Warn about sections not reviewed in time"),
    gettext_noop("Every minute: warn the person on duty when a section's new posts went unreviewed past its limit."),
    gettext_noop("Warn when publicity is behind its quota"),
    gettext_noop("Tells the office head, once a month, which yearly publicity quotas are behind pace."),
    gettext_noop("Warn, flag and escalate demand deadlines"),
    gettext_noop(
        "Every minute: warn handlers before a reply is due, flag overdue demands, tell the office head and then "
        "the leader in charge; each step recorded as a pressing record."
    ),
)


@dataclass(frozen=True)
class _JobLabel:
    pk: int
    label: str

    def __str__(self) -> str:
        return self.label


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    """django-celery-beat's admin, with each job's name and description read in the user's language."""

    list_display = ("display_name", *BeatPeriodicTaskAdmin.list_display[1:])
    readonly_fields = (*BeatPeriodicTaskAdmin.readonly_fields, "display_name", "display_description")
    fieldsets = (
        (None, {"fields": ("display_name", "display_description"), "classes": ("extrapretty", "wide")}),
        *BeatPeriodicTaskAdmin.fieldsets,
    )

    def action_checkbox(self, obj: PeriodicTask) -> str:
        # The row's checkbox is labelled with str(obj) for screen readers: give it the shown name.
        return super().action_checkbox(_JobLabel(pk=obj.pk, label=self.display_name(obj)))

    @admin.display(description=_("Job"), ordering="name")
    def display_name(self, obj: PeriodicTask) -> str:
        return gettext(obj.name) if obj.name else ""

    @admin.display(description=_("What it does"))
    def display_description(self, obj: PeriodicTask) -> str:
        return gettext(obj.description) if obj.description else ""
