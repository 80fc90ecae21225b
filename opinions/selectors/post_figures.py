"""Post figures the daily aggregates cannot add up: the median time from finding a post with
prohibited content to taking it down (帖子发现至删除的时间，中位数).

For the posts found in [start, end) and taken down (status taken down, with the moment of the
decision): the median of (taken down at − found at), in minutes with one decimal, half-up; for an
even number of posts, the mean of the middle two. None when no post was taken down. A post counts in
the period it was found in, as in ``opinions.selectors.figures.post_figures``."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DurationField, ExpressionWrapper, F

from opinions.models import Post

ONE_DECIMAL = Decimal("0.1")


def takedown_median_minutes(*, start: datetime, end: datetime) -> Decimal | None:
    """Two queries (the count, then the middle one or two rows ordered by duration), whatever the size."""
    taken_down = Post.objects.filter(
        found_at__gte=start, found_at__lt=end, status=Post.Status.TAKEN_DOWN, decided_at__isnull=False
    ).order_by()
    count = taken_down.count()
    if not count:
        return None
    durations = (
        taken_down.annotate(took=ExpressionWrapper(F("decided_at") - F("found_at"), output_field=DurationField()))
        .order_by("took", "pk")
        .values_list("took", flat=True)
    )
    middle: list[timedelta] = list(durations[(count - 1) // 2 : count // 2 + 1])
    seconds = sum((Decimal(str(took.total_seconds())) for took in middle), Decimal(0)) / len(middle)
    return (seconds / 60).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
