from django.urls import path

from opinions.views import channels, demands, knowledge, monitor, patrol, posts, takedowns

app_name = "opinions"

urlpatterns = [
    path("", monitor.MonitorView.as_view(), name="monitor"),
    path("posts/<int:pk>/", posts.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:pk>/handle/", posts.PostHandleView.as_view(), name="post-handle"),
    path("posts/new/", posts.PostEntryView.as_view(), name="post-entry"),
    path("posts/import/", posts.PostImportView.as_view(), name="post-import"),
    path("posts/import/confirm/", posts.PostImportConfirmView.as_view(), name="post-import-confirm"),
    path("posts/import/template.<str:fmt>", posts.ImportTemplateView.as_view(), name="post-import-template"),
    path("takedowns/", takedowns.TakedownQueueView.as_view(), name="takedown-queue"),
    path("posts/<int:pk>/takedown/", takedowns.TakedownConfirmView.as_view(), name="takedown-confirm"),
    path("posts/<int:pk>/clear/", takedowns.TakedownClearView.as_view(), name="takedown-clear"),
    path("posts/<int:pk>/undo-takedown/", takedowns.TakedownUndoView.as_view(), name="takedown-undo"),
    path("channels/", channels.ChannelListView.as_view(), name="channel-list"),
    path("patrol/", patrol.PatrolLogView.as_view(), name="patrol-log"),
    path("patrol/review/", patrol.PatrolReviewView.as_view(), name="patrol-review"),
    path("demands/", demands.DemandListView.as_view(), name="demand-list"),
    path("demands/export.<str:fmt>", demands.DemandExportView.as_view(), name="demand-export"),
    path("demands/new/", demands.DemandEntryView.as_view(), name="demand-entry"),
    path("demands/similar/", demands.DemandSimilarView.as_view(), name="demand-similar"),
    path("demands/faq/", demands.FaqView.as_view(), name="demand-faq"),
    path("demands/templates/", knowledge.ReplyTemplateListView.as_view(), name="reply-template-list"),
    path("demands/templates/new/", knowledge.ReplyTemplateEditView.as_view(), name="reply-template-new"),
    path("demands/templates/<int:pk>/", knowledge.ReplyTemplateEditView.as_view(), name="reply-template-edit"),
    path("demands/<int:pk>/", demands.DemandDetailView.as_view(), name="demand-detail"),
    path("demands/<int:pk>/print/", demands.DemandPrintView.as_view(), name="demand-print"),
    path("demands/<int:pk>/word/", demands.DemandWordView.as_view(), name="demand-word"),
    path("demands/<int:pk>/<slug:action>/", demands.demand_action, name="demand-action"),
    path("posts/<int:pk>/demand/", demands.DemandFromPostView.as_view(), name="demand-from-post"),
]
