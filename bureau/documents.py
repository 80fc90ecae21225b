"""Word (.docx) documents in the official format (GB/T 9704-2012), shared by the annual draft and
every printable sheet: A4 portrait, margins 37/35/28/26 mm, the title in 小标宋 size 2 (22 pt), text
in 仿宋 (East Asian fonts set through w:eastAsia, with fallbacks named in the font table), digits and
Latin letters in Times New Roman, the page number "— 1 —" at the foot.

A sheet (handling form, task sheet, roster…) is a title, a line under it and bordered tables of
cells; ``write_sheet`` lays it out so that its tables span the 156 mm between the margins."""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bureau.exports import bytes_response

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The page (GB/T 9704-2012: A4, 天头 37 mm, bottom 35 mm, 订口 28 mm, right 26 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm between the margins
# Fonts, each with the fallbacks Word is told of (the first that is installed is used).
TITLE_FONTS = ("方正小标宋简体", "华文中宋", "宋体")  # 小标宋
HEADING_FONTS = ("黑体", "SimHei")  # first-level headings 一、
SUBHEADING_FONTS = ("楷体_GB2312", "楷体", "KaiTi")  # second-level headings （一）
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong")  # body text
PAGE_NUMBER_FONTS = ("宋体", "SimSun")  # the page number at the foot
LATIN_FONT = "Times New Roman"  # digits and Latin letters
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四: a form's cells, so that a form stays on one page
SMALL_TABLE_SIZE = Pt(10.5)  # 五号: long tables (a month's roster)
LINE = Pt(28)  # fixed line spacing (22 lines of 28 characters on a page)
INDENT = Pt(32)  # two characters of 16 pt


def set_font(run, fonts: tuple[str, ...], size, *, bold: bool = False) -> None:
    """Set a run's font: the East Asian one through w:eastAsia (python-docx's ``font.name`` sets only
    the Latin ones), digits and Latin letters in Times New Roman."""
    run.font.size = size
    run.font.name = LATIN_FONT
    run.font.bold = bold or None
    run_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    run_fonts.set(qn("w:eastAsia"), fonts[0])


def set_layout(paragraph, *, indent=True, align=None, line=LINE) -> None:
    paragraph_format = paragraph.paragraph_format
    if line is None:
        paragraph_format.line_spacing = 1.0
    else:
        paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph_format.line_spacing = line
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)
    if indent:
        paragraph_format.first_line_indent = INDENT
        # Word measures the indent in characters too (200 = two), so it holds if the size changes.
        paragraph._element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if align is not None:
        paragraph.alignment = align


def add_paragraph(document, text: str, fonts: tuple[str, ...], size, **layout):
    paragraph = document.add_paragraph()
    set_layout(paragraph, **layout)
    set_font(paragraph.add_run(text), fonts, size)
    return paragraph


def declare_fallbacks(document) -> None:
    """Name each Chinese font in the font table with an alternative (w:altName), so a computer
    without 方正小标宋简体 or 仿宋_GB2312 uses 华文中宋 or 仿宋 rather than a Western font."""
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name="{fonts[0]}"><w:altName w:val="{fonts[1]}"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for fonts in (TITLE_FONTS, HEADING_FONTS, SUBHEADING_FONTS, BODY_FONTS)
    )
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def set_page(document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)
        add_page_number(section.footer.paragraphs[0])


