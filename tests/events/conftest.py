import pytest
from django.utils import translation

from opinions.services import screening


@pytest.fixture(autouse=True)
def _english_and_fresh_matcher():
    """Messages in their English source; each test's database has its own screening lists."""
    screening._cache.update(version=None, matcher=None)
    with translation.override("en"):
        yield
