"""Archive records made the only way the application makes them: through ``archive_record``,
so every factory-made record is properly chained. Actors and targets vary so N+1 queries show."""

import factory

from archive.models import ArchiveRecord
from archive.services import archive_record
from tests.factories import DepartmentFactory, UserFactory


class ArchiveRecordFactory(factory.Factory):
    class Meta:
        model = ArchiveRecord

    action = factory.Iterator(
        ["opinions.demand.replied", "opinions.post.taken_down", "publicity.post.approved", "bureau.person.role_changed"]
    )
    # password=None: an unusable password, so no Argon2 hashing for each of dozens of actors.
    actor = factory.SubFactory(UserFactory, password=None)
    target = factory.SubFactory(DepartmentFactory)
    summary = factory.Sequence(lambda n: f"处理记录 {n}")
    before = factory.Sequence(lambda n: {"state": "received", "n": n})
    after = factory.Sequence(lambda n: {"state": "replied", "n": n})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return archive_record(**kwargs)
