"""Who is told that a step waits for them (``opinions.policies.waiting_for``): the same people the
role groups, a direct permission or the spokesperson flag let act, each once, never the inactive."""

import pytest
from django.contrib.auth.models import Permission

from bureau.models import Role
from opinions.policies import waiting_for
from tests.factories import PersonFactory
from tests.opinions.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_reviewers_come_from_groups_direct_permissions_and_the_spokesperson_flag_once_each():
    leader = PersonFactory(user__username="w-leader", role=Role.LEADER)  # reviews and signs off
    direct = PersonFactory(user__username="w-direct", role=Role.STAFF)
    direct.user.user_permissions.add(Permission.objects.get(codename="review_demand"))
    spokesperson = PersonFactory(user__username="w-spoke", role=Role.STAFF, is_spokesperson=True)
    spokesperson.user.user_permissions.add(Permission.objects.get(codename="review_demand"))  # both ways
    PersonFactory(user__username="w-staff", role=Role.STAFF)
    gone = PersonFactory(user__username="w-gone", role=Role.LEADER)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    demand = DemandFactory()

    reviewers = [person.user.username for person in waiting_for(demand, "review")]
    assert reviewers == ["w-leader", "w-direct", "w-spoke"]
    assert [person.user.username for person in waiting_for(demand, "sign-off")] == ["w-leader"]
    assert waiting_for(demand, "decide-extension") == []
    assert leader.pk < direct.pk < spokesperson.pk  # the order is by person
