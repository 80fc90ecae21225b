"""The opinions app's tables, one module per sub-domain (channels, posts, screening, patrol)."""

from opinions.models.aggregates import DailyFiguresState, DemandDay, OverdueDay, PostDay
from opinions.models.channels import Channel
from opinions.models.demands import (
    REACHED,
    SATISFIED,
    CalendarDay,
    Demand,
    DemandKind,
    DemandNumberCounter,
    DemandPress,
    DemandRules,
    FaqEntry,
    ReplyWindow,
    completed_q,
    demand_number_text,
    due_soon_q,
    open_q,
    overdue_q,
    reached_q,
    replied_on_time_q,
    replied_q,
    satisfied_q,
)
from opinions.models.patrol import PatrolRecord, PatrolRule
from opinions.models.posts import Post
from opinions.models.screening import ScreeningCategory

__all__ = [
    "REACHED",
    "SATISFIED",
    "completed_q",
    "demand_number_text",
    "due_soon_q",
    "open_q",
    "overdue_q",
    "reached_q",
    "replied_on_time_q",
    "replied_q",
    "satisfied_q",
    "CalendarDay",
    "Channel",
    "DailyFiguresState",
    "Demand",
    "DemandDay",
    "DemandKind",
    "DemandNumberCounter",
    "DemandPress",
    "DemandRules",
    "FaqEntry",
    "OverdueDay",
    "ReplyWindow",
    "PatrolRecord",
    "PatrolRule",
    "PostDay",
    "Post",
    "ScreeningCategory",
]
