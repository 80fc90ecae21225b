from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from proofing.selectors import parse_key

# More rows than any text has hits: a forged post cannot make the form build fields without end.
MAX_ROWS = 200


class ProofAcknowledgeForm(forms.Form):
    """The proofreading panel's one form: a row per open hit, its key (hidden) and its own reason,
    all submitted together, so a reason typed in one row is never lost by pressing another row's
    button. Every row with a reason is kept as written; the row whose button was pressed (``press``)
    must have one. The rows are the posted ones (``key-0``, ``reason-0``, ``key-1`` …).

    ``cleaned_data`` is ``{"reasons": {key: reason}}``, what the services take. A service's
    ValidationError keyed by hit keys is shown next to those rows (``add_error``)."""

    press = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = 0
        while self.data and self.row_count < MAX_ROWS and f"key-{self.row_count}" in self.data:
            self.row_count += 1
        for row in range(self.row_count):
            self.fields[f"key-{row}"] = forms.CharField(widget=forms.HiddenInput, max_length=500)
            self.fields[f"reason-{row}"] = forms.CharField(
                label=_("Why it stays as written"), max_length=500, required=False
            )

    def clean(self) -> dict[str, Any]:
        # What clean() returns becomes cleaned_data: the services' one argument, not the rows.
        data = super().clean()
        reasons: dict[str, str] = {}
        for row in range(self.row_count):
            key, reason = data.get(f"key-{row}"), (data.get(f"reason-{row}") or "").strip()
            if key and reason:
                reasons[key] = reason
        pressed = data.get("press")
        if pressed is not None and pressed < self.row_count and not (data.get(f"reason-{pressed}") or "").strip():
            self.add_error(f"reason-{pressed}", _("Say why the hit stays as written."))
        elif not reasons and not self.errors:
            self.add_error("reason-0" if self.row_count else None, _("Say why the hit stays as written."))
        return {"reasons": reasons}

    def add_error(self, field: str | None, error: Any) -> None:
        """A service's error keyed by hit keys goes next to those rows; any other key, or none,
        is the form's."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            rows = {self.data.get(f"key-{row}"): f"reason-{row}" for row in range(self.row_count)}
            for key, errors in error.error_dict.items():
                super().add_error(rows.get(key), errors)
            return
        super().add_error(field, error)

    def posted_rows(self) -> list[tuple[str, str, list[str]]]:
        """Each posted row: its key, what was typed and its errors."""
        data, errors = self.data, self.errors
        return [
            (data.get(f"key-{row}", ""), data.get(f"reason-{row}", ""), list(errors.get(f"reason-{row}", [])))
            for row in range(self.row_count)
        ]

    def row_for(self, key: str) -> tuple[str, list[str]]:
        """What was typed in the row of ``key`` and its errors ("" and none when not posted)."""
        return next(((reason, errors) for posted, reason, errors in self.posted_rows() if posted == key), ("", []))


def proof_panel(proof: Any, form: Any) -> dict[str, Any]:
    """The panel's rows and, from a refused form, what it says above them.

    Each row: the hit, its number among the open ones (None when acknowledged), what was typed
    there and why it was refused. Above the rows: that nothing typed was lost, refusals not tied
    to a row, and a posted row whose hit is no longer open (the text changed meanwhile) with its
    error and the reason typed for it. A form that is not the panel's (the demand page's refused
    form of another action) is ignored."""
    bound = form if isinstance(form, ProofAcknowledgeForm) and form.is_bound else None
    rows, number, shown = [], 0, set()
    for hit in proof.hits:
        if hit.acknowledgement is not None:
            rows.append({"hit": hit, "number": None, "reason": "", "errors": []})
            continue
        reason, errors = bound.row_for(hit.key) if bound else ("", [])
        rows.append({"hit": hit, "number": number, "reason": reason, "errors": errors})
        shown.add(hit.key)
        number += 1
    refusals: list[str] = []
    if bound is not None and bound.errors:
        refusals = [str(_("That could not be done; what you typed is kept below.")), *bound.non_field_errors()]
        for key, reason, errors in bound.posted_rows():
            parsed = parse_key(key)
            if key not in shown and errors and parsed:
                for error in errors:
                    refusals.append(
                        _("“%(written)s”: %(error)s The reason typed: %(reason)s")
                        % {"written": parsed[3], "error": error, "reason": reason}
                    )
    return {"rows": rows, "refusals": refusals}


def acknowledged_message(count: int) -> str:
    """What the page says after the panel's rows were kept: how many."""
    return ngettext(
        "Acknowledged: the hit stays as written, and the archive says who and why.",
        "Acknowledged: %(count)d hits stay as written, and the archive says who and why.",
        count,
    ) % {"count": count}
