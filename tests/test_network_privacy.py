"""A member that is not public (membership may itself be a crime where it works)
and a member that has left the network appear on no public surface: not the
network page, not their own address, not the profiles they handle, the register's
filter, the API, the feeds, the sitemap, search, statements, the transparency page
or a page the cache kept from before the member was hidden."""

import datetime
import html

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import Signature
from network.choices import Activity
from network.demo_pages import ensure_network_pages
from tests.conftest import add_profile
from tests.network_factories import CaseHandlingFactory, MemberFactory

pytestmark = pytest.mark.django_db

HIDDEN = {
    "secret": {
        "name": "Zarichne Quiet Watch",
        "slug": "zarichne-watch",
        "description_en": "Documents arrests in Zarichne at great risk.",
        "contact_email": "quiet@zarichne-watch.example.org",
        "website": "https://zarichne-watch.example.org/",
        "is_public": False,
        "named_in_transparency": True,
    },
    "ended": {
        "name": "Former Dnipro Legal Aid",
        "slug": "former-dnipro-aid",
        "description_en": "Gave legal aid until it closed.",
        "contact_email": "desk@former-dnipro-aid.example.org",
        "website": "https://former-dnipro-aid.example.org/",
        "is_public": True,
        "ended_on": datetime.date(2025, 6, 30),
    },
}


def traces(member) -> list[str]:
    """Everything that would say the member is in the network."""
    return [
        member.name,
        member.slug,
        member.description_en,
        member.contact_email,
        member.website.split("//")[1].rstrip("/"),
    ]


@pytest.fixture
def network(home_pages, prisoner_index, statement):
    ensure_network_pages(home_pages)
    visible = MemberFactory(
        name="Open Lviv Defence", slug="open-lviv", activities=[Activity.ADVOCACY]
    )
    hidden = {key: MemberFactory(**fields) for key, fields in HIDDEN.items()}
    case = add_profile(prisoner_index, title="Hidden Helpers Case")
    for member in (visible, *hidden.values()):
        CaseHandlingFactory(member=member, profile=case)
    sign(statement, name="Open Lviv Defence")
    for member in hidden.values():
        # Signed under another name, from the member's own website.
        sign(statement, name=f"Coalition {member.pk}", website=member.website)
    return visible, hidden, case


def sign(statement, *, name, website=""):
    return Signature.objects.create(
        statement_key=statement.translation_key,
        kind=SignerKind.ORGANISATION,
        name=name,
        country="UA",
        website=website,
        email_digest=name,
        status=SignatureStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        approved=True,
    )


def fetch(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode("utf-8-sig"))


def public_surfaces(client, case, statement) -> dict[str, str]:
    urls = {
        "network en": "/en/network/",
        "network uk": "/uk/network/",
        "network ru": "/ru/network/",
        "network filtered": "/en/network/?activity=documentation",
        "profile": case.url,
        "register": "/en/prisoners/",
        "statement": statement.url,
        "transparency": "/en/transparency/",
        "transparency csv": "/en/transparency/transparency.csv",
        "api profiles": "/api/v2/pages/?type=prisoners.PrisonerPage&fields=*",
        "api profile": f"/api/v2/pages/{case.pk}/",
        "api pages": "/api/v2/pages/?fields=*",
        "api organisations": "/api/v2/organisations/",
        "rss": "/en/prisoners/feed/",
        "atom": "/en/prisoners/feed/atom/",
        "sitemap": "/sitemap.xml",
        "home": "/en/",
    }
    return {name: fetch(client, url) for name, url in urls.items()}


def test_hidden_and_ended_members_appear_on_no_public_surface(
    client, network, statement
):
    visible, hidden, case = network

    surfaces = public_surfaces(client, case, statement)

    for name, text in surfaces.items():
        for member in hidden.values():
            # The statement shows each signature as its signer gave it (website
            # included); what it must not add is anything of the member's.
            found = traces(member)[2:4] if name == "statement" else traces(member)
            for trace in [*found, f"/network/{member.slug}/"]:
                assert trace not in text, f"{trace!r} leaked through {name}"
    # The public member is there, so the surfaces were looked at for real.
    assert "Open Lviv Defence" in surfaces["network en"]
    assert "Open Lviv Defence" in surfaces["profile"]
    assert "open-lviv" in surfaces["api organisations"]
    assert "/en/network/open-lviv/" in surfaces["sitemap"]


def test_their_own_addresses_are_not_found(client, network):
    _visible, hidden, _case = network
    for member in hidden.values():
        for lang, _name in settings.LANGUAGES:
            assert client.get(f"/{lang}/network/{member.slug}/").status_code == 404
        api = client.get(f"/api/v2/organisations/{member.slug}/", follow=True)
        assert api.status_code == 404


def test_the_profile_api_names_only_the_public_member(client, network):
    _visible, _hidden, case = network

    data = client.get(f"/api/v2/pages/{case.pk}/").json()

    assert [h["slug"] for h in data["public_profile"]["handled_by"]] == ["open-lviv"]


def test_the_register_ignores_a_hidden_members_address_like_a_made_up_one(
    client, network, prisoner_index
):
    add_profile(prisoner_index, title="Unrelated Case")
    made_up = client.get("/en/prisoners/", {"member": "no-such-member"})

    for member in network[1].values():
        response = client.get("/en/prisoners/", {"member": member.slug})

        assert response.context["filters"].member == ""
        assert response.context["result_count"] == made_up.context["result_count"]
        assert [r["member__slug"] for r in response.context["counts"]["member"]] == [
            "open-lviv"
        ]


def test_search_finds_nothing_by_their_names(client, network):
    for member in network[1].values():
        response = client.get("/en/prisoners/", {"q": member.name})
        assert response.context["result_count"] == 0, member.name
        found = client.get("/api/v2/pages/", {"search": member.name}).json()
        assert found["meta"]["total_count"] == 0, member.name


def test_a_statement_links_no_hidden_member_though_its_signature_shows(
    client, network, statement
):
    page = fetch(client, statement.url)

    assert 'href="/en/network/open-lviv/"' in page
    for member in network[1].values():
        assert f"Coalition {member.pk}" in page
        assert f"/network/{member.slug}/" not in page


def test_a_cached_page_forgets_a_member_the_moment_it_is_hidden(
    client, network, statement
):
    visible, _hidden, case = network
    urls = [case.url, "/en/network/", "/en/prisoners/?member=open-lviv"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert client.get("/en/network/open-lviv/")["X-Page-Cache"] == "miss"
    assert client.get("/en/network/open-lviv/")["X-Page-Cache"] == "hit"
    assert "/network/open-lviv/" in fetch(client, statement.url)

    visible.is_public = False
    visible.save()

    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Open Lviv Defence" not in html.unescape(response.content.decode())
        assert "/network/open-lviv/" not in response.content.decode()
    assert client.get("/en/network/open-lviv/").status_code == 404
    # Pages the cache never keeps (the statement's signing form, the sitemap)
    # follow at once as well.
    for url in (statement.url, "/sitemap.xml"):
        assert "/network/open-lviv/" not in fetch(client, url), url


def test_a_member_that_leaves_vanishes_from_cached_pages_too(client, network):
    visible, _hidden, case = network
    client.get(case.url)
    assert client.get(case.url)["X-Page-Cache"] == "hit"

    visible.ended_on = datetime.date.today()
    visible.save()

    response = client.get(case.url)
    assert "Open Lviv Defence" not in html.unescape(response.content.decode())
    assert client.get("/en/network/open-lviv/").status_code == 404
