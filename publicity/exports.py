"""Publicity exports: header and rows from the selectors, written by ``bureau.exports``."""

from django.utils.translation import gettext as _

from bureau.exports import Sheet, rate_cell
from publicity.models import DisclosureItem, PublicityPost


def post_sheet(posts) -> Sheet:
    header = [
        _("Title"),
        _("State"),
        _("Department"),
        _("Author"),
        _("Platform"),
        _("Planned date"),
        _("Approved or returned by"),
        _("Leader's comment"),
        _("Published on"),
        _("Link"),
    ]
    states = dict(PublicityPost.State.choices)
    # Plain tuples, not model instances: the export of a year is thousands of rows.
    values = posts.values_list(
        "title",
        "state",
        "department__name",
        "author__name",
        "platform__name",
        "platform__section",
        "planned_on",
        "reviewer__name",
        "review_comment",
        "published_on",
        "link",
    )
    rows = (
        [
            title,
            str(states.get(state, state)),
            department,
            author,
            f"{platform} · {section}" if section else platform,
            planned_on,
            reviewer or "",
            comment,
            published_on,
            link,
        ]
        for title, state, department, author, platform, section, planned_on, reviewer, comment, published_on, link in (
            values.iterator(chunk_size=2000)
        )
    )
    return Sheet(_("Publicity"), header, rows, widths=[50, 10, 16, 10, 30, 12, 12, 30, 12, 40])


def progress_sheet(progress_list) -> Sheet:
    header = [_("Year"), _("Scope"), _("Quota"), _("Published"), _("Progress (%)"), _("Met on"), _("Projection")]
    rows = [
        [p.quota.year, p.quota.scope_label, p.minimum, p.published, rate_cell(p.percent), p.met_on, p.projection]
        for p in progress_list
    ]
    return Sheet(_("Quota progress"), header, rows, widths=[8, 30, 8, 10, 12, 12, 12])


def disclosure_sheet(items) -> Sheet:
    header = [
        _("Published on"),
        _("Title"),
        _("Category"),
        _("Document number"),
        _("Published where"),
        _("Department"),
        _("Approved by"),
        _("Link"),
    ]
    categories = dict(DisclosureItem.Category.choices)
    values = items.values_list(
        "published_on",
        "title",
        "category",
        "document_number",
        "platform__name",
        "platform__section",
        "department__name",
        "approved_by__name",
        "link",
    )
    rows = (
        [
            published_on,
            title,
            str(categories.get(category, category)),
            number,
            f"{platform} · {section}" if section else platform,
            department,
            approver,
            link,
        ]
        for published_on, title, category, number, platform, section, department, approver, link in (
            values.iterator(chunk_size=2000)
        )
    )
    return Sheet(_("Disclosure ledger"), header, rows, widths=[12, 50, 16, 20, 30, 16, 10, 40])
