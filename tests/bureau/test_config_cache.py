"""Configuration rows read once inside ``config_rows_cached``, every time outside it, and read
again after an admin's save (``demand_config_save``)."""

from datetime import timedelta

from bureau import clock
from bureau.config_cache import config_rows_cached
from opinions.models import DemandKind, ReplyWindow
from opinions.services.calendar import demand_config_save, needs_review, reply_deadline


def test_outside_the_block_every_read_goes_to_the_database(db, travel, django_assert_num_queries):
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24)
    with django_assert_num_queries(3):
        reply_deadline(kind=DemandKind.COMPLAINT, received_at=clock.now())
        reply_deadline(kind=DemandKind.COMPLAINT, received_at=clock.now())
        needs_review(DemandKind.COMPLAINT)


def test_inside_the_block_each_row_is_read_once(db, travel, django_assert_num_queries):
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24)
    ReplyWindow.objects.create(kind=DemandKind.PRAISE, amount=48)
    with config_rows_cached(), django_assert_num_queries(3):
        for _ in range(3):
            assert reply_deadline(kind=DemandKind.COMPLAINT, received_at=clock.now()) == clock.now() + timedelta(
                hours=24
            )
            assert reply_deadline(kind=DemandKind.PRAISE, received_at=clock.now()) == clock.now() + timedelta(hours=48)
            assert needs_review(DemandKind.COMPLAINT) is False


def test_an_admins_save_inside_the_block_is_read_at_once(db, travel, cast):
    window = ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24)
    with config_rows_cached():
        assert reply_deadline(kind=DemandKind.COMPLAINT, received_at=clock.now()) == clock.now() + timedelta(hours=24)
        window.amount = 12
        demand_config_save(obj=window, actor=cast["admin"].user)
        assert reply_deadline(kind=DemandKind.COMPLAINT, received_at=clock.now()) == clock.now() + timedelta(hours=12)
