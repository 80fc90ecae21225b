"""The handling form (网络舆情处理单) as a Word document: the same fields as the printed page
(templates/opinions/demand_print.html), in full, in the official format of bureau/documents.py."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bureau.documents import FORM_WIDTHS, Cell, Label, SheetDocument, Table, moment, text_or_dash
from opinions.models import Demand
from opinions.selectors.handling_form import HandlingHistory


def _round_name(round_) -> str:
    if round_.is_redo:
        return _("Redo %(number)s") % {"number": round_.number}
    return _("First handling")


def handling_form_document(*, demand: Demand, history: HandlingHistory, show_citizen: bool, now) -> SheetDocument:
    citizen = text_or_dash(demand.citizen_name) if show_citizen else "—"
    contact = text_or_dash(demand.citizen_contact) if show_citizen else "—"
    post = demand.post
    form = Table(widths=FORM_WIDTHS)
    form.rows = [
        [Label(_("Subject")), Cell(demand.subject, 3)],
        [Label(_("Kind")), demand.get_kind_display(), Label(_("Level")), demand.get_level_display()],
        [Label(_("Channel")), demand.channel.name, Label(_("Post link")), text_or_dash(post.link if post else "")],
        [Label(_("Citizen")), citizen, Label(_("Contact")), contact],
        [
            Label(_("Found at")),
            moment(post.found_at if post else None),
            Label(_("Received at")),
            moment(demand.received_at),
        ],
        [
            Label(_("Dispatched at")),
            moment(history.dispatched_at),
            Label(_("Signed for at")),
            moment(history.signed_for_at),
        ],
        [
            Label(_("Department")),
            text_or_dash(demand.department.name if demand.department else ""),
            Label(_("Handler")),
            text_or_dash(demand.handler.name if demand.handler else ""),
        ],
        [Label(_("Reply due at")), moment(demand.due_at), Label(_("State")), demand.get_state_display()],
        [Label(_("Summary")), Cell(demand.content, 3)],
        [Label(_("Measures taken")), Cell(text_or_dash(demand.measures), 3)],
        [Label(_("Reply")), Cell(text_or_dash(demand.reply_text), 3)],
        [Label(_("Replied at")), moment(demand.replied_at), Label(_("Completed at")), moment(demand.completed_at)],
        [
            Label(_("Reviewed by")),
            text_or_dash(demand.reviewed_by.name if demand.reviewed_by else ""),
            Label(_("Review opinion")),
            text_or_dash(demand.review_opinion),
        ],
        [Label(_("How it was resolved")), Cell(text_or_dash(demand.resolution), 3)],
        [Label(_("Call-back")), Cell(text_or_dash(demand.get_satisfaction_display()), 3)],
    ]
    rounds = Table(widths=(22, 28, 20, 38, 20, 18, 10), header=1, caption=_("History of the case's rounds"))
    rounds.rows.append(
        [
            _("Round"),
            pgettext("handling form column", "Deadline"),
            pgettext("handling form column", "Signed for"),
            pgettext("handling form column", "Reply"),
            pgettext("handling form column", "Completed"),
            pgettext("handling form column", "Call-back"),
            pgettext("handling form column", "Pressed"),
        ]
    )
    for round_ in history.rounds:
        reply = " ".join(part for part in (moment(round_.replied_at, "%m-%d %H:%M"), round_.reply) if part != "—")
        rounds.rows.append(
            [
                _round_name(round_),
                moment(round_.due_at, "%m-%d %H:%M"),
                moment(round_.signed_for_at, "%m-%d %H:%M"),
                reply or "—",
                moment(round_.completed_at, "%m-%d %H:%M"),
                text_or_dash(round_.satisfaction),
                str(round_.presses),
            ]
        )
    signed_off = ""
    if demand.signed_off_by:
        signed_off = f"{demand.signed_off_by.name} {moment(demand.signed_off_at)}\n"
    sign = Table(widths=(26, 130))
    signature = _("Signature") + "：　　　　　　　　" + _("Date") + "："
    sign.rows = [
        [Label(_("Office head's opinion")), "\n\n" + signature],
        [Label(_("Leader's sign-off")), signed_off + "\n" + signature],
    ]
    meta = (
        _("No. %(number)s") % {"number": demand.number} + "　" + _("Printed %(day)s") % {"day": moment(now, "%Y-%m-%d")}
    )
    return SheetDocument(title=_("Online opinion handling form"), meta=meta, tables=[form, rounds, sign])
