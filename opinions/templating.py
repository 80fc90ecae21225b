"""Reply templates' variables (答复口径), pure functions: which variables a text names and the text
with them filled in; and what the reply box holds after a template is put into it.

A variable is a name in braces, half- or full-width: ``{姓名}``, ``｛编号｝`` or ``{citizen_name}``.
Filling is a lookup of each name in a fixed table of plain strings, never ``str.format`` (which
would let a template reach attributes: ``{demand.__class__}``); a name not in the table is left
as it was typed and reported, so a template with a mistake fills what it can and says what it
could not."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The variables, each under its Chinese name and its English one, with what it means.
VARIABLES: dict[str, tuple[str, object]] = {
    "citizen_name": ("姓名", _("the citizen's name")),
    "number": ("编号", _("the case number")),
    "received_on": ("受理日期", _("the date the demand was received")),
    "today": ("今天", _("today's date")),
    "due_on": ("答复期限", _("the date the reply is due")),
    "department": ("部门", _("the department")),
}
ALIASES: dict[str, str] = {name: name for name in VARIABLES} | {
    chinese: name for name, (chinese, _label) in VARIABLES.items()
}

PATTERN = re.compile(r"[{｛]\s*([^{}｛｝\s]{1,30})\s*[}｝]")


@dataclass(frozen=True)
class Filled:
    """A template's text with its variables filled, and the names it used that are not variables."""

    text: str
    unknown: tuple[str, ...]


def template_variables(text: str) -> list[str]:
    """The names in braces in ``text``, in order, without repeats."""
    return list(dict.fromkeys(PATTERN.findall(text)))


def template_unknown(text: str) -> list[str]:
    """The names in braces in ``text`` that are not variables."""
    return [name for name in template_variables(text) if name not in ALIASES]


def template_fill(text: str, values: dict[str, str]) -> Filled:
    """``text`` with each variable replaced by ``values[<its English name>]`` (a missing value is
    empty); an unknown name is left as typed and listed in ``unknown``."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = ALIASES.get(match.group(1))
        if name is None:
            if match.group(1) not in unknown:
                unknown.append(match.group(1))
            return match.group(0)
        return str(values.get(name, ""))

    return Filled(PATTERN.sub(replace, text), tuple(unknown))


def reply_insert(
    value: str, *, typed: str, chosen: str, offers: dict[str, tuple[str, str, str]]
) -> tuple[str, str, dict[str, str] | None]:
    """The reply box after a helper's button: (its text, the template chosen, what to ask).

    ``value`` is the offer's key, with ``:replace``, ``:append`` or ``:cancel`` once asked. An
    empty box (or one holding just that text) takes the text at once; a box with other text is
    left as typed and the question returned: the offer's key and name. The page without JavaScript;
    with it, static/js/opinions.js does the same in the browser."""
    key, _sep, how = value.rpartition(":") if value.endswith((":replace", ":append", ":cancel")) else (value, "", "")
    offer = offers.get(key)
    if offer is None or how == "cancel":
        return typed, chosen, None
    _name, text, template = offer
    if how == "append":
        return f"{typed.rstrip()}\n\n{text}", template or chosen, None
    if how == "replace" or not typed.strip() or typed.strip() == text.strip():
        return text, template, None
    return typed, chosen, {"key": key, "name": offer[0]}
