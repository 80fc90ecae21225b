from django.core.management import call_command
from django.db import models

from archive.models import ArchiveRecord
from bureau.demo import DEMO_PASSWORD
from bureau.models import Department, Equipment, Person, ResponsibilityArea, Role, Section, TrainingRecord, User


def snapshot():
    tables = [User, Department, Person, Section, ResponsibilityArea, Equipment, TrainingRecord]
    data = {}
    for model in tables:
        fields = [f.name for f in model._meta.concrete_fields if not isinstance(f, models.DateTimeField)]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    data["groups"] = sorted(User.objects.values_list("username", "groups__name"))
    data["attendees"] = sorted(TrainingRecord.attendees.through.objects.values_list("trainingrecord_id", "person_id"))
    data["archive"] = ArchiveRecord.objects.count()
    return data


def test_seed_demo_twice_gives_the_same_data(db):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_seed_demo_builds_a_realistic_bureau(db):
    call_command("seed_demo", verbosity=0)
    assert Person.objects.count() >= 12
    assert {role for role, _label in Role.choices} <= set(Person.objects.values_list("role", flat=True))
    assert Person.objects.spokespeople().exists()
    assert not Section.objects.filter(owner__isnull=True).exists()
    for username in ("admin", "leader", "supervisor", "staff"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="leader").has_perm("archive.view_archiverecord")
    assert not User.objects.get(username="staff").has_perm("archive.view_archiverecord")
