import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from archive.models import ArchiveRecord
from bureau.models import Role
from publicity.models import PublicityPost
from publicity.services import post_approve, post_return, post_submit
from tests.factories import PersonFactory
from tests.publicity.factories import PublicityPostFactory


@pytest.mark.usefixtures("committed_db")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_leaders_decide_at_once_and_exactly_one_wins():
    author = PersonFactory(role=Role.STAFF)
    first, second = PersonFactory(role=Role.LEADER), PersonFactory(role=Role.DIRECTOR)
    post = PublicityPostFactory(author=author)
    post_submit(post=post, actor=author.user)
    barrier, outcomes, winners = threading.Barrier(2), [], []

    def decide(leader, approve):
        try:
            barrier.wait(timeout=10)
            if approve:
                post_approve(post=post, actor=leader.user)
            else:
                post_return(post=post, actor=leader.user, comment="请修改")
            outcomes.append("won")
            winners.append(approve)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(first, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "won"]
    post.refresh_from_db()
    # The post is in the state the winner chose: approved if the approving leader won.
    assert post.state == (PublicityPost.State.APPROVED if winners == [True] else PublicityPost.State.RETURNED)
    decisions = ArchiveRecord.objects.filter(
        action__in=["publicity.publicitypost.approved", "publicity.publicitypost.returned"]
    )
    assert decisions.count() == 1
