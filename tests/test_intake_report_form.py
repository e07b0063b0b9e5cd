"""A reporter sends a case without JavaScript, keeps a receipt code and comes back."""

import io
import re

import pytest
from PIL import Image

from intake import services
from intake.models import Attachment, Entry, Report
from tests.intake_helpers import appoint, recovery_key

pytestmark = pytest.mark.django_db

FORM = {
    "person": "Ільмі Умеров",
    "relation": "relative",
    "where": "Сімферополь, СІЗО-1",
    "what_happened": "Затримали 12 березня, стаття 280.",
    "persecuted_by": ["state", "court"],
    "help_needed": ["lawyer"],
    "contact": "Signal +380000000000",
}


@pytest.fixture
def triage(django_user_model):
    user = django_user_model.objects.create_user(
        username="triage@example.org", email="triage@example.org"
    )
    recovery_key()
    return appoint(user)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 27.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def send(client, **extra):
    return client.post("/uk/report/", {**FORM, **extra})


def receipt_code(response) -> str:
    return re.search(r"<code>([0-9A-Z-]+)</code>", response.content.decode()).group(1)


def test_the_form_is_closed_while_nobody_can_read_reports(client):
    response = client.get("/uk/report/")
    assert response.status_code == 200
    assert (
        "не відкрита" in response.content.decode()
        or "not open" in response.content.decode()
    )
    assert 'name="person"' not in response.content.decode()


def test_a_report_without_javascript_is_sealed_and_gives_a_receipt_code(client, triage):
    response = send(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = receipt_code(response)
    assert len(code.replace("-", "")) == 32
    report = Report.objects.get()
    assert report.state == "new"
    assert report.language == "uk"
    assert report.envelopes.count() == 2  # triage and the recovery key
    assert b"Umerov" not in bytes(report.entries.get().sealed)
    assert "Умеров".encode() not in bytes(report.entries.get().sealed)


def test_bad_input_changes_nothing_and_says_what_is_wrong(client, triage):
    response = send(client, person="", what_happened="")
    assert response.status_code == 400
    assert Report.objects.count() == 0
    assert 'role="alert"' in response.content.decode()


def test_the_reporter_comes_back_reads_a_reply_and_adds_information(
    client, triage, django_user_model
):
    from nacl.public import PrivateKey  # noqa: F401

    code = receipt_code(send(client))
    report = Report.objects.get()
    key = triage_key(triage)
    services.reply_to_reporter(
        report=report,
        recipient=triage,
        key=key,
        by=triage.user,
        text="Ми з вами зв'яжемося.",
    )
    response = client.post(
        "/uk/report/check/", {"code": code.lower().replace("-", " ")}
    )
    assert response.status_code == 200
    assert "Ми з вами зв&#x27;яжемося." in response.content.decode()
    response = client.post(
        "/uk/report/check/", {"code": code, "text": "Суд призначено на 3 квітня."}
    )
    assert response.status_code == 200
    assert Entry.objects.filter(kind="addition").count() == 1
    opened = services.open_report(
        report=report, recipient=triage, key=key, user=triage.user
    )
    assert [o.content.get("text") for o in opened if o.entry.kind == "addition"] == [
        "Суд призначено на 3 квітня."
    ]


def test_a_wrong_code_says_nothing_about_whether_codes_exist(client, triage):
    send(client)
    wrong = client.post(
        "/uk/report/check/", {"code": "0000-0000-0000-0000-0000-0000-0000-0000"}
    )
    nonsense = client.post("/uk/report/check/", {"code": "hello"})
    assert wrong.status_code == nonsense.status_code == 404
    assert without_token(wrong) == without_token(nonsense)


def without_token(response) -> str:
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+', "", response.content.decode())


def test_guessing_codes_is_rate_limited(client, triage, settings):
    settings.INTAKE_RATE_LIMITS = {
        **settings.INTAKE_RATE_LIMITS,
        "receipt": {"limit": 3, "window": 3600},
    }
    statuses = [
        client.post("/uk/report/check/", {"code": "A" * 32}).status_code
        for _ in range(5)
    ]
    assert statuses == [404, 404, 404, 429, 429]


def test_photos_lose_their_metadata_before_they_are_sealed(client, triage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("arrest.jpg", jpeg_with_gps(), content_type="image/jpeg")
    send(client, files=[photo])
    attachment = Attachment.objects.get()
    meta, data = services.open_attachment(
        attachment=attachment,
        recipient=triage,
        key=triage_key(triage),
        user=triage.user,
    )
    assert meta == {"name": "arrest.jpg", "content_type": "image/jpeg"}
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()


def test_files_of_another_type_are_refused_and_nothing_is_kept(client, triage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile(
        "x.exe", b"MZ\x90\x00rest", content_type="application/pdf"
    )
    response = send(client, files=[script])
    assert response.status_code == 400
    assert "x.exe" in response.content.decode()
    assert Report.objects.count() == 0


def triage_key(recipient):
    from intake import crypto
    from tests.intake_helpers import PASSPHRASE

    return crypto.unwrap_private_key(
        wrapped=bytes(recipient.wrapped_private_key),
        passphrase=PASSPHRASE,
        salt=bytes(recipient.kdf_salt),
        ops=recipient.kdf_ops,
        mem=recipient.kdf_mem,
    )


def test_an_addition_sealed_in_the_browser_is_stored_as_it_came(client, triage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intake import crypto

    code = receipt_code(send(client))
    report = Report.objects.get()
    public_key = bytes(report.public_key)
    sealed_text = crypto.seal_json(public_key=public_key, value={"text": "Нові факти."})
    meta = crypto.seal_json(
        public_key=public_key,
        value={"name": "a.pdf", "content_type": "application/pdf"},
    )
    body = crypto.seal(public_key=public_key, data=b"%PDF-1.4 sealed")
    response = client.post(
        "/uk/report/check/",
        {
            "code": code,
            "sealed": "1",
            "sealed_content": crypto.b64(sealed_text),
            "sealed_meta": [crypto.b64(meta)],
            "sealed_files": [SimpleUploadedFile("sealed-0.bin", body)],
        },
    )
    assert response.status_code == 200
    addition = Entry.objects.get(kind="addition")
    assert bytes(addition.sealed) == sealed_text
    opened = services.open_report(
        report=report, recipient=triage, key=triage_key(triage), user=triage.user
    )
    added = next(o for o in opened if o.entry.kind == "addition")
    assert added.content == {"text": "Нові факти."}
    assert added.files[0][1]["name"] == "a.pdf"


def test_a_broken_sealed_addition_adds_nothing(client, triage):
    code = receipt_code(send(client))
    response = client.post(
        "/uk/report/check/", {"code": code, "sealed": "1", "sealed_content": "%%%"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Entry.objects.filter(kind="addition").exists()
