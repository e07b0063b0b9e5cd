"""The front page's blocks: live figures, featured people and campaigns, the latest
news, the member organisations and the call to give, in each language."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from donations.transparency.selectors import network_raised_last_month
from prisoners import choices
from prisoners.selectors import register_figures, whole_years_between
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory, PrisonerIndexPageFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def known_register(index, *, today=TODAY):
    """Three defended now (the longest held since 2014), two freed, one this year."""
    return {
        "longest": add_profile(
            index,
            title="Held Since 2014",
            status=choices.Status.SENTENCED,
            detained_on=datetime.date(2014, 5, 10),
        ),
        "pretrial": add_profile(
            index,
            title="Awaiting Trial",
            status=choices.Status.PRETRIAL,
            detained_on=datetime.date(2025, 1, 1),
        ),
        # Defended, but not in custody: never "the longest held".
        "house": add_profile(
            index,
            title="Under House Arrest",
            status=choices.Status.HOUSE_ARREST,
            detained_on=datetime.date(2010, 1, 1),
        ),
        "freed": add_profile(
            index,
            title="Freed This Year",
            status=choices.Status.RELEASED,
            released_on=today.replace(month=1, day=1),
        ),
        "freed_before": add_profile(
            index,
            title="Freed Last Year",
            status=choices.Status.EXCHANGED,
            released_on=today.replace(year=today.year - 1, month=12, day=31),
        ),
    }


def set_body(home, blocks):
    home.body = json.dumps(blocks)
    home.save_revision().publish()
    return home


def news_with(home, *, live_title, draft_title):
    from news.models import ArticlePage, NewsIndexPage

    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    for title, live in ((live_title, True), (draft_title, False)):
        article = ArticlePage(
            title=title, summary=f"About {title}.", date=datetime.date(2026, 5, 1)
        )
        index.add_child(instance=article)
        revision = article.save_revision()
        if live:
            revision.publish()
        else:
            article.unpublish()
    return index


def test_the_figures_count_a_known_register(prisoner_index):
    people = known_register(prisoner_index)
    draft = add_profile(
        prisoner_index,
        title="Draft Held Longer",
        status=choices.Status.SENTENCED,
        detained_on=datetime.date(2001, 1, 1),
    )
    draft.unpublish()

    figures = register_figures(locale=prisoner_index.locale, today=TODAY)

    assert figures.defended_now == 3
    assert figures.released_this_year == 1
    assert figures.longest_held == people["longest"]
    assert figures.longest_held_years == 12


def test_the_figures_count_only_the_register_of_their_language(
    prisoner_index, home_pages
):
    known_register(prisoner_index)
    ukrainian = PrisonerIndexPageFactory(parent=home_pages["uk"])

    figures = register_figures(locale=ukrainian.locale, today=TODAY)

    assert (figures.defended_now, figures.released_this_year) == (0, 0)
    assert figures.longest_held is None


def test_nothing_raised_shows_as_nothing_last_month(db):
    raised = network_raised_last_month(today=TODAY)

    assert raised.raised == 0
    assert raised.month == datetime.date(2026, 11, 1)


def test_the_figures_block_shows_the_register_on_the_home(client, prisoner_index):
    known_register(prisoner_index, today=timezone.localdate())
    home = set_body(
        prisoner_index.get_parent().specific,
        [{"type": "figures", "value": {"heading": "In figures"}}],
    )
    years = whole_years_between(datetime.date(2014, 5, 10), timezone.localdate())

    body = client.get(home.url).content.decode()

    assert "In figures" in body
    assert '<dd class="stat__value">3</dd>' in body
    assert '<dd class="stat__value">1</dd>' in body
    assert "Held Since 2014" in body
    assert f"{years} years" in body


def test_a_featured_draft_profile_does_not_render(client, prisoner_index):
    shown = add_profile(prisoner_index, title="Featured And Live")
    draft = add_profile(prisoner_index, title="Featured But Draft")
    draft.unpublish()
    home = set_body(
        prisoner_index.get_parent().specific,
        [
            {
                "type": "featured_people",
                "value": {"heading": "People to know", "people": [draft.pk, shown.pk]},
            }
        ],
    )

    body = client.get(home.url).content.decode()

    assert "Featured And Live" in body
    assert "Featured But Draft" not in body


def test_a_featured_draft_campaign_does_not_render(client, campaign_index):
    shown = CampaignPageFactory(parent=campaign_index, title="Free The Journalists")
    draft = CampaignPageFactory(parent=campaign_index, title="Secret Campaign")
    draft.unpublish()
    home = set_body(
        campaign_index.get_parent().specific,
        [
            {
                "type": "featured_campaigns",
                "value": {
                    "heading": "Campaigns now",
                    "campaigns": [shown.pk, draft.pk],
                },
            }
        ],
    )

    body = client.get(home.url).content.decode()

    assert "Free The Journalists" in body
    assert "Secret Campaign" not in body


def test_the_latest_news_shows_a_live_article_and_not_a_draft(client, home_pages):
    home = home_pages["en"]
    news_with(home, live_title="Court Hearing Today", draft_title="Unreleased Story")
    home = set_body(
        home, [{"type": "latest_news", "value": {"heading": "Latest news", "count": 3}}]
    )

    body = client.get(home.url).content.decode()

    assert "Court Hearing Today" in body
    assert "Unreleased Story" not in body


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_home_renders_its_blocks_in_each_language(client, home_pages, language):
    from network.demo_pages import ensure_network_pages
    from tests.network_factories import MemberFactory

    ensure_network_pages(home_pages)
    MemberFactory(name="Crimean Lawyers Group")
    home = set_body(
        home_pages[language],
        [
            {"type": "figures", "value": {"heading": "Figures block"}},
            {
                "type": "members",
                "value": {"heading": "Members block", "text": "Who we are."},
            },
            {
                "type": "donate",
                "value": {
                    "heading": "Donate block",
                    "text": "Every euro helps.",
                    "button_text": "Give now",
                },
            },
        ],
    )

    response = client.get(home.url)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert "Figures block" in body
    assert "Members block" in body
    assert "Crimean Lawyers Group" in body
    assert "Donate block" in body
    assert "Give now" in body
