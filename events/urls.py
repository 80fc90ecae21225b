from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path("create/", views.EventCreateView.as_view(), name="event-create"),
    path("add/", views.ItemAddView.as_view(), name="item-add"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/confirm/", views.EventConfirmView.as_view(), name="event-confirm"),
    path("<int:pk>/close/", views.EventCloseView.as_view(), name="event-close"),
    path("<int:pk>/grade/", views.EventGradeView.as_view(), name="event-grade"),
    path("<int:pk>/respond/", views.EventRespondView.as_view(), name="event-respond"),
    path("<int:pk>/remove/", views.EventItemRemoveView.as_view(), name="event-item-remove"),
    path("<int:pk>/merge/", views.EventMergeView.as_view(), name="event-merge"),
    path("<int:pk>/link/", views.EventLinkView.as_view(), name="event-link"),
    path("<int:pk>/split/", views.EventSplitView.as_view(), name="event-split"),
]
