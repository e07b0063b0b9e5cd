"""Removing authors, companies, editing times and other metadata from documents.

A PDF or an office file remembers who wrote it, on whose computer, for which
organisation and when; a guide written by a lawyer in Minsk or a court decision
sent by a prisoner's family must not name them. Every stored document is cleaned
(see safedocs.signals): the content stays, the metadata goes.

The kind of file is told from its bytes, not its name: names come from uploaders,
and intake's files are named by reporters.
"""

import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile

from PIL import Image, UnidentifiedImageError

from safeimages.metadata import strip_metadata as strip_image_metadata

logger = logging.getLogger(__name__)

# Zip entries carry their own modification time; every one gets this instead.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/'
    b'dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/docPropsVTypes"/>'
)
_CUSTOM_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/docPropsVTypes"/>'
)
# Office Open XML (docx, xlsx, pptx): which parts to replace, and with what.
_OOXML_PARTS = {
    "docProps/core.xml": _CORE_XML,
    "docProps/app.xml": _APP_XML,
    "docProps/custom.xml": _CUSTOM_XML,
}
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

# What a PDF's document information dictionary may say, for the byte-level
# fallback below.
_PDF_INFO_KEYS = (
    rb"Author|Creator|Producer|Title|Subject|Keywords|CreationDate|ModDate|"
    rb"Company|SourceModified|Trapped"
)
_PDF_INFO_ENTRY = re.compile(
    rb"/(?:" + _PDF_INFO_KEYS + rb")\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)",
    re.DOTALL,
)
_XMP_PACKET = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)


def strip_document_metadata(data: bytes) -> bytes:
    """`data` without its metadata, for PDFs, office files (OOXML and ODF), RTF and
    images; any other file (CSV, plain text) is returned as it is."""
    if data.startswith(b"%PDF-"):
        return strip_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return strip_zip_document(data)
    if data.lstrip().startswith(b"{\\rtf"):
        return strip_rtf(data)
    if _is_image(data):
        return strip_image_metadata(data)[0]
    return data


def _is_image(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


class UnreadableDocument(ValueError):
    """A file whose metadata cannot be removed with certainty: corrupt, or not the
    kind of file its name says."""


class EncryptedPDF(UnreadableDocument):
    """A PDF locked with a password: neither we nor most visitors can open it."""


# What each allowed extension must contain; see `check_document`.
_PDF_EXTENSIONS = {"pdf"}
_ZIP_EXTENSIONS = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
_IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "webp"}
_RTF_EXTENSIONS = {"rtf"}
# Plain text has no metadata; whatever its bytes, strip_document_metadata still
# treats a renamed PDF or office file by what it is.
_TEXT_EXTENSIONS = {"csv", "txt"}
CHECKED_EXTENSIONS = (
    _PDF_EXTENSIONS
    | _ZIP_EXTENSIONS
    | _IMAGE_EXTENSIONS
    | _RTF_EXTENSIONS
    | _TEXT_EXTENSIONS
)


def check_document(data: bytes, extension: str) -> None:
    """Raise `UnreadableDocument` unless `data` is a readable file of the kind
    `extension` names, whose metadata strip_document_metadata can remove: the
    upload form refuses anything else rather than store it half-cleaned."""
    extension = extension.lower().lstrip(".")
    if extension not in CHECKED_EXTENSIONS:
        raise UnreadableDocument(f"no metadata check for .{extension} files")
    if extension in _PDF_EXTENSIONS:
        if not data.startswith(b"%PDF-"):
            raise UnreadableDocument("not a PDF")
        _rewrite_pdf(data)
    elif extension in _ZIP_EXTENSIONS:
        if not data.startswith(b"PK\x03\x04"):
            raise UnreadableDocument("not an office file")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                broken = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise UnreadableDocument(str(error)) from error
        if broken is not None:
            raise UnreadableDocument(f"damaged part {broken}")
    elif extension in _IMAGE_EXTENSIONS:
        if not _is_image(data):
            raise UnreadableDocument("not an image")
    elif extension in _RTF_EXTENSIONS:
        if not data.lstrip().startswith(b"{\\rtf"):
            raise UnreadableDocument("not an RTF file")


