"""The menu badge is kept while nothing changes (``reports.todo.todo_badge``): counted again when
the archive moves (every change of state writes a record) or a minute after it was counted, never
otherwise.

The rows here are built with factories, which write no archive record: exactly the change the
badge cannot see, so what it shows tells whether it was kept or counted. The test clock stands at
09:00:00 on Monday 2 March 2026 (Shanghai)."""

from datetime import timedelta

import pytest

from archive.services import archive_record
from reports.todo import todo_badge
from tests.opinions.factories import DemandFactory

pytestmark = pytest.mark.usefixtures("travel")


def test_kept_while_the_archive_stands_and_counted_again_when_it_moves(cast, kept_cache, django_assert_num_queries):
    office_head = cast["supervisor"]
    waiting = DemandFactory()  # received, not yet dispatched: one item on the office head's list
    assert todo_badge(user=office_head.user, person=office_head) == 1

    DemandFactory()  # a second one, written with no archive record
    with django_assert_num_queries(1):  # the archive's head, nothing counted
        assert todo_badge(user=office_head.user, person=office_head) == 1

    archive_record(action="opinions.demand.viewed", actor=office_head.user, target=waiting)
    assert todo_badge(user=office_head.user, person=office_head) == 2


def test_counted_again_a_minute_after(cast, kept_cache, travel):
    office_head = cast["supervisor"]
    DemandFactory()
    assert todo_badge(user=office_head.user, person=office_head) == 1
    DemandFactory()
    travel.shift(timedelta(seconds=59))  # 09:00:59: kept
    assert todo_badge(user=office_head.user, person=office_head) == 1
    travel.shift(timedelta(seconds=1))  # 09:01:00
    assert todo_badge(user=office_head.user, person=office_head) == 2


def test_kept_for_one_user_only(cast, kept_cache):
    office_head, leader = cast["supervisor"], cast["leader"]
    DemandFactory()
    assert todo_badge(user=office_head.user, person=office_head) == 1
    assert todo_badge(user=leader.user, person=leader) == 0  # nothing waits for the leader's decision
