"""The site's look is served from our own host: favicons, share cards drawn without
photographs, responsive pictures through the public_image view."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.template import Context, Template
from PIL import Image
from wagtail.models import PageViewRestriction

from safeimages.models import SafeImage
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db


def upload(name="photo.jpg", size=(1600, 1000)) -> SafeImage:
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG")
    return SafeImage.objects.create(
        title="Photo", file=ImageFile(io.BytesIO(out.getvalue()), name=name)
    )


def test_favicon_ico_is_not_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code in (200, 301, 302)
    assert response.status_code != 404


def test_the_base_template_links_the_favicons(client, home_pages):
    html = client.get(home_pages["en"].url).content.decode()

    assert 'rel="icon"' in html
    assert "favicon.svg" in html
    assert "apple-touch-icon.png" in html


def test_a_live_page_has_a_png_share_card(client, prisoner_index):
    page = add_profile(prisoner_index, title="Live Person")

    response = client.get(f"/share/{page.pk}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_a_draft_has_no_share_card(client, prisoner_index):
    from tests.factories import PrisonerPageFactory

    draft = PrisonerPageFactory(parent=prisoner_index, title="Secret Draft", live=False)

    assert client.get(f"/share/{draft.pk}.png").status_code == 404


def test_a_private_page_has_no_share_card(client, prisoner_index):
    page = add_profile(prisoner_index, title="Private Person")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert client.get(f"/share/{page.pk}.png").status_code == 404


def test_a_profiles_share_card_never_opens_its_photo(
    client, prisoner_index, monkeypatch
):
    photo = upload()
    page = add_profile(prisoner_index, title="With Photo", photo=photo)
    opened = []
    real_open = Image.open
    monkeypatch.setattr(
        Image, "open", lambda *a, **kw: opened.append(a) or real_open(*a, **kw)
    )

    response = client.get(f"/share/{page.pk}.png")

    assert response.status_code == 200
    assert opened == []


def render_picture(image) -> str:
    template = Template(
        "{% load responsive_images %}"
        '{% picture image widths="480,800" ratio="16:9" alt="A photo" %}'
    )
    return template.render(Context({"image": image}))


def test_picture_offers_avif_and_webp_in_several_widths_with_a_sized_img():
    html = render_picture(upload())

    assert '<source type="image/avif" srcset="' in html
    assert '<source type="image/webp" srcset="' in html
    assert re.search(r" 480w, \S+ 800w", html)
    assert re.search(r'<img [^>]*width="\d+" height="\d+"', html)


def test_picture_urls_are_public_image_urls_that_serve_avif_on_a_live_profile(
    client, prisoner_index
):
    photo = upload()
    add_profile(prisoner_index, title="Pictured", photo=photo)
    html = render_picture(photo)
    urls = re.findall(r'(?:src|srcset)="([^"]+)"', html)
    urls = [part.split()[0] for u in urls for part in u.split(", ")]

    assert urls and all(u.startswith("/img/") for u in urls)
    avif = re.search(r'type="image/avif" srcset="(\S+)', html).group(1)
    response = client.get(avif)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/avif"


EXTERNAL = re.compile(
    r'<(?:script|link|img|source)\b[^>]*\b(?:src|href|srcset)="((?:https?:)?//[^"]+)"'
)


def external_references(html: str) -> list[str]:
    return [
        url
        for url in EXTERNAL.findall(html)
        if not url.startswith(("http://testserver", "https://checkout.stripe.com"))
    ]


def test_home_profile_and_campaign_pages_reference_no_external_host(
    client, home_pages, prisoner_index, campaign_index
):
    from tests.factories import CampaignPageFactory

    profile = add_profile(prisoner_index, title="Someone", photo=upload())
    campaign = CampaignPageFactory(parent=campaign_index, hero_image=upload())
    campaign.save_revision().publish()

    for page in (home_pages["en"], profile, campaign):
        response = client.get(page.url)
        assert response.status_code == 200
        assert external_references(response.content.decode()) == []
    assert '<source type="image/avif"' in client.get(campaign.url).content.decode()
