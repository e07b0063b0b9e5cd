"""Template tags for the header, footer and language switcher of every public page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from home.models import FooterText, HomePage
from home.site_cache import cached, generation, page_link_targets

register = template.Library()


def _per_request(context, key, compute):
    """Compute once per request what the header, footer and switcher all need."""
    request = context.get("request")
    store = getattr(request, "_navigation_cache", None)
    if store is None:
        store = {}
        if request is not None:
            request._navigation_cache = store
    if key not in store:
        store[key] = compute()
    return store[key]


def _live_homes(context) -> dict:
    def compute():
        return {
            home.locale.language_code: home
            for home in HomePage.objects.live()
            .select_related("locale")
            .defer_streamfields()
            .order_by("path")
        }

    # Per request, from the cache: the same for everyone until a page changes.
    return _per_request(context, "homes", lambda: cached("live-homes", compute))


def _current_locale(context) -> Locale | None:
    code = translation.get_language()
    home = _live_homes(context).get(code)
    if home is not None:
        return home.locale
    return _per_request(
        context,
        f"locale:{code}",
        lambda: Locale.objects.filter(language_code=code).first(),
    )


@register.simple_tag(takes_context=True)
def home_page_for_language(context):
    """The home page in the visitor's language, falling back to any live one."""
    homes = _live_homes(context)
    return homes.get(translation.get_language()) or next(iter(homes.values()), None)


@register.simple_tag
def menu_pages(home):
    if home is None:
        return []
    return cached(
        f"menu:{home.pk}",
        lambda: list(
            home.get_children().live().in_menu().only("title", "url_path", "path")
        ),
    )


@register.simple_tag(takes_context=True)
def footer_text(context):
    locale = _current_locale(context)
    if not locale:
        return ""

    def compute():
        footer = FooterText.objects.filter(locale=locale).order_by("-pk").first()
        return footer.body if footer else ""

    return cached(f"footer:{locale.pk}", compute)


@register.simple_tag(takes_context=True)
def page_cache_generation(context):
    """For `{% cache %}` keys of fragments that change only when a page does."""
    return generation(context.get("request"))


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
    if isinstance(page, Page) and page.pk:
        translations = page_link_targets(page)
    homes = _live_homes(context)
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