# --- PDF ---------------------------------------------------------------------------


def strip_pdf(data: bytes) -> bytes:
    """The PDF rewritten without its information dictionary (/Info) or XMP streams,
    in the document catalogue and on each page; pages and their content unchanged.

    A PDF pypdf cannot read is scrubbed in place instead (see `_scrub_pdf_bytes`);
    the admin's upload form refuses such a PDF before it gets here (see
    `check_document`), but other paths (intake, scripts) still store it.
    """
    try:
        return _rewrite_pdf(data)
    except EncryptedPDF:
        logger.warning("An encrypted PDF was stored with its bytes scrubbed only.")
    except UnreadableDocument as error:
        logger.warning("A PDF pypdf cannot read was scrubbed in place: %s", error)
    return _scrub_pdf_bytes(data)


def _rewrite_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedPDF("encrypted")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        for key in ("/Metadata", "/PieceInfo"):
            root.pop(NameObject(key), None)
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo"):
                page.pop(NameObject(key), None)
        # Cloning copied the information dictionary and XMP stream as objects;
        # unreferenced now, they would still be written out.
        writer.compress_identical_objects(
            remove_duplicates=False, remove_unreferenced=True
        )
        out = io.BytesIO()
        writer.write(out)
    except EncryptedPDF:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableDocument(str(error)) from error
    return out.getvalue()


def _scrub_pdf_bytes(data: bytes) -> bytes:
    """Metadata values and XMP packets overwritten with blanks of the same length,
    so that the cross-reference table's byte offsets still hold and whatever
    reader could open the file still can."""

    def blank_value(match: re.Match) -> bytes:
        start, end = match.span(1)
        value = match.group(1)
        inner = b" " * (len(value) - 2)
        return match.group(0)[: start - match.start()] + value[:1] + inner + value[-1:]

    data = _PDF_INFO_ENTRY.sub(blank_value, data)
    return _XMP_PACKET.sub(lambda m: b" " * len(m.group(0)), data)


# --- Zip-based office files ----------------------------------------------------------


def strip_zip_document(data: bytes) -> bytes:
    """An OOXML or ODF file with its property parts replaced by empty ones and its
    embedded photos without their EXIF, every other part copied as it was (same
    order and compression), with no entry's modification time or zip comment
    left."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
    except zipfile.BadZipFile:
        logger.warning("A file that looked like a zip could not be read; kept as is.")
        return data
    is_odf = "meta.xml" in names and "mimetype" in names
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in _OOXML_PARTS:
                content = _OOXML_PARTS[info.filename]
            elif is_odf and info.filename == "meta.xml":
                content = _empty_odf_meta(content)
            elif _is_embedded_photo(info.filename, content):
                # A photo pasted into a slide or a letter keeps its camera's EXIF
                # (place, time, device) inside the office file.
                content = strip_image_metadata(content)[0]
            clean = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            clean.compress_type = info.compress_type
            clean.external_attr = info.external_attr
            target.writestr(clean, content)
    return out.getvalue()


def _is_embedded_photo(name: str, content: bytes) -> bool:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension in _IMAGE_EXTENSIONS and _is_image(content)


def _empty_odf_meta(content: bytes) -> bytes:
    version = "1.2"
    try:
        version = ET.fromstring(content).get(f"{{{_ODF_OFFICE}}}version", version)
    except ET.ParseError:
        pass
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta xmlns:office="{_ODF_OFFICE}" '
        f'office:version="{version}"><office:meta/></office:document-meta>'
    ).encode()


# --- RTF -----------------------------------------------------------------------------


def strip_rtf(data: bytes) -> bytes:
    """The RTF without its {\\info ...} group (author, operator, company, times)."""
    start = data.find(b"{\\info")
    while start != -1:
        end = _closing_brace(data, start)
        if end is None:
            break
        data = data[:start] + data[end + 1 :]
        start = data.find(b"{\\info")
    return data


def _closing_brace(data: bytes, start: int) -> int | None:
    depth = 0
    index = start
    while index < len(data):
        char = data[index : index + 1]
        if char == b"\\":
            index += 2  # an escaped character, \{ or \} among them
            continue
        if char == b"{":
            depth += 1
        elif char == b"}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
