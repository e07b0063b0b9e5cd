"""The network's public face: the member list and its filters, a member's page, who
handles a case on the profile, the register's member filter, the API and the
statement's signatory links."""

import datetime
import html

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import CampaignPrisoner, Signature
from network.choices import Activity, CaseRole, WorkLanguage
from network.demo_pages import ensure_network_pages
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory
from tests.network_factories import CaseHandlingFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(home_pages):
    return ensure_network_pages(home_pages)


@pytest.fixture
def members(network):
    return {
        "lawyers": MemberFactory(
            name="Kharkiv Lawyers Circle",
            slug="kharkiv-lawyers",
            country="UA",
            activities=[Activity.LEGAL_DEFENCE, Activity.INTERPOL],
            work_languages=[WorkLanguage.UK, WorkLanguage.RU],
            description_en="Lawyers who defend people in Russian courts.",
            description_uk="Адвокати, що захищають людей у російських судах.",
            website="https://www.kharkiv-lawyers.example.org/",
            contact_email="help@kharkiv-lawyers.example.org",
            joined_on=datetime.date(2021, 9, 14),
        ),
        "asylum": MemberFactory(
            name="Vilnius Asylum Desk",
            slug="vilnius-asylum",
            country="LT",
            activities=[Activity.ASYLUM, Activity.FAMILY_SUPPORT],
            work_languages=[WorkLanguage.LT, WorkLanguage.EN],
            description_en="We walk beside people seeking asylum.",
        ),
    }


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_the_network_page_lists_public_members_in_every_language(client, members):
    for url in ("/en/network/", "/uk/network/", "/ru/network/"):
        page = text(client.get(url))
        assert "Kharkiv Lawyers Circle" in page, url
        assert "Vilnius Asylum Desk" in page, url


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        ({"activity": "asylum"}, "Vilnius Asylum Desk", "Kharkiv Lawyers Circle"),
        ({"country": "UA"}, "Kharkiv Lawyers Circle", "Vilnius Asylum Desk"),
        ({"country": "ua"}, "Kharkiv Lawyers Circle", "Vilnius Asylum Desk"),
        ({"language": "ru"}, "Kharkiv Lawyers Circle", "Vilnius Asylum Desk"),
        ({"language": "lt"}, "Vilnius Asylum Desk", "Kharkiv Lawyers Circle"),
    ],
)
def test_the_network_page_filters_by_activity_country_and_language(
    client, members, query, shown, not_shown
):
    response = client.get("/en/network/", query)

    names = [m.name for m in response.context["members"]]
    assert shown in names
    assert not_shown not in names


def test_unknown_filter_values_are_ignored(client, members):
    response = client.get(
        "/en/network/",
        {"activity": "smuggling", "country": "ZZ", "language": '"uk'},
    )

    assert len(response.context["members"]) == 2
    assert response.context["filters"].as_query() == {}


def test_a_member_page_shows_what_the_member_is_in_the_visitors_language(
    client, members
):
    english = text(client.get("/en/network/kharkiv-lawyers/"))
    ukrainian = text(client.get("/uk/network/kharkiv-lawyers/"))

    assert "Lawyers who defend people in Russian courts." in english
    assert "Адвокати, що захищають людей у російських судах." in ukrainian
    assert "Legal defence" in english
    assert "INTERPOL, CCF and extradition" in english
    assert "Ukrainian, Russian" in english
    assert "Ukraine" in english
    assert 'href="https://www.kharkiv-lawyers.example.org/"' in english
    assert "mailto:help@kharkiv-lawyers.example.org" in english
    assert "14 September 2021" in english or "Sept. 14, 2021" in english


def test_an_unknown_member_address_is_not_found(client, members):
    assert client.get("/en/network/nobody-by-this-name/").status_code == 404


def test_a_member_page_lists_its_public_cases_and_their_campaigns(
    client, members, prisoner_index, campaign_index
):
    handled = add_profile(prisoner_index, title="Handled Person")
    other = add_profile(prisoner_index, title="Someone Else")
    draft = add_profile(prisoner_index, title="Unpublished Person")
    draft.unpublish()
    for profile in (handled, draft):
        CaseHandlingFactory(member=members["lawyers"], profile=profile)
    CaseHandlingFactory(member=members["asylum"], profile=other)
    campaign = CampaignPageFactory(parent=campaign_index, title="Free Handled Person")
    CampaignPrisoner.objects.create(campaign=campaign, prisoner=handled)
    campaign.save_revision().publish()

    page = text(client.get("/en/network/kharkiv-lawyers/"))

    assert "Handled Person" in page
    assert "Free Handled Person" in page
    assert "Someone Else" not in page
    assert "Unpublished Person" not in page


