"""Factories for the organisation; each app's own factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from bureau.models import Department, Person, Role, RoleGroup, Section, User
from bureau.search import search_fill

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


class SearchableFactory(factory.django.DjangoModelFactory):
    """Rows made directly, with their search columns (bureau.search) filled as the services fill them."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = search_fill(model_class(*args, **kwargs))
        row.save(force_insert=True)
        return row


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@bureau.example")
    # Hashed before the INSERT (with the test settings' fast hasher), so a user is one statement,
    # not an INSERT and then an UPDATE of the password.
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if kwargs.get("password") is None:  # ``password=None``: a user who never logs in here
            kwargs["password"] = make_password(None)
        return kwargs


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"科室{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        # The hook below saves what it changes itself; the factory's extra save would be wasted.
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"测试人员{n}")
    department = factory.SubFactory(DepartmentFactory)
    role = Role.STAFF
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    @factory.post_generation
    def join_role_group(person, create, extracted, **kwargs):
        if create:
            person.user.groups.add(Group.objects.get(name=RoleGroup.FOR_ROLE[person.role]))
            if person.role == Role.ADMINISTRATOR:
                person.user.is_staff = True
                person.user.save(update_fields=["is_staff"])


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"版块{n}")
    owner = factory.SubFactory(PersonFactory)


CAST_ROLES = {
    "director": Role.DIRECTOR,
    "leader": Role.LEADER,
    "supervisor": Role.OFFICE_HEAD,
    "staff": Role.STAFF,
    "admin": Role.ADMINISTRATOR,
}


def make_cast() -> dict:
    """A dict of role name → Person, plus "outsider": a login with no person and no role.

    The same rows ``PersonFactory`` makes one by one (each person in a department of their own,
    in their role's group, the administrator ``is_staff``), written in five statements instead of
    about seventy: most tests of the suite start with the cast."""
    people = {key: PersonFactory.build(user__username=f"cast-{key}", role=role) for key, role in CAST_ROLES.items()}
    outsider = UserFactory.build(username="cast-outsider")
    for person in people.values():
        person.user.is_staff = person.role == Role.ADMINISTRATOR
    User.objects.bulk_create([*(person.user for person in people.values()), outsider])
    Department.objects.bulk_create([person.department for person in people.values()])
    Person.objects.bulk_create(people.values())
    groups = dict(Group.objects.filter(name__in=RoleGroup.FOR_ROLE.values()).values_list("name", "pk"))
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=person.user.pk, group_id=groups[RoleGroup.FOR_ROLE[person.role]])
        for person in people.values()
    )
    return {**people, "outsider": outsider}
