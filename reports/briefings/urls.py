"""Briefings (舆情简报): the list, drafting, one briefing and its actions, print and Word."""

from django.urls import path

from reports.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.BriefingListView.as_view(), name="briefing-list"),
    path("draft/", views.BriefingDraftView.as_view(), name="briefing-draft"),
    path("event/<int:pk>/", views.BriefingSpecialView.as_view(), name="briefing-special"),
    path("<int:pk>/", views.BriefingDetailView.as_view(), name="briefing-detail"),
    path("<int:pk>/edit/", views.BriefingEditView.as_view(), name="briefing-edit"),
    path("<int:pk>/submit/", views.BriefingSubmitView.as_view(), name="briefing-submit"),
    path("<int:pk>/return/", views.BriefingReturnView.as_view(), name="briefing-return"),
    path("<int:pk>/sign/", views.BriefingSignView.as_view(), name="briefing-sign"),
    path("<int:pk>/print/", views.BriefingPrintView.as_view(), name="briefing-print"),
    path("<int:pk>/briefing.docx", views.BriefingWordView.as_view(), name="briefing-word"),
]
