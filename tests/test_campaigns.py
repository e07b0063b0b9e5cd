"""Campaigns: who they concern, how to help, in what order, and what they raised."""

import datetime

import pytest
from wagtail.test.utils import WagtailPageTestCase

from campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    CampaignPrisoner,
    CampaignTheme,
    CampaignUpdate,
    StatementIndexPage,
    StatementPage,
)
from campaigns.selectors import campaign_progress
from home.models import HomePage
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory, RegionFactory

pytestmark = pytest.mark.django_db


class CampaignPageTreeTests(WagtailPageTestCase):
    def test_campaigns_live_in_the_campaign_list_under_a_home_page(self):
        self.assertAllowedParentPageTypes(CampaignIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CampaignIndexPage, {CampaignPage})
        self.assertAllowedParentPageTypes(CampaignPage, {CampaignIndexPage})

    def test_statements_live_in_the_statement_list_or_under_a_campaign(self):
        self.assertAllowedParentPageTypes(
            StatementPage, {StatementIndexPage, CampaignPage}
        )
        self.assertAllowedSubpageTypes(StatementPage, set())


def link(campaign, *people):
    for person in people:
        CampaignPrisoner.objects.create(campaign=campaign, prisoner=person)


@pytest.fixture
def crimea():
    return RegionFactory(name="Crimea", slug="crimea")


@pytest.fixture
def people(prisoner_index, crimea):
    return [
        add_profile(
            prisoner_index,
            title="Asan Ablaiev",
            home_region=crimea,
            letter_address="SIZO-2",
            letter_address_verified_on=datetime.date.today(),
        ),
        add_profile(
            prisoner_index,
            title="Hidden Region Person",
            home_region=crimea,
            hidden_fields=",home_region,",
        ),
    ]


@pytest.fixture
def campaign(campaign_index, people, statement):
    campaign = CampaignPageFactory(
        parent=campaign_index,
        title="Free the Crimean Tatars",
        statement=statement,
        body=[
            (
                "video",
                {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "title": "Hearing",
                },
            )
        ],
    )
    link(campaign, people[0])
    CampaignUpdate.objects.create(
        campaign=campaign, date=datetime.date(2026, 5, 1), title="Appeal lodged"
    )
    campaign.save_revision().publish()
    return campaign


def test_a_campaign_shows_its_people_updates_and_ways_to_help(client, campaign, people):
    html = client.get(campaign.url).content.decode()

    assert "Asan Ablaiev" in html and people[0].url in html
    assert "Appeal lodged" in html
    assert 'href="#donate"' in html and 'id="donate"' in html
    assert f'href="{campaign.statement.url}"' in html  # sign the statement
    assert f"{people[0].url}#write" in html  # write a letter
    assert "t.me/share/url?url=" in html  # share by plain link


def test_write_a_letter_skips_a_person_whose_address_is_no_longer_verified(
    client, campaign, people
):
    people[0].letter_address_verified_on = datetime.date.today() - datetime.timedelta(
        days=800
    )
    people[0].save_revision().publish()

    html = client.get(campaign.url).content.decode()

    assert "#write" not in html


def test_a_video_loads_nothing_from_its_host_until_clicked(client, campaign):
    html = client.get(campaign.url).content.decode()

    assert "<iframe" not in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html
    scripts = list(html.split("<script")[1:])
    assert all('src="/static/' in s.split(">")[0] for s in scripts)


def test_public_pages_load_nothing_from_third_parties(client, campaign, people):
    import re

    for url in (campaign.url, people[0].url, "/en/", "/en/prisoners/"):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]+>", html):
            assert (
                "http://" not in tag
                and "https://" not in tag
                or 'rel="alternate"' in tag
            ), tag


def test_the_profile_lists_its_campaigns_and_offers_to_donate_through_them(
    client, campaign, people
):
    html = client.get(people[0].url).content.decode()

    assert "Free the Crimean Tatars" in html
    assert f"{campaign.url}#donate" in html
    assert 'href="#write"' in html


def test_active_campaigns_come_first(client, campaign_index):
    CampaignPageFactory(parent=campaign_index, title="Closed one", status="closed")
    CampaignPageFactory(parent=campaign_index, title="Won one", status="won")
    CampaignPageFactory(parent=campaign_index, title="Active one", status="active")

    response = client.get(campaign_index.url)

    assert [c.title for c in response.context["campaigns"]] == [
        "Active one",
        "Won one",
        "Closed one",
    ]


def test_campaigns_filter_by_theme_and_by_the_region_of_their_people(
    client, campaign_index, campaign, people
):
    theme = CampaignTheme.objects.create(name="Crimean Tatars", slug="crimean-tatars")
    campaign.theme = theme
    campaign.save_revision().publish()
    other = CampaignPageFactory(parent=campaign_index, title="Other")
    link(other, people[1])  # only a person whose region is hidden

    by_theme = client.get(f"{campaign_index.url}?theme=crimean-tatars")
    by_region = client.get(f"{campaign_index.url}?region=crimea")

    assert [c.title for c in by_theme.context["campaigns"]] == [campaign.title]
    assert [c.title for c in by_region.context["campaigns"]] == [campaign.title]
    assert by_region.context["filters"]["regions"] == [("crimea", "Crimea", 1)]


def test_progress_reports_zero_raised_before_any_donation(campaign):
    progress = campaign_progress(campaign)

    assert progress.goal == 500_000  # €5,000 in cents
    assert progress.raised == 0
    assert progress.percent == 0
    assert progress.currency == "EUR"


def test_campaigns_and_statements_are_in_the_public_api(client, campaign):
    campaigns = client.get(
        "/api/v2/pages/?type=campaigns.CampaignPage&fields=summary,status,fundraising,people"
    ).json()["items"]
    statements = client.get(
        "/api/v2/pages/?type=campaigns.StatementPage&fields=signature_summary,who_may_sign"
    ).json()["items"]

    assert campaigns[0]["fundraising"]["raised"] == 0
    assert campaigns[0]["people"] == [
        {"id": campaign.live_prisoners()[0].pk, "name": "Asan Ablaiev"}
    ]
    assert statements[0]["signature_summary"]["total"] == 0
    assert statements[0]["who_may_sign"] == "both"
