"""Template tags for the header, footer and language switcher of every public page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from home.models import FooterText, HomePage

register = template.Library()


def _current_locale() -> Locale | None:
    return Locale.objects.filter(language_code=translation.get_language()).first()


@register.simple_tag
def home_page_for_language():
    """The home page in the visitor's language, falling back to any live one."""
    homes = HomePage.objects.live()
    locale = _current_locale()
    return (locale and homes.filter(locale=locale).first()) or homes.first()


@register.simple_tag
def menu_pages(home):
    if home is None:
        return Page.objects.none()
    return home.get_children().live().in_menu().only("title", "url_path")


@register.simple_tag
def footer_text():
    locale = _current_locale()
    footer = (
        FooterText.objects.filter(locale=locale).order_by("-pk").first()
        if locale
        else None
    )
    return footer.body if footer else ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language, each to this same page in that language.

    A Wagtail page links to its own translation (or that language's home page when
    it has none); any other view keeps its path and swaps the language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for translated in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            translations[translated.locale.language_code] = translated
    homes = {
        home.locale.language_code: home
        for home in HomePage.objects.live().select_related("locale")
    }
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code) or homes.get(code)
        if target is not None and isinstance(page, Page):
            url = target.get_url(request=request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = f"/{code}/"
        links.append(
            {"code": code, "name": name, "url": url, "current": code == current}
        )
    return links
