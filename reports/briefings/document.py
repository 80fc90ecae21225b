"""A briefing as a Word document in the official format (bureau/documents.py: A4, GB/T 9704
margins, the title in 小标宋, headings in 黑体, text in 仿宋 with a two-character indent), with the
落款 (the bureau's name and the day signed or drafted) right-aligned at the end. A signed briefing
says who signed it and when, and the SHA-256 of the signed text, in the page header."""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bureau.documents import (
    BODY_FONTS,
    BODY_SIZE,
    DOCX_CONTENT_TYPE,
    HEADING_FONTS,
    TITLE_FONTS,
    TITLE_SIZE,
    add_paragraph,
    official_document,
    set_font,
)
from bureau.exports import bytes_response
from reports.annual.draft import bureau_name
from reports.briefings.text import headed_sections
from reports.models import Briefing


def header_note(briefing: Briefing) -> str:
    if briefing.is_signed:
        return _("Signed off by %(name)s on %(at)s · SHA-256 %(sha)s") % {
            "name": str(getattr(briefing.signed_by, "person", None) or briefing.signed_by),
            "at": formats.date_format(timezone.localtime(briefing.signed_at), "DATETIME_FORMAT"),
            "sha": briefing.signed_sha256[:16],
        }
    return _("Draft, not signed off")


def write_briefing(*, briefing: Briefing, stream, language: str = "zh-hans") -> None:
    with translation.override(language):
        document = official_document()
        header = document.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_font(header.add_run(header_note(briefing)), BODY_FONTS, Pt(10.5))
        add_paragraph(document, briefing.title, TITLE_FONTS, TITLE_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        add_paragraph(document, "", BODY_FONTS, BODY_SIZE)
        for _key, heading, body in headed_sections(briefing):
            add_paragraph(document, heading, HEADING_FONTS, BODY_SIZE)
            for line in (body or "").split("\n"):
                if line.strip():
                    add_paragraph(document, line, BODY_FONTS, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        add_paragraph(document, "", BODY_FONTS, BODY_SIZE)
        day = timezone.localtime(briefing.signed_at or briefing.drafted_at).date()
        for line in (bureau_name(), formats.date_format(day, "DATE_FORMAT")):
            paragraph = add_paragraph(
                document, line, BODY_FONTS, BODY_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
            )
            paragraph.paragraph_format.right_indent = Pt(64)
        document.save(stream)


def briefing_docx_response(briefing: Briefing):
    buffer = io.BytesIO()
    write_briefing(briefing=briefing, stream=buffer)
    return bytes_response(
        filename=f"briefing-{briefing.kind}-{briefing.first.isoformat()}.docx",
        content=buffer.getvalue(),
        content_type=DOCX_CONTENT_TYPE,
    )
