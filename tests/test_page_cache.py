"""Anonymous visitors get cached pages; any change that affects them purges it."""

import pytest

from home.models import FooterText
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(prisoner_index):
    return add_profile(prisoner_index, title="Cached Person", occupation="Teacher")


def test_an_anonymous_visitor_gets_the_page_from_the_cache_the_second_time(
    client, profile
):
    first = client.get(profile.url)
    second = client.get(profile.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_change_purges_the_cache(client, profile):
    client.get(profile.url)

    profile.occupation = "Poet"
    profile.save_revision().publish()

    response = client.get(profile.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Poet" in response.content.decode()


def test_a_snippet_change_purges_the_cache(client, profile):
    client.get(profile.url)
    footer = FooterText.objects.filter(locale__language_code="en").first()
    footer.body = "<p>New footer words</p>"
    footer.save()

    assert "New footer words" in client.get(profile.url).content.decode()


def test_signed_in_people_never_see_or_fill_the_cache(client, profile, donor):
    client.force_login(donor)

    assert "X-Page-Cache" not in client.get(profile.url)
    assert "X-Page-Cache" not in client.get(profile.url)


def test_only_pages_are_cached_not_forms_or_other_views(client, home_pages):
    assert "X-Page-Cache" not in client.get("/en/accounts/login/")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_filtered_lists_are_cached_per_query(client, profile):
    client.get("/en/prisoners/?status=sentenced")

    assert client.get("/en/prisoners/?status=sentenced")["X-Page-Cache"] == "hit"
    assert client.get("/en/prisoners/?status=released")["X-Page-Cache"] == "miss"


@pytest.mark.redis
def test_the_page_cache_lives_in_redis_when_it_is_configured(client, profile, settings):
    import os

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "page-cache-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    client.get(profile.url)

    assert client.get(profile.url)["X-Page-Cache"] == "hit"
    profile.unpublish()
    assert client.get(profile.url).status_code == 404
    cache.clear()
