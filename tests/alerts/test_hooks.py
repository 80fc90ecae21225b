"""Intake tells the alerts app after commit, once per transaction, through ``opinions.hooks``."""

import pytest

from opinions.hooks import _posts_created_hooks, on_posts_created
from opinions.intake.items import IncomingItem
from opinions.services.intake import posts_ingest
from tests.opinions.factories import ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls: list[list[int]] = []

    def hook(ids: list[int]) -> None:
        calls.append(ids)

    saved = list(_posts_created_hooks)
    _posts_created_hooks.clear()
    on_posts_created(hook)
    yield calls
    _posts_created_hooks[:] = saved


def test_the_hook_hears_the_new_posts_after_commit_once_per_transaction(
    heard, travel, django_capture_on_commit_callbacks
):
    channel = ChannelFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = posts_ingest(channel=channel, items=[IncomingItem(title="一", external_id="1")])
        second = posts_ingest(channel=channel, items=[IncomingItem(title="二", external_id="2")])
        posts_ingest(channel=channel, items=[IncomingItem(title="一", external_id="1")])  # known: nothing new
        assert heard == []  # not before the commit
    assert heard == [[*first.created_ids, *second.created_ids]]


def test_the_alerts_app_is_registered():
    from alerts.dispatch import posts_arrived  # the hook the alerts app registers in its ready()

    assert posts_arrived in _posts_created_hooks
