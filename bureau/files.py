"""Uploaded files: checked by content, stored under random names, served only after a permission
check. Every app that accepts attachments goes through here."""

import unicodedata
import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from bureau import clock

# Leading bytes of each kind we accept. OOXML files are zip archives told apart by their parts.
_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # legacy .doc/.xls
]
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_EXTENSIONS = {
    "pdf": {".pdf"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
    "gif": {".gif"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "pptx": {".pptx"},
    "doc": {".doc"},
    "xls": {".xls"},
    "csv": {".csv"},
    "txt": {".txt"},
}
DOCUMENT_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "docx", "xlsx", "pptx", "doc", "xls"})
_SNIFF_BYTES = 2048


def _ooxml_kind(uploaded_file) -> str | None:
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # The sniffed head may end in the middle of a multi-byte character.
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def detect_kind(uploaded_file, *, extension: str = "") -> str | None:
    """What the file really is, judged by its content (the extension only separates the legacy
    Office formats and the text formats, which share their content signatures)."""
    uploaded_file.seek(0)
    head = uploaded_file.read(_SNIFF_BYTES)
    uploaded_file.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "ole":
                return {".doc": "doc", ".xls": "xls"}.get(extension)
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(uploaded_file)
    if _is_text(head):
        return "csv" if extension == ".csv" else "txt"
    return None


def validate_upload(uploaded_file, *, allowed_kinds, max_bytes: int | None = None) -> str:
    """Check an upload's size and real type. Returns the kind; raises ValidationError."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if getattr(uploaded_file, "size", 0) > max_bytes:
        raise ValidationError(
            _("The file is too large: at most %(limit)s is allowed.") % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    extension = PurePath(uploaded_file.name or "").suffix.lower()
    kind = detect_kind(uploaded_file, extension=extension)
    if kind is None or kind not in allowed_kinds:
        raise ValidationError(
            _("This type of file is not accepted. Allowed: %(kinds)s.")
            % {"kinds": ", ".join(sorted(k.upper() for k in allowed_kinds))},
            code="bad_type",
        )
    if extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name does not match its content (it is a %(kind)s file).") % {"kind": kind.upper()},
            code="name_mismatch",
        )
    return kind


# Characters that reorder or hide text (bidi overrides and isolates, marks): "invoice\u202eexe.pdf"
# shows as "invoicefdp.exe". Escaping keeps them harmless on a page but they stay in the name.
_BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
    None,
)


def upload_display_name(filename: str | None, *, max_length: int = 200) -> str:
    """The name a file is shown and downloaded under: no folders, no control characters (NUL and
    the like) and no bidi controls; "file" when nothing is left."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].translate(_BIDI_CONTROLS)
    name = "".join(character for character in name if unicodedata.category(character) != "Cc").strip()
    return name[:max_length] or "file"


def random_upload_path(instance, filename: str) -> str:
    """uploads/<app>/<year>/<random><ext>: the stored name reveals nothing and cannot collide;
    the original name is kept in the model's own field for downloads."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"uploads/{instance._meta.app_label}/{clock.today().year}/{uuid.uuid4().hex}{extension}"


def protected_file_response(field_file, *, download_name: str) -> FileResponse:
    """Serve a stored file as a download. The caller has already checked the user may see it."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes UPLOAD_MAX_BYTES, so an oversized file never
    fills the disk or memory; the form then reports the file as missing/too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_was_too_large(request) -> bool:
    return getattr(request, "upload_too_large", False)
