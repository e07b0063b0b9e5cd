"""The API answers a draft's id with a 404 at once: no redirect to a /uk/ address
that only then says 404 (solidarity/language_prefix.py)."""

import pytest

from tests.test_news import news  # noqa: F401  (the fixture)


@pytest.mark.parametrize("endpoint", ["pages", "news"])
def test_a_draft_article_id_is_a_404_without_a_redirect(client, news, endpoint):  # noqa: F811
    response = client.get(f"/api/v2/{endpoint}/{news['draft'].pk}/")

    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.parametrize("endpoint", ["pages", "news"])
def test_a_live_article_id_answers_with_its_data(client, news, endpoint):  # noqa: F811
    response = client.get(f"/api/v2/{endpoint}/{news['live'].pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == "Court hearing in Simferopol"


def test_a_page_address_without_its_language_still_redirects_to_it(client, news):  # noqa: F811
    response = client.get("/news/")

    assert response.status_code == 302
    assert response["Location"] == "/uk/news/"
