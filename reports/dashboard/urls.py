"""The supervisors dashboard: figures for a period, charts, the per-department assessment."""

from django.urls import path

from reports.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("assessment/export/", views.AssessmentExportView.as_view(), name="assessment-export"),
]