def add_page_number(paragraph) -> None:
    """The page number centred at the foot, "— 1 —", in 宋体 size 4 (14 pt), as GB/T 9704 sets it."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONTS, Pt(14))
    page_field = OxmlElement("w:fldSimple")
    page_field.set(qn("w:instr"), "PAGE")
    number = paragraph.add_run("1")  # Word replaces it with the page's number
    set_font(number, PAGE_NUMBER_FONTS, Pt(14))
    number._element.addprevious(page_field)
    page_field.append(number._element)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONTS, Pt(14))


def set_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size, normal.font.name = BODY_SIZE, LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONTS[0])


def official_document():
    """A new, empty document with the official page, styles and font fallbacks."""
    document = Document()
    set_page(document)
    set_styles(document)
    declare_fallbacks(document)
    return document


# --- Sheets: a title and bordered tables ---------------------------------------------------------


class Label(str):
    """A cell that names the field beside it: shaded and centred, as on the paper form."""


@dataclass
class Cell:
    """A cell spanning ``span`` grid columns (a ``Label`` text is shown as a label)."""

    text: str
    span: int = 1


@dataclass
class Table:
    """Rows of cells over a grid whose column widths (mm) add up to the text width; a row's cells
    are strings (one column each) or ``Cell``s (spanning). ``header`` rows repeat on every page."""

    widths: Sequence[float]
    rows: list[list] = field(default_factory=list)
    header: int = 0
    size: object = TABLE_SIZE
    caption: str = ""


@dataclass
class SheetDocument:
    title: str
    tables: list[Table]
    meta: str = ""  # a line under the title, right-aligned (number, date printed)
    notes: list[str] = field(default_factory=list)  # paragraphs after the tables


# A form's grid: label, value, label, value (mm), spanning the text width.
FORM_WIDTHS = (26, 52, 26, 52)


def moment(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as the sheets show it: local time, "—" when there is none."""
    if value is None:
        return "—"
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime(fmt)


def text_or_dash(value) -> str:
    return str(value) if value else "—"


def _borders(table) -> None:
    """Single 0.5 pt borders on every edge and between every cell (the template has none)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)


def _shade(cell) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "F2F2F2")
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _write_cell(cell, text: str, size, *, label: bool) -> None:
    lines = str(text).split("\n") or [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        set_layout(paragraph, indent=False, line=None, align=WD_ALIGN_PARAGRAPH.CENTER if label else None)
        set_font(paragraph.add_run(line), BODY_FONTS, size, bold=False)
    if label:
        _shade(cell)


def add_table(document, spec: Table):
    """Add one bordered table with fixed column widths, filled from ``spec``."""
    if spec.caption:
        add_paragraph(document, spec.caption, HEADING_FONTS, TABLE_SIZE, indent=False, line=None)
    columns = len(spec.widths)
    table = document.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for index, width in enumerate(spec.widths):
        table.columns[index].width = Mm(width)
    for row_index, cells in enumerate(spec.rows):
        row = table.add_row()
        if row_index < spec.header:
            _repeat_header(row)
        column = 0
        for value in cells:
            item = value if isinstance(value, Cell) else Cell(value)
            cell = row.cells[column]
            if item.span > 1:
                cell = cell.merge(row.cells[column + item.span - 1])
            _write_cell(cell, item.text, spec.size, label=isinstance(item.text, Label) or row_index < spec.header)
            column += item.span
        for index, width in enumerate(spec.widths):
            row.cells[index].width = Mm(width)
    return table


def write_sheet(sheet: SheetDocument, stream) -> None:
    """Write a sheet (.docx) into ``stream``: the title centred in 小标宋, the meta line, the tables."""
    document = official_document()
    add_paragraph(document, sheet.title, TITLE_FONTS, TITLE_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    if sheet.meta:
        add_paragraph(
            document, sheet.meta, BODY_FONTS, SMALL_TABLE_SIZE, indent=False, line=None, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
    for spec in sheet.tables:
        add_table(document, spec)
    for note in sheet.notes:
        add_paragraph(document, note, BODY_FONTS, TABLE_SIZE, indent=False, line=None)
    document.save(stream)


def docx_response(*, filename: str, sheet: SheetDocument):
    buffer = io.BytesIO()
    write_sheet(sheet, buffer)
    return bytes_response(filename=filename, content=buffer.getvalue(), content_type=DOCX_CONTENT_TYPE)
