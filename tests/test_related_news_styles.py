"""Related news looks the same wherever it shows: the profile, campaign and member
pages link a stylesheet that styles its cards, not only the news pages."""

import re

import pytest
from django.contrib.staticfiles import finders

from news.choices import ArticleKind
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory
from tests.network_factories import MemberFactory
from tests.test_news import add_article, news  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')
SECTION = re.compile(r'<section class="related-news".*?</section>', re.S)


def linked_css(html: str) -> str:
    return "\n".join(
        open(finders.find(path), encoding="utf-8").read()
        for path in STYLESHEET.findall(html)
    )


def unstyled_classes(html: str) -> set[str]:
    """The card and tag modifiers of the related news no linked stylesheet styles."""
    section = SECTION.search(html).group(0)
    classes = {
        name
        for attr in re.findall(r'class="([^"]+)"', section)
        for name in attr.split()
        if name.startswith(("card--", "tag--", "related-news__"))
    }
    css = linked_css(html)
    return {name for name in classes if not re.search(rf"\.{name}\b", css)}


def test_a_profile_links_the_styles_of_its_related_news(client, news, prisoner_index):  # noqa: F811
    person = add_profile(prisoner_index, title="Server Mustafayev")
    add_article(
        news["en"], title="Appeal rejected", people=[person], kind=ArticleKind.ANALYSIS
    )

    html = client.get(person.url).content.decode()

    assert "Appeal rejected" in html
    assert unstyled_classes(html) == set()


def test_a_campaign_links_the_styles_of_its_related_news(client, news, campaign_index):  # noqa: F811
    campaign = CampaignPageFactory(parent=campaign_index, title="No extradition")
    campaign.save_revision().publish()
    add_article(
        news["en"],
        title="Extradition halted",
        campaigns=[campaign],
        kind=ArticleKind.STATEMENT,
    )

    html = client.get(campaign.url).content.decode()

    assert "Extradition halted" in html
    assert unstyled_classes(html) == set()


def test_a_member_page_links_the_styles_of_its_related_news(client, news, home_pages):  # noqa: F811
    from network.demo_pages import ensure_network_pages

    ensure_network_pages(home_pages)
    member = MemberFactory(name="Kharkiv Lawyers Circle", slug="kharkiv-lawyers")
    article = add_article(
        news["en"], title="Lawyers report", kind=ArticleKind.EVENT_REPORT
    )
    article.members.set([member])
    article.save_revision().publish()

    html = client.get("/en/network/kharkiv-lawyers/").content.decode()

    assert "Lawyers report" in html
    assert unstyled_classes(html) == set()
