from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.ArchiveRecordListView.as_view(), name="record-list"),
    path("<int:pk>/", views.ArchiveRecordDetailView.as_view(), name="record-detail"),
    path("verify/", views.ArchiveVerifyView.as_view(), name="verify"),
]
