"""The news: the list of each language, its filters and search, the feeds, the
sitemap, the API and the related news on profiles and campaigns. Drafts and draft
profiles never show."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from news.choices import ArticleKind
from news.models import ArticlePage, ArticlePerson, NewsIndexPage
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def news_index(home):
    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_article(index, *, title, live=True, people=(), campaigns=(), **fields):
    fields.setdefault("summary", f"About {title}.")
    fields.setdefault("date", datetime.date(2026, 5, 1))
    article = ArticlePage(title=title, **fields)
    for person in people:
        article.person_tags.add(ArticlePerson(person=person))
    for campaign in campaigns:
        article.campaign_tags.add(campaign_tag(campaign))
    index.add_child(instance=article)
    revision = article.save_revision()
    if live:
        revision.publish()
    else:
        article.unpublish()
    return article


def campaign_tag(campaign):
    from news.models import ArticleCampaign

    return ArticleCampaign(campaign=campaign)


@pytest.fixture
def news(home_pages):
    en = news_index(home_pages["en"])
    uk = news_index(home_pages["uk"])
    return {
        "en": en,
        "uk": uk,
        "live": add_article(en, title="Court hearing in Simferopol"),
        "analysis": add_article(
            en, title="Abusive red notices", kind=ArticleKind.ANALYSIS
        ),
        "draft": add_article(en, title="Unreleased Simferopol statement", live=False),
        "ukrainian": add_article(uk, title="Засідання суду"),
    }


def test_the_list_shows_only_live_articles_of_its_language(client, news):
    html = client.get(news["en"].url).content.decode()

    assert "Court hearing in Simferopol" in html
    assert "Abusive red notices" in html
    assert "Unreleased Simferopol statement" not in html
    assert "Засідання суду" not in html


def test_the_list_filters_by_kind(client, news):
    html = client.get(news["en"].url, {"kind": "analysis"}).content.decode()

    assert "Abusive red notices" in html
    assert "Court hearing in Simferopol" not in html


def test_the_list_filters_by_a_tagged_person(client, news, prisoner_index):
    person = add_profile(prisoner_index, title="Nariman Dzhelial", slug="nariman")
    add_article(news["en"], title="Letters to Nariman", people=[person])

    html = client.get(news["en"].url, {"person": "nariman"}).content.decode()

    assert "Letters to Nariman" in html
    assert "Court hearing in Simferopol" not in html


def test_search_finds_a_live_article_but_not_a_draft(client, news):
    html = client.get(news["en"].url, {"q": "Simferopol"}).content.decode()

    assert "Court hearing in Simferopol" in html
    assert "Unreleased Simferopol statement" not in html


@pytest.mark.parametrize("route", ["feed/", "feed/atom/"])
def test_the_feeds_parse_and_link_absolutely_to_live_articles(client, news, route):
    response = client.get(news["en"].url + route)
    root = ET.fromstring(response.content)

    if root.tag == "rss":
        links = [link.text for link in root.iter("link")]
    else:
        links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    body = response.content.decode()
    assert response.status_code == 200
    assert links and all(link.startswith("http") for link in links)
    assert any(link.endswith(news["live"].url) for link in links)
    assert "Unreleased Simferopol statement" not in body


def test_the_sitemap_lists_a_live_article_but_not_a_draft(client, news):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert news["live"].slug in sitemap
    assert news["draft"].slug not in sitemap


def test_the_api_lists_live_articles_but_not_drafts(client, news):
    items = client.get("/api/v2/news/").json()["items"]
    titles = {item["title"] for item in items}

    assert "Court hearing in Simferopol" in titles
    assert "Unreleased Simferopol statement" not in titles
    draft = client.get(f"/api/v2/news/{news['draft'].pk}/", follow=True)
    assert draft.status_code == 404


def test_related_news_shows_on_a_profile(client, news, prisoner_index):
    person = add_profile(prisoner_index, title="Server Mustafayev")
    add_article(news["en"], title="Appeal of Server rejected", people=[person])

    html = client.get(person.url).content.decode()

    assert "Appeal of Server rejected" in html


def test_related_news_shows_on_a_campaign(client, news, campaign_index):
    campaign = CampaignPageFactory(parent=campaign_index, title="No extradition")
    campaign.save_revision().publish()
    add_article(news["en"], title="Extradition halted", campaigns=[campaign])

    html = client.get(campaign.url).content.decode()

    assert "Extradition halted" in html


def test_an_article_does_not_link_a_draft_profile(client, news, prisoner_index):
    person = add_profile(prisoner_index, title="Hidden Person", slug="hidden-person")
    person.unpublish()
    article = add_article(news["en"], title="A quiet case", people=[person])

    html = client.get(article.url).content.decode()

    assert "A quiet case" in html
    assert "hidden-person" not in html
    assert "Hidden Person" not in html
