"""Uploaded images keep no metadata, and only a live page's consented photo is
served to the public."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images.views.serve import generate_image_url

from safeimages.models import SafeImage
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-location-note</x:xmpmeta>'


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyPhone"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to stand upright
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (44.0, 57.0, 0.0), 3: "E", 4: (34.0, 6.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), xmp=XMP, comment=b"taken at home")
    return out.getvalue()


def upload(data: bytes, name="photo.jpg") -> SafeImage:
    return SafeImage.objects.create(
        title="Photo", file=ImageFile(io.BytesIO(data), name=name)
    )


def stored_bytes(image: SafeImage) -> bytes:
    with image.file.open("rb") as f:
        return f.read()


def test_the_fixture_really_carries_gps_and_xmp():
    data = jpeg_with_gps()

    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)
    assert b"secret-location-note" in data and b"SpyPhone" in data


def test_an_uploaded_jpeg_loses_exif_gps_xmp_and_comments():
    image = upload(jpeg_with_gps())
    data = stored_bytes(image)

    with Image.open(io.BytesIO(data)) as stored:
        assert dict(stored.getexif()) == {}
        assert "xmp" not in stored.info and "comment" not in stored.info
    for marker in (b"SpyPhone", b"secret-location-note", b"taken at home", b"Exif"):
        assert marker not in data


def test_stripping_keeps_the_photo_the_right_way_up():
    image = upload(jpeg_with_gps())

    with Image.open(io.BytesIO(stored_bytes(image))) as stored:
        assert stored.size == (20, 40)  # the orientation tag was applied first
    assert (image.width, image.height) == (20, 40)


def test_png_text_chunks_are_removed_too():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "secret-location-note")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG", pnginfo=info)

    image = upload(out.getvalue(), name="photo.png")

    assert b"secret-location-note" not in stored_bytes(image)


def test_originals_are_not_served_to_the_public(client):
    image = upload(jpeg_with_gps())

    response = client.get(f"/media/{image.file.name}")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_originals_are_served_to_staff_who_passed_the_second_factor(staff_client):
    image = upload(jpeg_with_gps())

    response = staff_client.get(f"/media/{image.file.name}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(image)


def test_a_signed_in_donor_cannot_fetch_originals(client, donor):
    image = upload(jpeg_with_gps())
    client.force_login(donor)

    assert client.get(f"/media/{image.file.name}").status_code == 403


def public_url(image):
    return generate_image_url(image, "fill-80x80", viewname="public_image")


def test_an_image_no_page_shows_is_not_served(client):
    image = upload(jpeg_with_gps())

    assert client.get(public_url(image)).status_code == 404


def test_a_consented_photo_on_a_live_profile_is_served_until_unpublished(
    client, prisoner_index
):
    image = upload(jpeg_with_gps())
    page = add_profile(prisoner_index, title="With Photo", photo=image)

    response = client.get(public_url(image))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = client.get(page.url).content.decode()
    photo = html.split("<picture>", 1)[1].split("</picture>", 1)[0]
    shown = photo.split('<img src="', 1)[1].split('"', 1)[0]
    assert 'class="profile__photo"' in photo and shown.startswith("/img/")
    assert client.get(shown).status_code == 200

    page.unpublish()

    assert client.get(public_url(image)).status_code == 404


@pytest.mark.parametrize(
    "fields", [{"consent_photo": False}, {"hidden_fields": ",photo,"}]
)
def test_a_photo_without_consent_or_hidden_is_not_served(
    client, prisoner_index, fields
):
    image = upload(jpeg_with_gps())
    page = add_profile(prisoner_index, title="Private Photo", photo=image, **fields)

    assert client.get(public_url(image)).status_code == 404
    assert "/img/" not in client.get(page.url).content.decode()
