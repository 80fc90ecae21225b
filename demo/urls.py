from django.urls import path

from demo.feeds import demo_feed

app_name = "demo"

urlpatterns = [
    path("feeds/<slug:slug>.rss", demo_feed, name="feed"),
]
