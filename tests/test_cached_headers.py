"""A page from the anonymous page cache carries every header the uncached page had,
security headers first: a hit must not be frameable when a miss is not."""

import pytest

from tests.conftest import add_profile
from tests.factories import CampaignPageFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "X-Frame-Options",
    "Strict-Transport-Security",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def production_security(settings):
    # As production.py has them; the middlewares read them when the test client
    # builds its handler, on its first request.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"


@pytest.fixture
def public_pages(prisoner_index, campaign_index):
    profile = add_profile(prisoner_index, title="Header Person", occupation="Poet")
    campaign = CampaignPageFactory(parent=campaign_index, title="Header Campaign")
    campaign.save_revision().publish()
    return {
        "home": "/en/",
        "register list": prisoner_index.url,
        "filtered register list": f"{prisoner_index.url}?status=sentenced",
        "profile": profile.url,
        "campaign": campaign.url,
        "transparency": "/en/transparency/",
    }


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "register list",
        "filtered register list",
        "profile",
        "campaign",
        "transparency",
    ],
)
def test_a_cached_page_has_exactly_the_headers_of_the_uncached_one(
    client, production_security, public_pages, page
):
    url = public_pages[page]

    first = client.get(url, secure=True)
    second = client.get(url, secure=True)

    assert first.status_code == second.status_code == 200, page
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for header in SECURITY_HEADERS:
        assert first.has_header(header), (page, header)
    uncached = {k: v for k, v in first.items() if k != "X-Page-Cache"}
    cached = {k: v for k, v in second.items() if k != "X-Page-Cache"}
    assert cached == uncached
    assert second.content == first.content


def test_a_cached_page_is_not_frameable_by_other_sites(
    client, production_security, public_pages
):
    client.get(public_pages["profile"], secure=True)

    hit = client.get(public_pages["profile"], secure=True)

    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Frame-Options"] == "SAMEORIGIN"
    assert "max-age=31536000" in hit["Strict-Transport-Security"]


def test_a_cached_page_never_hands_out_a_cookie(client, public_pages):
    client.get(public_pages["profile"])

    hit = client.get(public_pages["profile"])

    assert hit["X-Page-Cache"] == "hit"
    assert not hit.cookies
    assert "Set-Cookie" not in hit
