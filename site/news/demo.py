"""Demo content for the news: the news list under each home page and seven
fictional articles of every kind, tagged to the demo people, campaigns and members.

The texts are data, in demo_articles.json, in uk, en, ru, be and crh; a language the
site has but the file does not is skipped. `load_news()` is idempotent: the list and
articles are found by slug under their parent, translations by translation key.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from campaigns.models import CampaignIndexPage, CampaignPage
from home.models import HomePage
from network.models import Member
from prisoners.models import PrisonerIndexPage, PrisonerPage

from .models import ArticleCampaign, ArticlePage, ArticlePerson, NewsIndexPage

DATA_FILE = Path(__file__).with_name("demo_articles.json")
SOURCE_LANG = "uk"
# Articles that get a generated illustration, when home.illustrations exists.
ILLUSTRATED = {
    "joint-statement-to-interpol-general-assembly",
    "public-discussion-crimean-tatar-prisoners",
    "analysis-abusive-red-notices",
    "letter-writing-evening-in-vilnius",
}


def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _illustration(slug: str, title: str):
    try:
        from home.illustrations import demo_illustration
    except ImportError:
        # The illustrations come in another change; the news works without them.
        return None
    return demo_illustration(key=f"news-{slug}", title=title)


def load_indexes(homes: dict[str, HomePage], langs, data) -> dict[str, NewsIndexPage]:
    """The news list (slug "news") under each home page: made in Ukrainian, then
    translated; left as it is when it exists."""
    source = NewsIndexPage.objects.child_of(homes[SOURCE_LANG]).first()
    if source is None:
        title, intro = data["index"][SOURCE_LANG]
        source = NewsIndexPage(
            title=title, slug="news", intro=intro, locale=homes[SOURCE_LANG].locale
        )
        homes[SOURCE_LANG].add_child(instance=source)
        source.save_revision().publish()
    indexes = {SOURCE_LANG: source}
    for lang in langs:
        if lang == SOURCE_LANG:
            continue
        index = source.get_translation_or_none(homes[lang].locale)
        if index is None:
            title, intro = data["index"][lang]
            # Lands under homes[lang], the translation of the uk list's parent.
            index = source.copy_for_translation(homes[lang].locale)
            index.title, index.intro = title, intro
            index.save()
            index.save_revision().publish()
        indexes[lang] = index.specific
    return indexes


def _body(article: dict, lang: str, note: str) -> list[dict]:
    _, _, paragraphs, quote = article["texts"][lang]
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    if quote:
        body.append({"type": "quote", "value": {"text": quote[0], "source": quote[1]}})
    body.append({"type": "paragraph", "value": f"<p><em>{note}</em></p>"})
    return body


def _fields(article: dict, lang: str, data: dict) -> dict:
    title, summary, _, _ = article["texts"][lang]
    return {
        "title": title,
        "summary": summary,
        "body": _body(article, lang, data["note"][lang]),
        "author": article["author"].get(lang, ""),
    }


def _tagged(home: HomePage, article: dict) -> tuple[list, list, list]:
    """The uk profiles and campaigns and the members an article is about; a tag
    counts for every language of the page (see news.models)."""
    register = PrisonerIndexPage.objects.child_of(home).first()
    campaigns = CampaignIndexPage.objects.child_of(home).first()
    people = (
        {p.slug: p for p in PrisonerPage.objects.child_of(register)} if register else {}
    )
    campaign_pages = (
        {c.slug: c for c in CampaignPage.objects.child_of(campaigns)}
        if campaigns
        else {}
    )
    return (
        [people[s] for s in article["people"] if s in people],
        [campaign_pages[s] for s in article["campaigns"] if s in campaign_pages],
        list(Member.objects.public().filter(slug__in=article["members"])),
    )


def load_article(article: dict, indexes, home: HomePage, data: dict) -> ArticlePage:
    """The article in Ukrainian, then in every other language of `indexes`."""
    page = ArticlePage.objects.child_of(indexes[SOURCE_LANG]).filter(
        slug=article["slug"]
    )
    page = page.first()
    if page is None:
        people, campaigns, members = _tagged(home, article)
        author_member = Member.objects.public().filter(
            slug=article["author_member"] or None
        )
        page = ArticlePage(
            slug=article["slug"],
            locale=indexes[SOURCE_LANG].locale,
            kind=article["kind"],
            date=datetime.date.fromisoformat(article["date"]),
            author_member=author_member.first(),
            **_fields(article, SOURCE_LANG, data),
        )
        if article["slug"] in ILLUSTRATED:
            page.image = _illustration(article["slug"], article["texts"]["en"][0])
        for order, person in enumerate(people):
            page.person_tags.add(ArticlePerson(sort_order=order, person=person))
        for order, campaign in enumerate(campaigns):
            page.campaign_tags.add(ArticleCampaign(sort_order=order, campaign=campaign))
        page.members = members
        indexes[SOURCE_LANG].add_child(instance=page)
        page.save_revision().publish()

    for lang, index in indexes.items():
        if lang == SOURCE_LANG or page.get_translation_or_none(index.locale):
            continue
        # A draft under the translation of the parent, tags and image copied.
        copy = page.copy_for_translation(index.locale)
        translated = ArticlePage.objects.get(pk=copy.pk)
        for field, value in _fields(article, lang, data).items():
            setattr(translated, field, value)
        translated.members = list(page.members.all())
        translated.save()
        translated.save_revision().publish()
    return page


def load_news(homes: dict[str, HomePage]) -> dict:
    """The news list in every language of `homes` that the demo has texts for, and
    the demo articles. Needs the demo profiles, campaigns and members first."""
    data = _data()
    langs = [lang for lang in homes if lang in data["index"]]
    if SOURCE_LANG not in langs:
        return {"articles": 0, "languages": []}
    with transaction.atomic():
        indexes = load_indexes(homes, langs, data)
        for article in data["articles"]:
            load_article(article, indexes, homes[SOURCE_LANG], data)
    return {
        "articles": ArticlePage.objects.child_of(indexes[SOURCE_LANG]).count(),
        "languages": sorted(indexes),
    }
