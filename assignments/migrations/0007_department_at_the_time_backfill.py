"""Backfill the department a shift assignment or a county task belonged to, from the person's
department today: the best record there is of the past (nothing older was kept). Reversing leaves
the column as it is (the previous migration drops it)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Person = apps.get_model("bureau", "Person")
    ShiftAssignment = apps.get_model("assignments", "ShiftAssignment")
    CountyTask = apps.get_model("assignments", "CountyTask")
    department_of = Person.objects.filter(pk=OuterRef("person_id")).values("department_id")[:1]
    ShiftAssignment.objects.filter(department__isnull=True).update(department_id=Subquery(department_of))
    handler_department = Person.objects.filter(pk=OuterRef("handler_id")).values("department_id")[:1]
    CountyTask.objects.filter(department__isnull=True).update(department_id=Subquery(handler_department))


class Migration(migrations.Migration):
    dependencies = [("assignments", "0006_department_at_the_time"), ("bureau", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
