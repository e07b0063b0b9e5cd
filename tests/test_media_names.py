"""Stored images, renditions and documents get random file names: an uploaded
name such as "ivan-petrenko.jpg" names the person, and URLs would repeat it."""

import io
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images.views.serve import generate_image_url

from safeimages.models import SafeImage
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

NAME_PARTS = ("ivan", "petrenko")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "blue").save(out, "JPEG")
    return out.getvalue()


def names_nobody(text: str) -> bool:
    return not any(part in text.lower() for part in NAME_PARTS)


def upload_image(name="Ivan-Petrenko.JPG") -> SafeImage:
    return SafeImage.objects.create(
        title="Portrait", file=ImageFile(io.BytesIO(jpeg()), name=name)
    )


def test_an_uploaded_image_is_stored_under_a_random_name_with_its_extension():
    image = upload_image()

    assert image.file.name.startswith("original_images/")
    assert image.file.name.endswith(".jpg")
    assert names_nobody(image.file.name)
    assert names_nobody(image.file.url)


def test_two_uploads_of_the_same_name_get_different_names():
    assert upload_image().file.name != upload_image().file.name


def test_renditions_and_public_image_urls_name_nobody(client, prisoner_index):
    image = upload_image()
    page = add_profile(prisoner_index, title="Pseudonym", photo=image)

    rendition = image.get_rendition("fill-300x300")
    public_url = generate_image_url(image, "fill-300x300", viewname="public_image")

    assert names_nobody(rendition.file.name) and rendition.file.name.endswith(".jpg")
    assert names_nobody(rendition.url)
    assert names_nobody(public_url)
    assert client.get(public_url).status_code == 200
    html = client.get(page.url).content.decode()
    assert "/img/" in html
    assert names_nobody(html)


def test_an_image_uploaded_through_the_admin_gets_a_random_name(staff_client):
    upload = SimpleUploadedFile("ivan-petrenko.jpg", jpeg(), "image/jpeg")

    response = staff_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload}
    )

    assert response.status_code == 200, response.content
    assert json.loads(response.content)["success"]
    image = SafeImage.objects.get()
    assert names_nobody(image.file.name) and image.file.name.endswith(".jpg")


def test_an_uploaded_document_is_stored_and_linked_under_a_random_name():
    document = get_document_model().objects.create(
        title="Decision", file=ContentFile(b"%PDF-1.4", name="ivan-petrenko.pdf")
    )

    assert document.file.name.startswith("documents/")
    assert document.file.name.endswith(".pdf")
    assert names_nobody(document.file.name)
    assert names_nobody(document.url)


def test_a_document_uploaded_through_the_admin_gets_a_random_name(staff_client):
    from pypdf import PdfWriter

    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    upload = SimpleUploadedFile("ivan-petrenko.pdf", pdf.getvalue(), "application/pdf")

    response = staff_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload}
    )

    assert response.status_code == 200, response.content
    assert json.loads(response.content)["success"]
    document = get_document_model().objects.get()
    assert names_nobody(document.file.name) and document.file.name.endswith(".pdf")


def stored_before_names_were_random(path: str, data: bytes) -> str:
    # As an upload made before this change left it: the person's name on disk.
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def run_data_migration(module: str) -> None:
    import importlib

    importlib.import_module(module).randomise_names(apps, None)


def test_the_migration_renames_images_stored_under_their_uploaded_names():
    image = upload_image()
    old_name = stored_before_names_were_random(
        "original_images/ivan-petrenko.jpg", jpeg()
    )
    SafeImage.objects.filter(pk=image.pk).update(file=old_name)
    rendition = image.get_rendition("fill-30x30")
    old_rendition = stored_before_names_were_random(
        "images/ivan-petrenko.2e16d0ba.fill-30x30.jpg", jpeg()
    )
    type(rendition).objects.filter(pk=rendition.pk).update(file=old_rendition)

    run_data_migration("safeimages.migrations.0002_random_file_names")

    image = SafeImage.objects.get(pk=image.pk)  # without its remembered renditions
    assert names_nobody(image.file.name) and image.file.name.endswith(".jpg")
    assert default_storage.exists(image.file.name)
    assert not default_storage.exists(old_name)
    assert not default_storage.exists(old_rendition)
    assert not image.renditions.filter(file=old_rendition).exists()
    assert names_nobody(image.get_rendition("fill-30x30").url)


def test_the_migration_renames_documents_stored_under_their_uploaded_names():
    Document = get_document_model()
    document = Document.objects.create(
        title="Decision", file=ContentFile(b"%PDF-1.4 old", name="x.pdf")
    )
    old_name = stored_before_names_were_random(
        "documents/ivan-petrenko.pdf", b"%PDF-1.4 old"
    )
    Document.objects.filter(pk=document.pk).update(file=old_name)

    run_data_migration("safedocs.migrations.0001_random_file_names")

    document.refresh_from_db()
    assert names_nobody(document.file.name) and document.file.name.endswith(".pdf")
    with document.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 old"
    assert not default_storage.exists(old_name)
