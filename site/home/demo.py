"""Demo content for the site-wide pages: the home page in each language (its
blocks' headings in demo_home.json), the footer and the site settings."""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .models import FooterText, HomePage, SiteSettings

HOME_CONTENT = {
    "uk": {
        "title": "Солідарність",
        "intro": (
            "Мережа правозахисних організацій, що захищає політичних в'язнів: "
            "українців, ув'язнених Росією, і людей, яких переслідують за кордоном."
        ),
        "footer": "<p>Демонстраційний сайт. Усі люди на ньому вигадані.</p>",
    },
    "en": {
        "title": "Solidarity",
        "intro": (
            "A network of human-rights organisations defending political prisoners: "
            "Ukrainians held by Russia, and people hunted abroad."
        ),
        "footer": "<p>A demonstration site. Every person on it is fictional.</p>",
    },
    "ru": {
        "title": "Солидарность",
        "intro": (
            "Сеть правозащитных организаций, защищающая политических заключённых: "
            "украинцев, удерживаемых Россией, и людей, преследуемых за рубежом."
        ),
        "footer": "<p>Демонстрационный сайт. Все люди на нём вымышлены.</p>",
    },
    "be": {
        "title": "Салідарнасць",
        "intro": (
            "Сетка праваабарончых арганізацый, якая абараняе палітычных вязняў: "
            "украінцаў, зняволеных Расіяй, і людзей, якіх пераследуюць за мяжой."
        ),
        "footer": "<p>Дэманстрацыйны сайт. Усе людзі на ім выдуманыя.</p>",
    },
    "crh": {
        "title": "Birdemlik",
        "intro": (
            "Siyasiy mahbuslarnı qorçalağan insan aqları teşkilâtlarınıñ şebekesi: "
            "Rusiye apiste tutqan ukrainalılar ve hariçte taqip etilgen insanlar."
        ),
        "footer": "<p>Numayış saytı. Mundaki bütün insanlar uydurılğan.</p>",
    },
}


def ensure_locales() -> dict[str, Locale]:
    """A locale for each language of the site that the demo has a home page for."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code in HOME_CONTENT
    }


def load_home_pages() -> dict[str, HomePage]:
    """The home page in each language, translations of the one the migration made."""
    locales = ensure_locales()
    source = HomePage.objects.filter(depth=2).order_by("pk").first()
    if source is None:
        raise RuntimeError("No home page: run `manage.py migrate` first.")
    homes = {}
    for code, locale in locales.items():
        home = source.get_translation_or_none(locale)
        if home is None:
            home = source.copy_for_translation(locale, copy_parents=False)
        content = HOME_CONTENT[code]
        if home.intro != content["intro"] or home.title != content["title"]:
            home.title = content["title"]
            home.intro = content["intro"]
            home.save_revision().publish()
        homes[code] = HomePage.objects.get(pk=home.pk)
    return homes


def load_footer_and_settings() -> None:
    locales = ensure_locales()
    first = FooterText.objects.filter(locale=locales["uk"]).first()
    if first is None:
        first = FooterText.objects.create(
            locale=locales["uk"], body=HOME_CONTENT["uk"]["footer"]
        )
    for code, locale in locales.items():
        FooterText.objects.get_or_create(
            translation_key=first.translation_key,
            locale=locale,
            defaults={"body": HOME_CONTENT[code]["footer"]},
        )
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "Solidarity",
            "contact_email": "contact@example.org",
            "secure_contact_note": "Signal: +000 000 000 (demo)",
        },
    )
    # The root must stay unpublished-looking to visitors; only home pages are sites.
    assert Page.objects.filter(depth=1).count() == 1


def show_sections_in_menus(homes: dict[str, HomePage]) -> None:
    """Put each home page's sections (register, campaigns, statements) in the header."""
    for home in homes.values():
        # child_of, not get_children(): the home objects were loaded before their
        # sections existed, and treebeard trusts their stale child count.
        sections = Page.objects.child_of(home).live().filter(show_in_menus=False)
        for section in sections:
            section = section.specific
            section.show_in_menus = True
            section.save_revision().publish()


def load_section(
    model, homes: dict[str, HomePage], *, slug: str, content: dict[str, tuple]
) -> dict[str, Page]:
    """A section page (`model`, with title and intro) under each home page: made in
    Ukrainian, then translated; left as it is when it exists. `content` gives
    (title, intro) per language; a language it lacks gets the English ones."""
    source = model.objects.child_of(homes["uk"]).first()
    if source is None:
        title, intro = content["uk"]
        source = model(title=title, slug=slug, intro=intro, locale=homes["uk"].locale)
        homes["uk"].add_child(instance=source)
        source.save_revision().publish()
    sections = {"uk": source}
    for lang in homes:
        if lang == "uk":
            continue
        section = source.get_translation_or_none(homes[lang].locale)
        if section is None:
            # Lands under homes[lang], the translation of the uk section's parent.
            section = source.copy_for_translation(homes[lang].locale)
            section.title, section.intro = content.get(lang, content["en"])
            section.save()
            section.save_revision().publish()
        sections[lang] = section.specific
    return sections


# Demo people on every front page, by slug (fictional, with consent to a name).
FEATURED_PEOPLE = (
    "serhii-petrenko",
    "aider-memetov",
    "olena-kovalchuk",
    "pavel-gurov",
)
HOME_BLOCKS_FILE = Path(__file__).with_name("demo_home.json")


def _home_body(home: HomePage, texts: dict) -> list[tuple[str, dict]]:
    from campaigns.models import CampaignPage
    from prisoners.models import PrisonerPage

    campaigns = list(
        CampaignPage.objects.live().filter(locale=home.locale).order_by("path")[:3]
    )
    people = {
        page.slug: page
        for page in PrisonerPage.objects.live().filter(
            locale=home.locale, slug__in=FEATURED_PEOPLE
        )
    }
    body = [
        ("figures", {"heading": texts["figures"]}),
        (
            "featured_people",
            {
                "heading": texts["people"],
                "people": [people[s] for s in FEATURED_PEOPLE if s in people],
            },
        ),
        ("letter_month", {"heading": texts["letters"], "text": texts["letters_text"]}),
        ("featured_campaigns", {"heading": texts["campaigns"], "campaigns": campaigns}),
        ("latest_news", {"heading": texts["news"], "count": 3}),
        (
            "members",
            {"heading": texts["members"], "text": texts["members_text"]},
        ),
        (
            "donate",
            {
                "heading": texts["donate"],
                "text": texts["donate_text"],
                "button_text": texts["donate_button"],
            },
        ),
    ]
    from events.demo import home_block_heading

    events_heading = home_block_heading(home.locale.language_code)
    if events_heading:
        # After the news; its heading lives with the events' demo texts.
        after = [name for name, _ in body].index("latest_news") + 1
        block = {"heading": events_heading, "count": 3}
        body.insert(after, ("upcoming_events", block))
    return body


def load_home_bodies(homes: dict[str, HomePage]) -> int:
    """Fill each language's front page with the demo blocks, once: a body an
    editor has changed is left as it is. Returns how many were filled."""
    all_texts = json.loads(HOME_BLOCKS_FILE.read_text(encoding="utf-8"))
    filled = 0
    for code, home in homes.items():
        texts = all_texts.get(code)
        home = HomePage.objects.get(pk=home.pk)
        if texts is None or len(home.body):
            continue
        home.body = _home_body(home, texts)
        home.save_revision().publish()
        filled += 1
    return filled