def test_the_profile_names_its_handlers_with_links_and_only_public_roles(
    client, members, prisoner_index
):
    profile = add_profile(prisoner_index, title="Defended Person")
    CaseHandlingFactory(
        member=members["lawyers"], profile=profile, role=CaseRole.LEGAL_DEFENCE
    )
    CaseHandlingFactory(
        member=members["asylum"],
        profile=profile,
        role=CaseRole.FAMILY_SUPPORT,
        role_public=False,
    )

    page = text(client.get(profile.url))

    assert "Handled by" in page
    assert 'href="/en/network/kharkiv-lawyers/">Kharkiv Lawyers Circle</a>' in page
    assert 'href="/en/network/vilnius-asylum/">Vilnius Asylum Desk</a>' in page
    assert "Legal defence" in page
    assert "Family support" not in page


def test_a_profile_nobody_handles_shows_no_handlers(client, members, prisoner_index):
    profile = add_profile(prisoner_index, title="Unattributed Person")

    assert "Handled by" not in text(client.get(profile.url))


def test_the_register_filters_by_member(client, members, prisoner_index):
    handled = add_profile(prisoner_index, title="Handled Person")
    add_profile(prisoner_index, title="Someone Else")
    CaseHandlingFactory(member=members["lawyers"], profile=handled)

    response = client.get("/en/prisoners/", {"member": "kharkiv-lawyers"})

    assert [p.title for p in response.context["results"]] == ["Handled Person"]
    assert response.context["filters"].member == "kharkiv-lawyers"
    assert 'value="kharkiv-lawyers" selected' in text(response)


def test_an_unknown_member_in_the_register_filter_is_ignored(
    client, members, prisoner_index
):
    add_profile(prisoner_index, title="Someone Else")

    response = client.get("/en/prisoners/", {"member": "made-up"})

    assert response.context["result_count"] == 1
    assert response.context["filters"].member == ""


def test_the_api_gives_a_profiles_public_handlers(client, members, prisoner_index):
    profile = add_profile(prisoner_index, title="Defended Person")
    CaseHandlingFactory(member=members["lawyers"], profile=profile)
    CaseHandlingFactory(member=members["asylum"], profile=profile, role_public=False)

    data = client.get(f"/api/v2/pages/{profile.pk}/").json()

    handlers = data["public_profile"]["handled_by"]
    assert [(h["slug"], h["role"]) for h in handlers] == [
        ("kharkiv-lawyers", "legal_defence"),
        ("vilnius-asylum", None),
    ]
    assert handlers[0]["url"].endswith("/en/network/kharkiv-lawyers/")


def test_the_organisations_endpoint_lists_public_members(client, members):
    data = client.get("/api/v2/organisations/").json()

    assert data["meta"]["total_count"] == 2
    lawyers = next(i for i in data["items"] if i["slug"] == "kharkiv-lawyers")
    assert lawyers == {
        "name": "Kharkiv Lawyers Circle",
        "slug": "kharkiv-lawyers",
        "country": "UA",
        "activities": ["legal_defence", "interpol"],
        "work_languages": ["uk", "ru"],
        "website": "https://www.kharkiv-lawyers.example.org/",
        "contact_email": "help@kharkiv-lawyers.example.org",
        "joined_on": "2021-09-14",
        "url": {
            code: f"http://localhost/{code}/network/kharkiv-lawyers/"
            for code, _name in settings.LANGUAGES
        },
    }
    one = client.get("/api/v2/organisations/kharkiv-lawyers/").json()
    assert one == lawyers


def test_the_sitemap_has_the_network_page_and_each_public_member(client, members):
    sitemap = text(client.get("/sitemap.xml"))

    assert "/en/network/</loc>" in sitemap
    assert "/en/network/kharkiv-lawyers/</loc>" in sitemap
    assert "/uk/network/vilnius-asylum/</loc>" in sitemap


def sign(statement, *, name, website="", approved=True):
    return Signature.objects.create(
        statement_key=statement.translation_key,
        kind=SignerKind.ORGANISATION,
        name=name,
        country="UA",
        website=website,
        email_digest=name,
        status=SignatureStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        approved=approved,
    )


def test_a_signatory_that_is_a_member_links_to_its_member_page(
    client, members, statement
):
    sign(statement, name="kharkiv lawyers circle")
    sign(statement, name="Vilnius Desk", website="http://vilnius.example.org/x")
    members["asylum"].website = "https://www.vilnius.example.org/"
    members["asylum"].save()
    sign(statement, name="Some Other NGO", website="https://other.example.org/")

    page = text(client.get(statement.url))

    assert (
        '<a href="/en/network/kharkiv-lawyers/" class="signatory--member">'
        "kharkiv lawyers circle</a>"
    ) in page
    assert (
        '<a href="/en/network/vilnius-asylum/" class="signatory--member">'
        "Vilnius Desk</a>"
    ) in page
    assert 'href="https://other.example.org/" rel="nofollow noopener ugc"' in page
