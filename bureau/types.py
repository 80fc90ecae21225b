"""Type aliases the services and selectors share in their signatures (checked by mypy)."""

from django.contrib.auth.models import AnonymousUser

from bureau.models import User

# Who is asking: ``request.user`` in a view, a ``User`` in a task or a test. Services that act
# for someone take ``AnyUser | None`` (None: the system, a periodic job).
AnyUser = User | AnonymousUser
