from django.urls import path

from demo.feeds import demo_feed
from demo.robot import demo_robot

app_name = "demo"

urlpatterns = [
    path("feeds/<slug:slug>.rss", demo_feed, name="feed"),
    path("robot/", demo_robot, name="robot"),
]
