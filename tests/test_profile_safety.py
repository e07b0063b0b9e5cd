"""Nothing hidden or unpublished reaches any public surface: pages, lists, search,
the API, feeds, the sitemap or the cache."""

import pytest
from wagtail.models import Page

from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "Colony No. 99, Barrack 7"
SECRET_OCCUPATION = "Glassblower"
LEGAL_NAME = "Realname Withheldovych"


@pytest.fixture
def guarded(prisoner_index):
    """A pseudonymous profile with its address and occupation hidden."""
    return add_profile(
        prisoner_index,
        title="Witness K",
        is_pseudonym=True,
        consent_name=False,
        legal_name=LEGAL_NAME,
        letter_address=SECRET_ADDRESS,
        occupation=SECRET_OCCUPATION,
        hidden_fields=",letters,occupation,",
        birth_year=1984,
    )


def public_surfaces(client, page):
    """Every public place a profile's words could appear, as text."""
    return {
        "page": client.get(page.url).content.decode(),
        "list": client.get("/en/prisoners/").content.decode(),
        "api_list": client.get(
            "/api/v2/pages/?type=prisoners.PrisonerPage&fields=*"
        ).content.decode(),
        "api_detail": client.get(f"/api/v2/pages/{page.pk}/").content.decode(),
        "rss": client.get("/en/prisoners/feed/").content.decode(),
        "atom": client.get("/en/prisoners/feed/atom/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
    }


def test_hidden_fields_and_the_legal_name_appear_on_no_public_surface(client, guarded):
    surfaces = public_surfaces(client, guarded)

    for name, text in surfaces.items():
        for secret in (SECRET_ADDRESS, SECRET_OCCUPATION, LEGAL_NAME, "Withheldovych"):
            assert secret not in text, f"{secret!r} leaked through {name}"
    assert "1984" in surfaces["page"]  # what is not hidden is shown
    assert "Witness K" in surfaces["api_list"]


def test_hidden_fields_are_not_searchable(client, guarded):
    response = client.get("/en/prisoners/", {"q": SECRET_OCCUPATION})
    assert response.context["result_count"] == 0

    response = client.get("/en/prisoners/", {"q": "Withheldovych"})
    assert response.context["result_count"] == 0


def test_the_search_index_holds_no_hidden_text(guarded):
    indexed = guarded.public_search_text()

    assert SECRET_OCCUPATION not in indexed
    assert SECRET_ADDRESS not in indexed
    assert LEGAL_NAME not in indexed


def test_a_photo_and_an_address_need_consent_as_well_as_visibility(prisoner_index):
    page = add_profile(
        prisoner_index,
        title="No Consent",
        consent_photo=False,
        consent_detention_place=False,
        letter_address="Somewhere",
    )

    assert not page.shows("photo")
    assert not page.shows("letters")
    assert "letters" not in page.public_profile()


def test_a_profile_without_consent_for_the_name_must_use_a_pseudonym(prisoner_index):
    from django.core.exceptions import ValidationError

    page = add_profile(prisoner_index, title="Named Person")
    page.consent_name = False
    page.is_pseudonym = False

    with pytest.raises(ValidationError, match="pseudonym"):
        page.full_clean()


def test_an_unpublished_profile_disappears_from_every_public_surface_at_once(
    client, prisoner_index, guarded
):
    url = guarded.url
    before = public_surfaces(client, guarded)  # also fills the page cache
    assert "Witness K" in before["list"]
    assert client.get(url)["X-Page-Cache"] == "hit"

    Page.objects.get(pk=guarded.pk).unpublish()

    assert client.get(url).status_code == 404
    detail = client.get(f"/api/v2/pages/{guarded.pk}/", follow=True)
    assert detail.status_code == 404
    for name, text in public_surfaces(client, guarded).items():
        assert "Witness K" not in text, f"still on {name}"
        if name != "page":  # the 404 page's language links echo the asked-for URL
            assert "witness-k" not in text, f"still linked from {name}"


def test_drafts_are_never_public(client, prisoner_index):
    from tests.factories import PrisonerPageFactory

    draft = PrisonerPageFactory(parent=prisoner_index, title="Draft Person", live=False)

    assert client.get(f"/en/prisoners/{draft.slug}/").status_code == 404
    assert "Draft Person" not in client.get("/en/prisoners/?q=Draft").content.decode()
    assert "Draft Person" not in client.get("/api/v2/pages/").content.decode()


def test_the_api_offers_no_images_or_documents_endpoint(client):
    for endpoint in ("/api/v2/images/", "/api/v2/documents/"):
        assert client.get(endpoint, follow=True).status_code == 404


def test_the_api_refuses_to_expose_private_fields_by_name(client, guarded):
    for field in ("legal_name", "consent_notes", "letter_address", "hidden_fields"):
        response = client.get(
            f"/api/v2/pages/?type=prisoners.PrisonerPage&fields={field}"
        )
        assert response.status_code == 400, field
        assert LEGAL_NAME not in response.content.decode()


def test_api_search_finds_only_public_text(client, guarded):
    by_secret = client.get(f"/api/v2/pages/?search={SECRET_OCCUPATION}").json()
    by_name = client.get("/api/v2/pages/?search=Witness").json()

    assert by_secret["meta"]["total_count"] == 0
    assert [item["title"] for item in by_name["items"]] == ["Witness K"]
