"""Documents lose their authors, companies and editing times when they are stored,
whichever way they arrive (the admin's upload, code), and still open afterwards."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from wagtail.documents import get_document_model

from safedocs.metadata import strip_document_metadata

pytestmark = pytest.mark.django_db

AUTHOR = "Ivan Petrenko"
COMPANY = "Kharkiv Lawyers Bureau"


def pdf_with_an_author() -> bytes:
    pdf = FPDF()
    pdf.set_author(AUTHOR)
    pdf.set_title("Appeal to the CCF")
    pdf.set_creator("Secret Laptop of the Bureau")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="The appeal itself stays.")
    data = bytes(pdf.output())
    # And an XMP packet, as word processors write them.
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.xmp_metadata = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org'
        b'/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc'
        b'/elements/1.1/"><dc:creator>' + AUTHOR.encode() + b"</dc:creator>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CORE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-01T10:00:00Z</dcterms:created>
</cp:coreProperties>"""  # noqa: E501
APP_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>{COMPANY}</Company><TotalTime>412</TotalTime></Properties>"""  # noqa: E501
DOCUMENT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>How to write a letter</w:t></w:r></w:p></w:body></w:document>"""  # noqa: E501


def docx_with_a_creator() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("docProps/core.xml", CORE_XML)
        docx.writestr("docProps/app.xml", APP_XML)
        docx.writestr("word/document.xml", DOCUMENT_XML)
    return out.getvalue()


def odt_with_a_creator() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as odt:
        odt.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        odt.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:'
            'xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:'
            'meta:1.0" office:version="1.3"><office:meta><meta:initial-creator>'
            f"{AUTHOR}</meta:initial-creator></office:meta></office:document-meta>",
        )
        odt.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def stored(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def test_a_pdf_saved_as_a_document_loses_its_author_title_and_xmp_but_still_opens():
    document = get_document_model().objects.create(
        title="Appeal", file=ContentFile(pdf_with_an_author(), name="appeal.pdf")
    )

    data = stored(document)
    assert AUTHOR.encode() not in data
    assert b"Secret Laptop" not in data
    reader = PdfReader(io.BytesIO(data))
    assert not reader.metadata
    assert reader.xmp_metadata is None
    assert "The appeal itself stays." in reader.pages[0].extract_text()
    # Wagtail's size and hash describe the stored file, not the upload.
    assert document.file_size == len(data)


def test_a_docx_uploaded_in_the_admin_loses_its_creator_and_company(staff_client):
    upload = SimpleUploadedFile(
        "letter-guide.docx",
        docx_with_a_creator(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    response = staff_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload}
    )

    assert json.loads(response.content)["success"]
    data = stored(get_document_model().objects.get())
    assert AUTHOR.encode() not in data and COMPANY.encode() not in data
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        assert docx.testzip() is None
        assert b"How to write a letter" in docx.read("word/document.xml")
        assert b"creator" not in docx.read("docProps/core.xml")
        assert b"TotalTime" not in docx.read("docProps/app.xml")
        assert {i.date_time for i in docx.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_odt_loses_its_creator_and_keeps_its_mimetype_first_and_uncompressed():
    data = strip_document_metadata(odt_with_a_creator())

    assert AUTHOR.encode() not in data
    with zipfile.ZipFile(io.BytesIO(data)) as odt:
        first = odt.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert b'office:version="1.3"' in odt.read("meta.xml")


def test_an_image_saved_as_a_document_loses_its_exif():
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(photo, format="JPEG", exif=exif)

    document = get_document_model().objects.create(
        title="Court", file=ContentFile(photo.getvalue(), name="court.jpg")
    )

    with Image.open(io.BytesIO(stored(document))) as image:
        assert not image.getexif()


def test_an_rtf_loses_its_info_group():
    rtf = (
        b"{\\rtf1\\ansi{\\info{\\author " + AUTHOR.encode() + b"}{\\company X\\}Y}}"
        b"Body text\\par}"
    )

    assert strip_document_metadata(rtf) == b"{\\rtf1\\ansiBody text\\par}"


def test_a_pdf_pypdf_cannot_read_keeps_its_length_and_loses_the_author():
    broken = b"%PDF-1.4\n1 0 obj << /Author (Ivan \\) Petrenko) /Title <4142> >>"

    clean = strip_document_metadata(broken)

    assert len(clean) == len(broken)
    assert b"Petrenko" not in clean and b"4142" not in clean
    assert clean.startswith(b"%PDF-1.4\n1 0 obj << /Author (")


def test_plain_text_is_stored_as_it_is():
    assert strip_document_metadata(b"name,count\nA,1\n") == b"name,count\nA,1\n"
