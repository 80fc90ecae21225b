"""The opinions app's tables, one module per sub-domain (channels, posts, screening, patrol)."""

from opinions.models.aggregates import DailyFiguresState, DemandDay, OverdueDay, PostDay
from opinions.models.channels import Channel
from opinions.models.demands import (
    CalendarDay,
    Demand,
    DemandKind,
    DemandPress,
    DemandRules,
    FaqEntry,
    ReplyWindow,
)
from opinions.models.patrol import PatrolRecord, PatrolRule
from opinions.models.posts import Post
from opinions.models.screening import ScreeningCategory

__all__ = [
    "CalendarDay",
    "Channel",
    "DailyFiguresState",
    "Demand",
    "DemandDay",
    "DemandKind",
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
