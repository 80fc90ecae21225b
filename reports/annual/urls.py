"""The annual summary (年度工作总结): compiled figures, the workbook and the draft text."""

from django.urls import path

from reports.annual import views

app_name = "annual"

urlpatterns = [
    path("", views.AnnualSummaryListView.as_view(), name="summary-list"),
    path("compile/", views.AnnualSummaryCompileView.as_view(), name="summary-compile"),
    path("<int:year>/", views.AnnualSummaryDetailView.as_view(), name="summary-detail"),
    path("<int:year>/workbook.xlsx", views.AnnualWorkbookDownloadView.as_view(), name="summary-workbook"),
    path("<int:year>/draft.docx", views.AnnualDraftDownloadView.as_view(), name="summary-draft"),
    path("<int:year>/revision/<int:number>/", views.AnnualSummaryRevisionView.as_view(), name="summary-revision"),
    path(
        "<int:year>/revision/<int:number>/draft.docx",
        views.AnnualDraftDownloadView.as_view(),
        name="summary-revision-draft",
    ),
]
