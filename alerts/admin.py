"""The alerts configuration in the Django admin: rules and chat robots. Alerts, their recipients,
messages and escalations are shown read-only (they change only through the services)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alerts.models import Alert, AlertDelivery, AlertEscalation, AlertRecipient, AlertRule, ChatRobot
from alerts.senders import robot_url_is_valid, sms_adapter_label
from alerts.services.evaluation import has_evaluator


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = [
            "name",
            "kind",
            "is_active",
            "subject_words",
            "event_words",
            "excluded_words",
            "scope",
            "sections",
            "minutes",
            "threshold",
            "quiet_minutes",
            "acknowledge_minutes",
            "send_sms",
            "robots",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Admins see where SMS really go: the console adapter sends nothing.
        self.fields["send_sms"].help_text = _(
            "Also sent by SMS to each person told who has a mobile number, through: %(adapter)s. "
            "The gateway is set in the server's settings (ALERTS_SMS_ADAPTER and ALERTS_SMS_GATEWAY_*); "
            "ConsoleSmsAdapter only writes the message to the log. Unsent messages are in the alerts outbox."
        ) % {"adapter": sms_adapter_label()}

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and not has_evaluator(kind):
            raise forms.ValidationError(_("Rules of this kind are not evaluated yet."))
        if kind == AlertRule.Kind.KEYWORDS and not (
            data.get("subject_words", "").strip() and data.get("event_words", "").strip()
        ):
            raise forms.ValidationError(_("A keyword scheme needs subject words and event words."))
        if kind == AlertRule.Kind.EVENT_VOLUME and not (data.get("minutes") and data.get("threshold")):
            raise forms.ValidationError(_("Say how many items (N) within how many minutes (T) raise the alert."))
        if kind == AlertRule.Kind.PROHIBITED_UNHANDLED and not data.get("minutes"):
            raise forms.ValidationError(_("Say within how many minutes prohibited content must be handled."))
        return data


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = AlertRuleForm
    list_display = ["name", "kind", "is_active", "quiet_minutes", "acknowledge_minutes"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["sections", "robots"]


class ChatRobotForm(forms.ModelForm):
    class Meta:
        model = ChatRobot
        fields = ["name", "kind", "url", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not robot_url_is_valid(url):
            raise forms.ValidationError(_("Not an address apprise can send to."))
        return url


@admin.register(ChatRobot)
class ChatRobotAdmin(admin.ModelAdmin):
    form = ChatRobotForm
    list_display = ["name", "kind", "is_active"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecipientInline(ReadOnlyInline):
    model = AlertRecipient


class DeliveryInline(ReadOnlyInline):
    model = AlertDelivery
    exclude = ["claimed_at"]


class EscalationInline(ReadOnlyInline):
    model = AlertEscalation


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "rule", "raised_at", "acknowledged_at", "escalation_step"]
    list_filter = ["rule"]
    inlines = [RecipientInline, DeliveryInline, EscalationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
