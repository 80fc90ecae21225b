import pytest
from django.utils import translation

from opinions.services import screening
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory, ScreeningCategoryFactory
from tests.opinions.feedserver import FeedServer


@pytest.fixture
def feed_server(settings):
    # The local test server is inside the network: allowed explicitly, as an intranet forum would be.
    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _english_and_fast_passwords(settings):
    """Messages are checked in their English source; the cast's passwords need no slow hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_matcher():
    """Each test's database has its own lists: never reuse a matcher built for another test."""
    screening._cache.update(version=None, matcher=None)
    yield
    screening._cache.update(version=None, matcher=None)


@pytest.fixture
def channel_factory(db):
    return ChannelFactory


@pytest.fixture
def post_factory(db):
    return PostFactory


@pytest.fixture
def category_factory(db):
    return ScreeningCategoryFactory


@pytest.fixture
def demand_factory(db):
    return DemandFactory
