"""Reading the guides for the public. Everything starts from `public_guides()`:
live guides outside any private section, so a draft never reaches the list, a
search result, the sitemap or the API."""

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Locale

from .choices import GuideTopic
from .models import GuidePage

MAX_TEXT_MATCHES = 500


def public_guides(*, locale: Locale | None = None) -> QuerySet:
    guides = GuidePage.objects.live().public()
    if locale is not None:
        guides = guides.filter(locale=locale)
    return guides.order_by("path")


@dataclass
class GuideFilters:
    """What a visitor asked for on the guide list; an unknown topic is dropped."""

    q: str = ""
    topic: str = ""
    text_matches: tuple[int, ...] = ()

    @classmethod
    def from_query(cls, params, *, locale: Locale) -> "GuideFilters":
        f = cls(q=params.get("q", "").strip()[:100])
        topic = params.get("topic", "")
        f.topic = topic if topic in GuideTopic.values else ""
        if f.q:
            f.text_matches = _text_matches(f.q, locale)
        return f

    @property
    def active(self) -> bool:
        return bool(self.q or self.topic)


def _text_matches(text: str, locale: Locale) -> tuple[int, ...]:
    results = public_guides(locale=locale).only("pk").search(text, operator="and")
    return tuple(page.pk for page in results[:MAX_TEXT_MATCHES])


def guides_by_topic(guides: QuerySet, f: GuideFilters) -> list[tuple[str, str, list]]:
    """(topic, its label, its guides) in the topics' order, empty topics left out."""
    if f.q:
        guides = guides.filter(pk__in=f.text_matches)
    if f.topic:
        guides = guides.filter(topic=f.topic)
    found: dict[str, list] = {}
    for guide in guides.defer_streamfields():
        found.setdefault(guide.topic, []).append(guide)
    return [
        (value, label, found[value])
        for value, label in GuideTopic.choices
        if value in found
    ]


def related_guides(*, guide: GuidePage) -> list[GuidePage]:
    """The live, public translations in the guide's language of the guides chosen
    as related, in the editor's order."""
    chosen = [row.related for row in guide.related_guides.all()]
    keys = [page.translation_key for page in chosen]
    if not keys:
        return []
    shown = {
        page.translation_key: page
        for page in public_guides(locale=guide.locale)
        .filter(translation_key__in=keys)
        .exclude(pk=guide.pk)
        .defer_streamfields()
    }
    return [shown[key] for key in keys if key in shown]
