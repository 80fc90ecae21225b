"""Give the role groups the events app's permissions and seed the response limits of each level
(first response 48 h for every level; for level I also authoritative information 5 h and a press
response 24 h). Reversing takes the permissions away and removes the seeded limits."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

CONFIGURE = [
    f"events.{verb}_{model}"
    for model in ("bureauterm", "gradingrule", "responselimit")
    for verb in ("add", "change", "view", "delete")
]
WORK = ["events.view_events", "events.manage_events", "events.grade_events", "events.respond_events"]
ROLE_PERMISSIONS = {
    "leaders": ["events.view_events", "events.grade_events"],
    "supervisors": WORK,
    "staff": WORK,
    "administrators": CONFIGURE,
}
LIMITS = [
    ("I", "first_response", 48),
    ("I", "authoritative", 5),
    ("I", "press", 24),
    ("II", "first_response", 48),
    ("III", "first_response", 48),
]


def forward(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)
    ResponseLimit = apps.get_model("events", "ResponseLimit")
    for level, kind, hours in LIMITS:
        ResponseLimit.objects.get_or_create(level=level, kind=kind, defaults={"hours": hours})


def backward(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)
    ResponseLimit = apps.get_model("events", "ResponseLimit")
    for level, kind, _hours in LIMITS:
        ResponseLimit.objects.filter(level=level, kind=kind).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("bureau", "0002_roles"),
    ]

    operations = [migrations.RunPython(forward, backward)]
