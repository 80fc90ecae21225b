from django.urls import path

from assignments.views import duty, reports, tasks

app_name = "assignments"

urlpatterns = [
    path("", duty.DutyHomeView.as_view(), name="duty"),
    path("now/", duty.OnDutyNowView.as_view(), name="now"),
    path("week/", duty.WeekView.as_view(), name="week"),
    path("month/", duty.MonthView.as_view(), name="month"),
    path("shifts/<int:pk>/", duty.ShiftDetailView.as_view(), name="shift-detail"),
    path("shifts/<int:pk>/handover/", duty.HandoverCreateView.as_view(), name="handover-create"),
    path("shifts/<int:pk>/assign/", duty.ShiftAssignView.as_view(), name="shift-assign"),
    path("assignments/<int:pk>/sign-in/", duty.SignInView.as_view(), name="sign-in"),
    path("assignments/<int:pk>/remove/", duty.ShiftUnassignView.as_view(), name="shift-unassign"),
    path("swap/", duty.SwapView.as_view(), name="swap"),
    path("roster/", duty.RosterGenerateView.as_view(), name="roster"),
    path("leave/", duty.LeaveView.as_view(), name="leave"),
    path("leave/<int:pk>/cancel/", duty.LeaveCancelView.as_view(), name="leave-cancel"),
    path("gaps/", duty.GapsView.as_view(), name="gaps"),
    path("figures/", duty.FiguresView.as_view(), name="figures"),
    path("figures/export/", duty.FiguresExportView.as_view(), name="figures-export"),
    path("tasks/", tasks.TaskListView.as_view(), name="task-list"),
    path("tasks/new/", tasks.TaskCreateView.as_view(), name="task-create"),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/print/", tasks.TaskPrintView.as_view(), name="task-print"),
    path("tasks/<int:pk>/note/", tasks.TaskNoteView.as_view(), name="task-note"),
    path("tasks/<int:pk>/attach/", tasks.TaskAttachView.as_view(), name="task-attach"),
    path("tasks/<int:pk>/feedback/", tasks.TaskFeedbackView.as_view(), name="task-feedback"),
    path("tasks/<int:pk>/approve/", tasks.TaskApproveView.as_view(), name="task-approve"),
    path("tasks/<int:pk>/return/", tasks.TaskReturnView.as_view(), name="task-return"),
    path("tasks/<int:pk>/close/", tasks.TaskCloseView.as_view(), name="task-close"),
    path("tasks/<int:pk>/reassign/", tasks.TaskReassignView.as_view(), name="task-reassign"),
    path("attachments/<int:pk>/", tasks.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("reports/", reports.ReportListView.as_view(), name="report-list"),
    path("reports/new/", reports.ReportCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/print/", reports.ReportPrintView.as_view(), name="report-print"),
    path("reports/<int:pk>/follow-up/", reports.FollowUpView.as_view(), name="report-follow-up"),
    path("plans/", reports.ResponsePlanListView.as_view(), name="plan-list"),
    path("plans/<int:pk>/file/", reports.ResponsePlanFileView.as_view(), name="plan-file"),
]
