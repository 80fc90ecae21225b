"""The publicity approval form (信息发布审批表) as a Word document: the same fields as its printed
page (templates/publicity/post_print.html), in full, in the official format."""

from django.utils.translation import gettext as _

from bureau.documents import FORM_WIDTHS, Cell, Label, SheetDocument, Table, moment, text_or_dash
from publicity.models import PublicityPost


def approval_document(*, post: PublicityPost, now) -> SheetDocument:
    signature = _("Signature") + "：　　　　　　　　" + _("Date") + "："
    sheet = Table(widths=FORM_WIDTHS)
    sheet.rows = [
        [Label(_("Title")), Cell(post.title, 3)],
        [Label(_("Department")), post.department.name, Label(_("Platform")), str(post.platform)],
        [Label(_("Submitted by")), post.author.name, Label(_("Submitted at")), moment(post.submitted_at)],
        [Label(_("Planned date")), moment(post.planned_on, "%Y-%m-%d"), Label(_("State")), post.get_state_display()],
        [Label(_("Text")), Cell(post.body, 3)],
        [
            Label(_("Approved or returned by")),
            text_or_dash(post.reviewer.name if post.reviewer else ""),
            Label(_("Approved or returned at")),
            moment(post.reviewed_at),
        ],
        [Label(_("Leader's opinion")), Cell(f"{post.review_comment}\n\n{signature}".lstrip("\n"), 3)],
        [
            Label(_("Published on")),
            moment(post.published_on, "%Y-%m-%d"),
            Label(_("Link")),
            text_or_dash(post.link),
        ],
    ]
    return SheetDocument(
        title=_("Information release approval form"),
        meta=_("Printed %(day)s") % {"day": moment(now, "%Y-%m-%d")},
        tables=[sheet],
    )
