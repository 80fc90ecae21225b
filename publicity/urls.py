from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("export.xlsx", views.PostExportView.as_view(), name="post-export"),
    path("mine/", views.MyPostListView.as_view(), name="post-mine"),
    path("approvals/", views.ApprovalQueueView.as_view(), name="approval-queue"),
    path("new/", views.PostCreateView.as_view(), name="post-create"),
    path("<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("<int:pk>/print/", views.PostPrintView.as_view(), name="post-print"),
    path("<int:pk>/word/", views.PostWordView.as_view(), name="post-word"),
    path("<int:pk>/edit/", views.PostUpdateView.as_view(), name="post-update"),
    path("<int:pk>/submit/", views.PostSubmitView.as_view(), name="post-submit"),
    path("<int:pk>/proofreading/", views.PostProofAcknowledgeView.as_view(), name="post-proof-acknowledge"),
    path("<int:pk>/withdraw/", views.PostWithdrawView.as_view(), name="post-withdraw"),
    path("<int:pk>/review/", views.PostReviewView.as_view(), name="post-review"),
    path("<int:pk>/publish/", views.PostPublishView.as_view(), name="post-publish"),
    path("<int:pk>/correct/", views.PostCorrectView.as_view(), name="post-correct"),
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("coverage/", views.CoverageListView.as_view(), name="coverage-list"),
    path("coverage/new/", views.CoverageCreateView.as_view(), name="coverage-create"),
    path("coverage/outlets/", views.OutletCountsView.as_view(), name="outlet-counts"),
    path("statistics/", views.StatisticView.as_view(), name="statistics"),
    path("disclosure/", views.DisclosureListView.as_view(), name="disclosure-list"),
    path("disclosure/new/", views.DisclosureCreateView.as_view(), name="disclosure-create"),
    path("disclosure/export.xlsx", views.DisclosureExportView.as_view(), name="disclosure-export"),
]
