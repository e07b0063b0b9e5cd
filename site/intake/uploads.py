"""Files a reporter sends: kept in memory only, checked by their bytes, and images
re-encoded without metadata before anything is sealed."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeimages.metadata import strip_metadata

# Recognised by their first bytes, never by the name or the browser's say-so.
SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"PK\x03\x04": ("application/zip", "docx"),  # .docx, .odt, .xlsx
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


@dataclass(frozen=True)
class PlainFile:
    name: str
    content_type: str
    data: bytes


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Django writes uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file;
    a report's files must never touch the disk in the clear, so they stay in memory
    up to the report's own limit, and a bigger request is refused."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding):
        if content_length > settings.INTAKE_MAX_REQUEST_BYTES:
            raise StopUpload(connection_reset=True)
        self.activated = True


def content_type_of(data: bytes) -> str | None:
    for signature, (content_type, _extension) in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_files(uploaded) -> list[PlainFile]:
    """The uploaded files as PlainFiles, images without metadata; ValidationError
    with every problem, naming each file, otherwise."""
    limits = settings.INTAKE_FILE_LIMITS
    errors = []
    if len(uploaded) > limits["count"]:
        errors.append(
            ngettext(
                "Send at most %(count)d file.",
                "Send at most %(count)d files.",
                limits["count"],
            )
            % {"count": limits["count"]}
        )
    files = []
    total = 0
    for upload in uploaded:
        data = upload.read()
        total += len(data)
        name = (upload.name or "file")[-120:]
        if len(data) > limits["bytes"]:
            errors.append(
                _("%(name)s is larger than %(size)d MB.")
                % {"name": name, "size": limits["bytes"] // 1_000_000}
            )
            continue
        content_type = content_type_of(data)
        if content_type is None:
            errors.append(
                _(
                    "%(name)s is not a PDF, a photo (JPEG, PNG, WebP) or an "
                    "office document."
                )
                % {"name": name}
            )
            continue
        if content_type in IMAGE_TYPES:
            try:
                data, _format = strip_metadata(data)
            except Exception:
                errors.append(
                    _("%(name)s could not be read as an image.") % {"name": name}
                )
                continue
        files.append(PlainFile(name=name, content_type=content_type, data=data))
    if total > limits["total_bytes"]:
        errors.append(
            _("All files together must stay under %(size)d MB.")
            % {"size": limits["total_bytes"] // 1_000_000}
        )
    if errors:
        raise ValidationError(errors)
    return files


def strip_for_download(*, data: bytes, content_type: str) -> bytes:
    """A file sealed in the browser could not be cleaned before sealing; triage
    gets its images without metadata all the same."""
    if content_type not in IMAGE_TYPES:
        return data
    try:
        return strip_metadata(data)[0]
    except Exception:
        return data
