"""Factories for duty, tasks handed down and reports upward."""

from datetime import date, time, timedelta

import factory

from assignments.models import CountyTask, IncidentReport, ResponsePlan, Shift, ShiftAssignment, ShiftType
from assignments.services.shifts import shift_times
from bureau import clock
from tests.factories import PersonFactory, SearchableFactory


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType
        django_get_or_create = ["name"]

    name = "白班"
    starts = time(8, 30)
    ends = time(17, 30)
    people_needed = 1
    is_night = False
    sort_order = 1


class NightShiftTypeFactory(ShiftTypeFactory):
    name = "夜班"
    starts = time(17, 30)
    ends = time(8, 30)
    is_night = True
    sort_order = 2


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift
        django_get_or_create = ["shift_type", "on"]

    shift_type = factory.SubFactory(ShiftTypeFactory)
    on = factory.LazyFunction(clock.today)
    starts_at = factory.LazyAttribute(lambda o: shift_times(shift_type=o.shift_type, on=o.on)[0])
    ends_at = factory.LazyAttribute(lambda o: shift_times(shift_type=o.shift_type, on=o.on)[1])
    sign_in_due_at = factory.LazyAttribute(lambda o: shift_times(shift_type=o.shift_type, on=o.on)[2])
    people_needed = factory.LazyAttribute(lambda o: o.shift_type.people_needed)


class ShiftAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftAssignment

    shift = factory.SubFactory(ShiftFactory)
    person = factory.SubFactory(PersonFactory, user__password=None)
    department = factory.LazyAttribute(lambda o: o.person.department)  # as the services set it


class CountyTaskFactory(SearchableFactory):
    class Meta:
        model = CountyTask

    kind = CountyTask.Kind.ASSIGNMENT
    reference = factory.Sequence(lambda n: f"县网宣交〔2026〕{n}号")
    title = factory.Sequence(lambda n: f"关于网民反映问题{n}的舆情交办单")
    issued_by = "县委宣传部"
    received_at = factory.LazyFunction(clock.now)
    content = "网民反映某网吧违规接纳未成年人，请核查处置并于期限内反馈。"
    due_at = factory.LazyAttribute(lambda o: o.received_at + timedelta(days=2))
    handler = factory.SubFactory(PersonFactory, user__password=None)
    department = factory.LazyAttribute(lambda o: o.handler.department)  # as the services set it


class ResponsePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsePlan
        django_get_or_create = ["title"]

    title = factory.Sequence(lambda n: f"网络舆情突发事件应急预案{n}")
    scope = "涉及本局的重大网络舆情突发事件"
    adopted_on = date(2025, 1, 1)


class IncidentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentReport

    title = factory.Sequence(lambda n: f"舆情事件{n}")
    level = IncidentReport.Level.SERIOUS
    summary = "网民集中反映景区门票价格问题，转发量较大。"
    measures = "已核实情况并在官方网站发布说明。"
    reported_to = "县委宣传部"
    reported_at = factory.LazyFunction(clock.now)
    reported_by = factory.SubFactory(PersonFactory, user__password=None)
    created_at = factory.LazyFunction(clock.now)
    response_plan = factory.SubFactory(ResponsePlanFactory)


def people(count: int, **kwargs):
    """People without a usable password: hashing one costs half a second, and roster tests need many."""
    return PersonFactory.create_batch(count, user__password=None, **kwargs)
