"""Publicity pages: permission → selector / form → one service call → message → redirect."""

from publicity.views.posts import (
    ApprovalQueueView,
    MyPostListView,
    PostCorrectView,
    PostCreateView,
    PostDetailView,
    PostExportView,
    PostListView,
    PostPublishView,
    PostReviewView,
    PostSubmitView,
    PostUpdateView,
    PostWithdrawView,
    ProgressView,
)
from publicity.views.records import (
    CoverageCreateView,
    CoverageListView,
    DisclosureCreateView,
    DisclosureExportView,
    DisclosureListView,
    OutletCountsView,
    StatisticView,
)

__all__ = [
    "ApprovalQueueView",
    "CoverageCreateView",
    "CoverageListView",
    "DisclosureCreateView",
    "DisclosureExportView",
    "DisclosureListView",
    "MyPostListView",
    "OutletCountsView",
    "PostCorrectView",
    "PostCreateView",
    "PostDetailView",
    "PostExportView",
    "PostListView",
    "PostPublishView",
    "PostReviewView",
    "PostSubmitView",
    "PostUpdateView",
    "PostWithdrawView",
    "ProgressView",
    "StatisticView",
]
