"""Profile photos and news images are served as `<picture>`: AVIF and WebP in
several widths, a sized fallback. A photo without consent, or hidden, shows in no
form on any page."""

import re

import pytest

from prisoners.visibility import encode_hidden
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory
from tests.test_news import add_article, news  # noqa: F401  (the fixture)
from tests.test_visual_identity import upload

pytestmark = pytest.mark.django_db


def picture_with_class(html: str, css_class: str) -> str:
    """The `<picture>` whose `<img>` has `css_class`; fails when there is none."""
    match = re.search(
        rf'<picture>(?:(?!</picture>).)*class="{css_class}"(?:(?!</picture>).)*'
        r"</picture>",
        html,
        re.S,
    )
    assert match, f"no <picture> with an img of class {css_class}"
    return match.group(0)


def assert_responsive(picture: str) -> None:
    assert '<source type="image/avif" srcset="' in picture
    assert '<source type="image/webp" srcset="' in picture
    assert re.search(r'srcset="[^"]+ \d+w, [^"]+ \d+w', picture), "one width only"
    assert re.search(r'<img [^>]*width="\d+" height="\d+"', picture)


def image_urls(html: str, image) -> list[str]:
    """Every public image address of `image` in the page (its id is in the path)."""
    return re.findall(rf"/img/[^/\"\s]*/{image.pk}/[^\"\s,]*", html)


def test_a_profile_shows_its_consented_photo_as_a_responsive_picture(
    client, prisoner_index
):
    photo = upload(size=(900, 900))
    page = add_profile(prisoner_index, title="Pictured Person", photo=photo)

    html = client.get(page.url).content.decode()

    picture = picture_with_class(html, "profile__photo")
    assert_responsive(picture)
    assert 'alt="Photo of Pictured Person"' in picture


def test_the_register_card_shows_a_consented_photo_as_a_responsive_picture(
    client, prisoner_index
):
    add_profile(prisoner_index, title="Pictured Person", photo=upload(size=(600, 600)))

    html = client.get(prisoner_index.url).content.decode()

    assert_responsive(picture_with_class(html, "card__photo"))


@pytest.mark.parametrize(
    "withheld",
    [{"consent_photo": False}, {"hidden_fields": encode_hidden(["photo"])}],
    ids=["no consent", "hidden"],
)
def test_a_photo_without_consent_or_hidden_shows_on_no_page_in_any_form(
    client, prisoner_index, campaign_index, withheld
):
    photo = upload(size=(900, 900))
    page = add_profile(
        prisoner_index, title="Unpictured Person", photo=photo, **withheld
    )
    campaign = CampaignPageFactory(parent=campaign_index, title="Free them")
    campaign.prisoner_links.create(prisoner=page)
    campaign.save_revision().publish()

    for url in (page.url, prisoner_index.url, campaign.url):
        html = client.get(url).content.decode()
        assert "Unpictured Person" in html, url
        assert image_urls(html, photo) == [], url
        assert "profile__photo" not in html and "<picture>" not in html, url


def test_an_article_and_its_card_show_the_image_as_a_responsive_picture(
    client,
    news,  # noqa: F811
):
    article = add_article(news["en"], title="With an image", image=upload())

    article_html = client.get(article.url).content.decode()
    list_html = client.get(news["en"].url).content.decode()

    assert_responsive(picture_with_class(article_html, "article__image"))
    assert_responsive(picture_with_class(list_html, "card__hero"))
