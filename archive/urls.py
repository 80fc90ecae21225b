from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.ArchiveRecordListView.as_view(), name="record-list"),
    path("export.xlsx", views.ArchiveExportView.as_view(), name="record-export"),
    path("<int:pk>/", views.ArchiveRecordDetailView.as_view(), name="record-detail"),
    path("verify/", views.ArchiveVerifyView.as_view(), name="verify"),
]
