"""What each archive action is called on screen: one registry for the archive list and its filter,
the export, the histories on each page, the annual workbook's 档案 sheet and the summary text.

An action code is ``<app>.<model>.<past verb>`` (``admin.<app>.<model>.<verb>`` for the Django
admin). Each app names its own actions in ``<app>/labels.py`` as ``ACTION_LABELS`` (full code →
label), found here the way the admin finds ``admin.py``, so no lower layer imports a higher one.
An action no app names is read from its parts — a generic verb (created, changed, linked, …) and
the model's name — and, failing that, shown as its code, never as an error.
"""

from collections.abc import Mapping
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The archive's own records (logins, exports) and the organisation's (bureau.services, below the
# apps that could name them).
ACTION_LABELS: Mapping[str, Promise] = {
    "bureau.user.logged_in": _("Logged in"),
    "bureau.user.logged_out": _("Logged out"),
    "bureau.user.login_failed": _("Failed login"),
    "bureau.user.login_flood": _("Flood of failed logins"),
    "bureau.person.role_changed": _("Role changed"),
    "bureau.user.privileges_changed": _("Login privileges changed"),
    "archive.record.exported": _("Archive exported"),
}

# Verbs any model may take; combined with the model's name: "新建 工作日历".
GENERIC_VERBS: Mapping[str, Promise] = {
    "created": pgettext_lazy("archive verb", "Created"),
    "added": pgettext_lazy("archive verb", "Added"),
    "changed": pgettext_lazy("archive verb", "Changed"),
    "edited": pgettext_lazy("archive verb", "Edited"),
    "deleted": pgettext_lazy("archive verb", "Deleted"),
    "recorded": pgettext_lazy("archive verb", "Recorded"),
    "linked": pgettext_lazy("archive verb", "Linked"),
    "unlinked": pgettext_lazy("archive verb", "Unlinked"),
    "viewed": pgettext_lazy("archive verb", "Viewed"),
    "logged": pgettext_lazy("archive verb", "Logged"),
}


@cache
def _registry() -> dict[str, Promise]:
    labels = dict(ACTION_LABELS)
    for config in apps.get_app_configs():
        if config.name != "archive" and module_has_submodule(config.module, "labels"):
            labels.update(import_module(f"{config.name}.labels").ACTION_LABELS)
    return labels


def _model_name(app_label: str, model_name: str) -> str | None:
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except LookupError:
        return None


def action_label(code: str) -> str:
    """The action in the reader's language: "opinions.post.taken_down" → "删除帖子"."""
    label = _registry().get(code)
    if label is not None:
        return str(label)
    parts = code.split(".")
    in_admin = parts[0] == "admin" and len(parts) == 4
    if in_admin:
        parts = parts[1:]
    if len(parts) == 3 and parts[2] in GENERIC_VERBS:
        model = _model_name(parts[0], parts[1])
        if model is not None:
            text = _("%(verb)s %(object)s") % {"verb": GENERIC_VERBS[parts[2]], "object": model}
            return str(_("In the admin: %(action)s") % {"action": text}) if in_admin else str(text)
    return code


def object_type_label(target_type: str) -> str:
    """An object type in the reader's language: "opinions.post" → "帖子"; unknown → as stored."""
    app_label, _dot, model_name = target_type.partition(".")
    return capfirst(_model_name(app_label, model_name) or target_type)


def action_choices() -> list[tuple[str, str]]:
    """The archive filter's choices: each app's actions together ("opinions." is all of them),
    then every named action, by label."""
    groups = [
        (f"{config.label}.", str(_("All of %(app)s") % {"app": capfirst(config.verbose_name)}))
        for config in apps.get_app_configs()
        if any(code.startswith(f"{config.label}.") for code in _registry())
    ]
    named = sorted(((code, str(label)) for code, label in _registry().items()), key=lambda choice: choice[1])
    return [*groups, *named]
