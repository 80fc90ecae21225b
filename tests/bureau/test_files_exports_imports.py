"""Uploads checked by content, formula-safe exports, and guarded spreadsheet imports."""

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bureau.exports import Sheet, csv_response, safe_cell, write_xlsx, xlsx_response
from bureau.files import DOCUMENT_KINDS, detect_kind, random_upload_path, validate_upload
from bureau.imports import read_table
from bureau.models import Equipment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("a.pdf", PDF, "pdf"), ("a.png", PNG, "png"), ("报表.xlsx", _xlsx_bytes([["x"]]), "xlsx")],
)
def test_upload_kind_comes_from_content(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content), allowed_kinds=DOCUMENT_KINDS) == kind


def test_a_script_named_pdf_is_refused():
    upload = SimpleUploadedFile("invoice.pdf", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        validate_upload(upload, allowed_kinds=DOCUMENT_KINDS)
    assert error.value.code == "bad_type"


def test_a_pdf_named_png_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("photo.png", PDF), allowed_kinds=DOCUMENT_KINDS)
    assert error.value.code == "name_mismatch"


def test_an_oversized_upload_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("a.pdf", PDF), allowed_kinds={"pdf"}, max_bytes=10)
    assert error.value.code == "too_large"


def test_a_plain_zip_is_not_taken_for_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", b"MZ")
    assert detect_kind(SimpleUploadedFile("a.docx", buffer.getvalue()), extension=".docx") is None


def test_stored_names_are_random_and_keep_the_extension():
    first = random_upload_path(Equipment(), "../../etc/passwd.PDF")
    second = random_upload_path(Equipment(), "../../etc/passwd.PDF")
    assert first != second
    assert first.startswith("uploads/bureau/")
    assert first.endswith(".pdf")
    assert ".." not in first


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x"])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_dates_stay_typed_and_local():
    moment = datetime(2026, 1, 1, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert safe_cell(-5) == -5
    assert safe_cell(moment) == datetime(2026, 1, 2, 0, 30)  # Asia/Shanghai, naive for Excel


def test_xlsx_export_opens_back_with_safe_cells():
    response = xlsx_response(
        filename="导出.xlsx",
        sheets=[Sheet(title="诉求", header=["标题", "数量"], rows=[['=HYPERLINK("x")', 3], ["正常", 4]])],
    )
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["诉求"]
    assert [cell.value for cell in sheet[1]] == ["标题", "数量"]
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["B2"].value == 3
    assert sheet.freeze_panes == "A2"


def test_dates_are_local_and_formatted_in_every_row():
    shanghai = ZoneInfo("Asia/Shanghai")
    rows = [
        [datetime(2026, 1, 1, 0, 30, tzinfo=shanghai), datetime(2025, 12, 31, 16, 0, tzinfo=ZoneInfo("UTC")).date()],
        [datetime(2026, 3, 2, 9, 15, tzinfo=shanghai), None],
        ["not a date", datetime(2026, 5, 1, tzinfo=shanghai).date()],
    ]
    buffer = io.BytesIO()
    write_xlsx([Sheet(title="时间", header=["时刻", "日期"], rows=rows)], buffer)
    sheet = load_workbook(buffer)["时间"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        [datetime(2026, 1, 1, 0, 30), datetime(2025, 12, 31)],
        [datetime(2026, 3, 2, 9, 15), None],
        ["not a date", datetime(2026, 5, 1)],
    ]
    assert sheet["A2"].number_format == sheet["A3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["B2"].number_format == sheet["B4"].number_format == "yyyy-mm-dd"


def test_csv_export_is_excel_friendly_and_safe():
    response = csv_response(filename="a.csv", header=["标题"], rows=[["=1+1"], ["好"]])
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["标题"], ["'=1+1"], ["好"]]


def test_write_xlsx_handles_many_rows_in_write_only_mode():
    buffer = io.BytesIO()
    write_xlsx([Sheet(title="大表", header=["n"], rows=([n] for n in range(20_000)))], buffer)
    assert sum(1 for _ in load_workbook(buffer, read_only=True)["大表"].iter_rows()) == 20_001


def test_read_table_reads_xlsx_and_both_csv_encodings():
    xlsx = SimpleUploadedFile("a.xlsx", _xlsx_bytes([["标题", "作者"], ["停车难", "张三"]]))
    assert read_table(xlsx, max_bytes=10**6, max_rows=100) == [["标题", "作者"], ["停车难", "张三"]]
    for encoding in ("utf-8-sig", "gb18030"):
        upload = SimpleUploadedFile("a.csv", "标题,作者\n停车难,张三\n".encode(encoding))
        assert read_table(upload, max_bytes=10**6, max_rows=100)[1] == ["停车难", "张三"]


def test_read_table_refuses_a_zip_bomb_before_opening_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError) as error:
        read_table(upload, max_bytes=10**7, max_rows=100)
    assert error.value.code == "bomb"


def test_read_table_reports_size_rows_and_type():
    with pytest.raises(ValidationError, match="too large|过大"):
        read_table(SimpleUploadedFile("a.csv", b"a,b\n" * 100), max_bytes=10, max_rows=10)
    with pytest.raises(ValidationError) as error:
        read_table(SimpleUploadedFile("a.csv", b"a\n" * 50), max_bytes=10**6, max_rows=10)
    assert error.value.code == "too_many_rows"
    with pytest.raises(ValidationError) as error:
        read_table(SimpleUploadedFile("a.xls", b"x"), max_bytes=10**6, max_rows=10)
    assert error.value.code == "bad_type"
    with pytest.raises(ValidationError) as error:
        read_table(SimpleUploadedFile("a.xlsx", b"not a zip"), max_bytes=10**6, max_rows=10)
    assert error.value.code == "bad_file"


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("invoice\u202eexe.pdf", "invoiceexe.pdf"),  # shown as "invoicefdp.exe" with the override kept
        ("C:\\Users\\张三\\通知\u2066.docx", "通知.docx"),
        ("../../etc/passwd\x00.pdf", "passwd.pdf"),
        ("\u200f\u202a", "file"),
        ("整改报告.pdf", "整改报告.pdf"),
    ],
)
def test_stored_file_names_lose_folders_controls_and_bidi_overrides(uploaded, kept):
    from bureau.files import upload_display_name

    assert upload_display_name(uploaded) == kept
