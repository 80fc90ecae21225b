"""The patrol log: reviews of a section's new posts, and the rules that set when one falls due."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from archive.models import ArchiveRecord
from opinions.models import PatrolRecord, PatrolRule, Post
from opinions.services.patrol import patrol_record_review, patrol_rules_ensure
from tests.factories import SectionFactory


@pytest.fixture
def section(cast):
    return SectionFactory(owner=cast["staff"])


def test_a_review_logs_the_new_posts_seen_and_marks_them_read(section, post_factory, cast, travel):
    new = post_factory.create_batch(3, channel__section=section, section=section)
    post_factory(section=section, channel__section=section, status=Post.Status.FILED)
    record = patrol_record_review(section=section, actor=cast["staff"].user)
    assert record.posts_seen == 3
    assert record.reviewer == cast["staff"]
    assert not Post.objects.filter(pk__in=[p.pk for p in new], status=Post.Status.NEW).exists()
    rule = PatrolRule.objects.get(section=section)
    assert rule.last_reviewed_at == record.reviewed_at
    assert rule.due_at == record.reviewed_at + timedelta(minutes=10)
    assert ArchiveRecord.objects.filter(action="opinions.patrolrecord.created", target_id=str(record.pk)).exists()
    travel.shift(timedelta(minutes=2))
    assert patrol_record_review(section=section, actor=cast["staff"].user).posts_seen == 0
    assert PatrolRecord.objects.filter(section=section).count() == 2


def test_leaders_cannot_record_a_review(section, cast):
    with pytest.raises(PermissionDenied):
        patrol_record_review(section=section, actor=cast["leader"].user)


def test_every_section_gets_a_rule(cast, travel):
    SectionFactory.create_batch(3, owner=cast["staff"])
    assert patrol_rules_ensure() == 3
    assert patrol_rules_ensure() == 0
