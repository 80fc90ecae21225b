"""``module_rows`` (tests/conftest.py): rows built once for a module, each test's changes rolled
back before the next, objects handed out as copies."""

import copy

import pytest

from bureau import clock
from bureau.models import Department
from tests.conftest import TEST_MOMENT
from tests.factories import DepartmentFactory


def _build() -> dict:
    return {"department": DepartmentFactory(name="办公室"), "built_at": clock.now()}


@pytest.fixture(scope="module")
def _built(module_rows):
    return module_rows.build(_build)


@pytest.fixture
def built(_built, db):
    return copy.deepcopy(_built)


def test_the_rows_are_built_at_the_test_clock(built):
    assert built["built_at"] == TEST_MOMENT
    assert list(Department.objects.values_list("name", flat=True)) == ["办公室"]


def test_a_test_changes_the_rows_and_the_object(built):
    built["department"].name = "宣传科"
    built["department"].save()
    DepartmentFactory(name="综合科")
    assert sorted(Department.objects.values_list("name", flat=True)) == ["宣传科", "综合科"]


def test_the_next_test_sees_the_rows_and_the_object_as_built(built):
    assert built["department"].name == "办公室"
    assert list(Department.objects.values_list("name", flat=True)) == ["办公室"]
