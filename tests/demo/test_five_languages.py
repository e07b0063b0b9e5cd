"""The demo site in each of its languages, Belarusian and Crimean Tatar included:
every public page type is there, the switcher reaches each translation, dates
read as the language writes them, and names are found however they are spelt."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Locale

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGE_TYPES = [
    "home",
    "register",
    "profile",
    "letter month",
    "campaigns",
    "campaign",
    "statements",
    "statement",
    "network",
    "member",
    "news",
    "article",
    "donate",
    "transparency",
]


def switcher_links(html: str) -> dict[str, str]:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {
        code: href for href, code in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav)
    }


def first_live(model, locale):
    return model.objects.live().public().filter(locale=locale).order_by("path").first()


def paths_in(lang: str) -> dict[str, str]:
    from campaigns.models import (
        CampaignIndexPage,
        CampaignPage,
        StatementIndexPage,
        StatementPage,
    )
    from network.models import Member
    from network.pages import NetworkIndexPage
    from news.models import ArticlePage, NewsIndexPage
    from prisoners.models import PrisonerIndexPage, PrisonerPage

    locale = Locale.objects.get(language_code=lang)
    register = first_live(PrisonerIndexPage, locale)
    network = first_live(NetworkIndexPage, locale)
    member = Member.objects.public().order_by("slug").first()
    return {
        "home": f"/{lang}/",
        "register": register.url,
        "profile": first_live(PrisonerPage, locale).url,
        "letter month": register.url + "letters/",
        "campaigns": first_live(CampaignIndexPage, locale).url,
        "campaign": first_live(CampaignPage, locale).url,
        "statements": first_live(StatementIndexPage, locale).url,
        "statement": first_live(StatementPage, locale).url,
        "network": network.url,
        "member": network.url + member.slug + "/",
        "news": first_live(NewsIndexPage, locale).url,
        "article": first_live(ArticlePage, locale).url,
        "donate": f"/{lang}/donate/",
        "transparency": f"/{lang}/transparency/",
    }


def profile(slug: str, lang: str):
    from prisoners.models import PrisonerPage

    return PrisonerPage.objects.live().get(slug=slug, locale__language_code=lang)


def test_the_site_has_five_languages_and_the_demo_a_home_page_in_each(demo):
    from home.models import HomePage

    homes = HomePage.objects.live().filter(depth=2)

    assert LANGUAGES == ["uk", "en", "ru", "be", "crh"]
    assert sorted(h.locale.language_code for h in homes) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_public_page_type_is_served_in_every_language(demo, lang, page_type):
    path = paths_in(lang)[page_type]

    response = Client().get(path)

    assert path.startswith(f"/{lang}/")
    assert response.status_code == 200, path
    assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.parametrize("lang", ["be", "crh"])
def test_the_new_languages_pages_are_in_their_language(demo, lang):
    html = Client().get(f"/{lang}/").content.decode()
    titles = {"be": "Салідарнасць", "crh": "Birdemlik"}
    skip_link = {"be": "Перайсці да зместу", "crh": "Mündericege keçmek"}

    assert f"<h1>{titles[lang]}</h1>" in html
    assert skip_link[lang] in html


def test_the_switcher_lists_five_languages_each_to_the_translated_page(demo):
    html = Client().get(profile("serhii-petrenko", "be").url).content.decode()

    assert switcher_links(html) == {
        lang: profile("serhii-petrenko", lang).url for lang in LANGUAGES
    }
    assert switcher_links(html)["crh"] == "/crh/prisoners/serhii-petrenko/"
    assert 'aria-current="true" data-language="be"' in html
    assert ">Беларуская</a>" in html
    assert ">Qırımtatarca</a>" in html


def test_a_date_on_a_crimean_tatar_page_is_written_the_crimean_tatar_way(demo):
    # Detained on 2022-08-14: "j E Y" of formats/crh, the month from locale/crh.
    html = Client().get(profile("serhii-petrenko", "crh").url).content.decode()

    assert "<dd>14 avgust 2022</dd>" in html


def test_a_date_on_a_belarusian_page_is_written_the_belarusian_way(demo):
    html = Client().get(profile("serhii-petrenko", "be").url).content.decode()

    assert "<dd>14 жніўня 2022 г.</dd>" in html


def test_a_belarusian_spelling_finds_the_person_with_the_ukrainian_name(demo):
    serhii = profile("serhii-petrenko", "be")
    assert profile("serhii-petrenko", "uk").title == "Сергій Петренко"

    html = Client().get("/be/prisoners/", {"q": "Сяргей Пятрэнка"}).content.decode()
    only_first_name = Client().get("/be/prisoners/", {"q": "Сяргей"}).content.decode()

    assert f'href="{serhii.url}"' in html
    assert f'href="{serhii.url}"' in only_first_name


def test_a_crimean_tatar_latin_spelling_finds_the_crimean_tatar_person(demo):
    enver = profile("enver-kurtumerov", "crh")

    html = Client().get("/crh/prisoners/", {"q": "Qurtumerov"}).content.decode()
    on_the_ukrainian_site = (
        Client().get("/uk/prisoners/", {"q": "Rüstem Yaqubov"}).content.decode()
    )

    assert f'href="{enver.url}"' in html
    assert 'href="/uk/prisoners/rustem-yakubov/"' in on_the_ukrainian_site


def test_a_text_not_translated_yet_falls_back_to_english():
    from home.demo_languages import demo_text

    texts = ("Кримські татари", "Crimean Tatars", "Крымские татары")
    added = {"crh": {"Crimean Tatars": "Qırımtatarlar"}, "be": {}}

    assert demo_text(texts, "crh", added) == "Qırımtatarlar"
    assert demo_text(texts, "be", added) == "Crimean Tatars"
    assert demo_text(texts, "ru", added) == "Крымские татары"


def test_the_translation_files_are_read_per_language_and_a_missing_one_is_empty(
    tmp_path,
):
    from home.demo_languages import read_added

    (tmp_path / "demo_be.json").write_text('{"Belarus": "Беларусь"}', encoding="utf-8")

    assert read_added(tmp_path) == {"be": {"Belarus": "Беларусь"}, "crh": {}}


def test_crimean_tatar_dates_write_the_month_in_lower_case_after_the_day():
    from django.utils import formats, translation

    with translation.override("crh"):
        assert formats.date_format(date(2026, 12, 7)) == "7 dekabr 2026"
