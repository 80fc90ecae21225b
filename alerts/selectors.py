"""Reads of alerts: the list a user sees, one alert's page, and the figures (raised, acknowledged
in time, median minutes to acknowledge) the dashboard and the annual summary show."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet

from alerts.models import Alert, AlertRecipient
from alerts.policies import oversees_alerts
from bureau.rates import rate
from bureau.types import AnyUser

ONE_DECIMAL = Decimal("0.1")


def _visible(user: AnyUser) -> QuerySet[Alert]:
    alerts = Alert.objects.all()
    if oversees_alerts(user):
        return alerts
    if user.pk is None:
        return alerts.none()
    return alerts.filter(pk__in=AlertRecipient.objects.filter(user_id=user.pk).values("alert_id"))


def alert_list(*, user: AnyUser, state: str = "") -> QuerySet[Alert]:
    """Alerts sent to the user (every alert for office heads and leaders), newest first; ``state``
    "open" keeps the unacknowledged ones."""
    alerts = (
        _visible(user)
        .select_related("rule", "acknowledged_by__person")
        .annotate(recipient_count=Count("recipients", distinct=True))
    )
    if state == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.order_by("-raised_at", "-pk")


def alert_for_user(*, user: AnyUser, pk: int) -> Alert:
    """One alert with who was told and why, its escalations and its messages; DoesNotExist when it
    is not the user's to see."""
    return (
        _visible(user)
        .select_related("rule", "post", "acknowledged_by__person")
        .prefetch_related(
            Prefetch("recipients", queryset=AlertRecipient.objects.select_related("user__person")),
            "escalations",
            "deliveries__robot",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class AlertFigures:
    raised: int
    acknowledged: int
    acknowledged_in_time: int
    median_minutes: Decimal | None  # to acknowledge, of those acknowledged; None when none was

    @property
    def in_time_rate(self) -> Decimal | None:
        """Acknowledged in time ÷ raised."""
        return rate(self.acknowledged_in_time, self.raised)


def alert_figures(*, start: datetime, end: datetime) -> AlertFigures:
    """Alerts raised in [start, end); of them acknowledged, acknowledged by their limit, and the
    median minutes from raising to acknowledgement (one decimal, half up). Two queries (one when
    none was acknowledged), whatever the rows."""
    raised = Alert.objects.filter(raised_at__gte=start, raised_at__lt=end).order_by()
    counts = raised.aggregate(
        raised=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        in_time=Count("pk", filter=Q(acknowledged_at__lte=F("acknowledge_due_at"))),
    )
    acknowledged = counts["acknowledged"]
    median = None
    if acknowledged:
        took = (
            raised.filter(acknowledged_at__isnull=False)
            .annotate(took=ExpressionWrapper(F("acknowledged_at") - F("raised_at"), output_field=DurationField()))
            .order_by("took", "pk")
            .values_list("took", flat=True)
        )
        middle: list[timedelta] = list(took[(acknowledged - 1) // 2 : acknowledged // 2 + 1])
        seconds = sum((Decimal(str(value.total_seconds())) for value in middle), Decimal(0)) / len(middle)
        median = (seconds / 60).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return AlertFigures(
        raised=counts["raised"],
        acknowledged=acknowledged,
        acknowledged_in_time=counts["in_time"],
        median_minutes=median,
    )
