"""Factories for alert rules and chat robots."""

import factory

from alerts.models import AlertRule, ChatRobot


class AlertRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertRule

    name = factory.Sequence(lambda n: f"预警规则{n}")
    kind = AlertRule.Kind.KEYWORDS
    subject_words = "图书馆\n文化馆"
    event_words = "停水\n关闭"
    excluded_words = "演练"
    quiet_minutes = 60
    acknowledge_minutes = 10


class ChatRobotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatRobot

    name = factory.Sequence(lambda n: f"值班群{n}")
    kind = ChatRobot.Kind.WEBHOOK
    url = "json://127.0.0.1:9/"
