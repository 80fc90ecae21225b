"""Django's own events, recorded in the archive: logins, logouts, failed logins, admin changes.

A failed login is also counted for the throttle per client address (``bureau.auth``), here because
this is where Django announces it.

Signals are the one way in here: these events happen inside Django (the auth views, the admin),
where no service of ours runs. Domain changes never use signals; their services call
``archive_record`` directly."""

import json
from datetime import timedelta

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext

from archive.models import ArchiveRecord
from archive.services import archive_record
from bureau import clock
from bureau.auth import client_ip, login_failure_record

_ADMIN_VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(user_logged_in, dispatch_uid="archive.user_logged_in")
def record_logged_in(sender, request, user, **kwargs):
    archive_record(action="bureau.user.logged_in", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="archive.user_logged_out")
def record_logged_out(sender, request, user, **kwargs):
    if user is None:  # an anonymous visitor "logged out": nothing happened
        return
    archive_record(action="bureau.user.logged_out", actor=user, target=user, request=request)


# Failed logins with names nobody has, from one address: after this many in the window, they are a
# flood (someone trying random names). The flood is archived once, as one summarised record, instead
# of one permanent row per try; failures for real names are always archived one by one.
UNKNOWN_NAME_FLOOD_AFTER = 10
UNKNOWN_NAME_WINDOW = timedelta(minutes=15)


def _unknown_name_failures_since(address: str, since) -> int:
    return ArchiveRecord.objects.filter(
        action__in=("bureau.user.login_failed", "bureau.user.login_flood"),
        ip_address=address,
        created_at__gte=since,
        after__unknown_name=True,
    ).count()


@receiver(user_login_failed, dispatch_uid="archive.user_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name is read; Django has already masked the password in ``credentials``,
    # and it must never reach the archive even so.
    user_model = get_user_model()
    username_field = user_model.USERNAME_FIELD
    username = str(credentials.get(username_field) or credentials.get("username") or "")
    unknown = not user_model.objects.filter(**{username_field: username}).exists()
    address = client_ip(request)
    login_failure_record(address)
    if unknown and address:
        earlier = _unknown_name_failures_since(address, clock.now() - UNKNOWN_NAME_WINDOW)
        if earlier > UNKNOWN_NAME_FLOOD_AFTER:
            return  # the flood's summary is already in the archive for this window
        if earlier == UNKNOWN_NAME_FLOOD_AFTER:
            archive_record(
                action="bureau.user.login_flood",
                actor_name=username,
                summary=gettext(
                    "More than %(count)s failed logins with unknown user names from %(address)s within "
                    "%(minutes)s minutes; further ones in that time are not recorded one by one."
                )
                % {"count": UNKNOWN_NAME_FLOOD_AFTER, "address": address, "minutes": 15},
                after={"unknown_name": True},
                request=request,
            )
            return
    archive_record(
        action="bureau.user.login_failed",
        actor_name=username,
        summary=gettext("Failed login attempt with the user name “%(username)s”.") % {"username": username},
        after={"unknown_name": unknown},
        request=request,  # client_ip(): the connecting address, never a forgeable X-Forwarded-For
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="archive.admin_log_entry")
def record_admin_change(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs):
    """One archive record per admin LogEntry, written in the admin's own transaction. Bulk
    deletes of several objects send no post_save; archive.admin_actions records those."""
    if not created or raw:
        return
    content_type = ContentType.objects.get_for_id(instance.content_type_id) if instance.content_type_id else None
    app_label, model = (content_type.app_label, content_type.model) if content_type else ("unknown", "unknown")
    verb = _ADMIN_VERBS.get(instance.action_flag, "logged")
    archive_record(
        action=f"admin.{app_label}.{model}.{verb}",
        actor=instance.user,
        target_type=f"{app_label}.{model}",
        target_id=instance.object_id or "",
        target_text=instance.object_repr,
        summary=instance.get_change_message(),
        # The structured message too: the summary is prose in the language of the moment.
        after={"admin_log_entry_id": instance.pk, "change_message": _parse(instance.change_message)},
    )


def _parse(change_message: str):
    try:
        return json.loads(change_message) if change_message else []
    except ValueError:
        return change_message
