"""Absolute links in the API, the feeds and the sitemap lead to pages that answer."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import Site

from home.site_address import parse_site_url, set_default_site_address
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

SERVED_AT = "http://testserver:8000"


@pytest.fixture
def register_with_a_profile(prisoner_index):
    add_profile(prisoner_index, title="Nadia Example", slug="nadia-example")
    set_default_site_address(url=SERVED_AT)
    return prisoner_index


def absolute_links(text):
    return set(re.findall(r"https?://[^\s\"'<>]+", text))


def follow(client, url):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SERVED_AT, url
    return client.get(parts.path, HTTP_HOST=parts.netloc)


def our_links(text):
    return {link for link in absolute_links(text) if link.startswith(SERVED_AT)}


def test_a_site_address_is_split_into_host_and_port():
    assert parse_site_url("https://solidarity.example") == ("solidarity.example", 443)
    assert parse_site_url("http://127.0.0.1:8000/") == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    "bad", ["localhost", "ftp://example.org", "https://example.org/uk/", "http://:80"]
)
def test_an_address_that_is_not_a_site_root_is_refused(bad):
    with pytest.raises(ValidationError):
        parse_site_url(bad)


def test_the_demo_site_answers_where_it_is_served(home_pages):
    set_default_site_address(url="http://127.0.0.1:8000")
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8000"


def test_migrate_points_the_site_at_site_url(home_pages, settings):
    settings.SITE_URL = "https://solidarity.example"
    call_command("migrate", verbosity=0)
    assert Site.objects.get(is_default_site=True).root_url == (
        "https://solidarity.example"
    )


def test_the_command_refuses_a_bad_address_and_changes_nothing(home_pages):
    before = Site.objects.get(is_default_site=True).root_url
    with pytest.raises(Exception, match="not a site address"):
        call_command("set_site_address", "solidarity.example")
    assert Site.objects.get(is_default_site=True).root_url == before


def test_every_sitemap_link_answers(client, register_with_a_profile):
    sitemap = client.get("/sitemap.xml", HTTP_HOST="testserver:8000")
    links = our_links(sitemap.content.decode())
    assert any("nadia-example" in link for link in links)
    for link in links:
        assert follow(client, link).status_code == 200, link


def test_every_feed_link_answers(client, register_with_a_profile):
    index_path = register_with_a_profile.url
    for feed in ("feed/", "feed/atom/"):
        response = client.get(index_path + feed, HTTP_HOST="testserver:8000")
        assert response.status_code == 200
        links = our_links(response.content.decode())
        assert any("nadia-example" in link for link in links), feed
        for link in links:
            assert follow(client, link).status_code == 200, link


def test_every_api_link_answers(client, register_with_a_profile):
    response = client.get(
        "/api/v2/pages/?type=prisoners.PrisonerPage&fields=_,html_url",
        HTTP_HOST="testserver:8000",
    )
    assert response.status_code == 200, response.content[:300]
    links = {item["meta"]["html_url"] for item in response.json()["items"]}
    assert links and all(link.startswith(SERVED_AT) for link in links)
    for link in links:
        assert follow(client, link).status_code == 200, link
