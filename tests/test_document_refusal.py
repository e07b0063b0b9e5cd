"""A document whose hidden details cannot be removed with certainty is refused at
upload, with a message saying what to do, and nothing is stored."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from wagtail.documents import get_document_model


@pytest.fixture(autouse=True)
def admin_in_english(editor_with_totp):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor_with_totp)
    profile.preferred_language = "en"
    profile.save()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="How to write to a prisoner.")
    return bytes(pdf.output())


def a_pdf_with_a_password() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(a_pdf())))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(staff_client, name: str, data: bytes, content_type: str) -> dict:
    response = staff_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile(name, data, content_type)},
    )
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_damaged_pdf_is_refused_and_nothing_is_stored(staff_client):
    answer = upload(staff_client, "appeal.pdf", a_pdf()[:200], "application/pdf")

    assert not answer["success"]
    assert "damaged or is not really a .pdf file" in answer["error_message"]
    assert "extension" not in answer["error_message"]  # one clear message, not two
    assert not get_document_model().objects.exists()


def test_a_pdf_behind_a_password_is_refused(staff_client):
    answer = upload(
        staff_client, "appeal.pdf", a_pdf_with_a_password(), "application/pdf"
    )

    assert not answer["success"]
    assert "protected by a password" in json.dumps(answer)
    assert not get_document_model().objects.exists()


def test_a_file_that_is_not_what_its_extension_says_is_refused(staff_client):
    answer = upload(staff_client, "guide.docx", b"just some text", DOCX)

    assert not answer["success"]
    assert "not really a .docx file" in json.dumps(answer)
    assert not get_document_model().objects.exists()


def test_a_readable_pdf_is_accepted(staff_client):
    answer = upload(staff_client, "appeal.pdf", a_pdf(), "application/pdf")

    assert answer["success"]
    assert get_document_model().objects.count() == 1
