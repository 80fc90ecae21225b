"""The pages' quota progress is kept while the archive stands (``quota_progress_shown``), with a
real cache as the office runs with; jobs and exports count it afresh (``quota_progress_list``).
Posts built with the factory write no archive record, which is how the test tells kept from
counted. The test clock stands at 09:00 on Monday 2 March 2026 (Shanghai)."""

from datetime import date

import pytest

from publicity.models import PublicityQuota
from publicity.selectors import quota_progress_list, quota_progress_shown
from publicity.services.quotas import quota_save
from tests.publicity.factories import PublicityPostFactory, QuotaFactory

pytestmark = pytest.mark.usefixtures("travel")


def _published(progress) -> int:
    return progress[0].published


def test_kept_until_a_change_is_recorded(cast, kept_cache):
    QuotaFactory(year=2026, minimum=30)
    PublicityPostFactory(published=date(2026, 2, 10))
    assert _published(quota_progress_shown(year=2026)) == 1
    PublicityPostFactory(published=date(2026, 2, 20))  # no record
    assert _published(quota_progress_shown(year=2026)) == 1  # kept
    assert _published(quota_progress_list(year=2026)) == 2  # counted afresh

    quota = PublicityQuota.objects.get()
    quota.minimum = 40
    quota_save(quota=quota, actor=cast["admin"].user)  # a recorded change: the archive moves
    progress = quota_progress_shown(year=2026)
    assert (_published(progress), progress[0].minimum) == (2, 40)
