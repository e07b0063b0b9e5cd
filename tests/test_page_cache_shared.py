"""Behind a CDN or Varnish: what anonymous and session pages tell a shared cache."""

import pytest

from tests.conftest import add_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(prisoner_index):
    return add_profile(prisoner_index, title="Proxied Person", occupation="Teacher")


def test_a_cached_page_lets_a_shared_cache_keep_it_only_for_a_second(
    client, profile, settings
):
    settings.PAGE_CACHE_SHARED_SECONDS = 1
    response = client.get(profile.url)

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=1"}
    assert "Cookie" in response["Vary"]


def test_a_hit_tells_the_shared_cache_what_the_miss_told_it(client, profile):
    miss = client.get(profile.url)
    hit = client.get(profile.url)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Cache-Control", "Vary", "Content-Language"):
        assert hit.get(header) == miss.get(header), header


def test_a_page_rendered_for_a_signed_in_visitor_is_private(client, profile, donor):
    client.force_login(donor)
    response = client.get(profile.url)

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_forms_stay_uncacheable_for_everyone(client, home_pages):
    response = client.get("/en/accounts/login/")

    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
