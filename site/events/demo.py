"""Demo content for the events: the event list under each home page and five
fictional events — two past ones with their report in the demo news, three to come
on dates counted from today, so that they stay upcoming whenever the demo is loaded.

The texts are data, in demo_events.json, in uk, en, ru, be and crh; a language the
site has but the file does not is skipped. `load_events()` is idempotent: the list
and events are found by slug under their parent, translations by translation key.
"""

import datetime
import json
import zoneinfo
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from home.models import HomePage
from news.models import ArticlePage

from .models import EventIndexPage, EventPage

DATA_FILE = Path(__file__).with_name("demo_events.json")
SOURCE_LANG = "uk"


def demo_texts() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_indexes(homes: dict[str, HomePage], langs, data) -> dict[str, EventIndexPage]:
    """The event list (slug "events") under each home page: made in Ukrainian, then
    translated; left as it is when it exists."""
    source = EventIndexPage.objects.child_of(homes[SOURCE_LANG]).first()
    if source is None:
        title, intro = data["index"][SOURCE_LANG]
        source = EventIndexPage(
            title=title, slug="events", intro=intro, locale=homes[SOURCE_LANG].locale
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


def _moments(event: dict, today: datetime.date) -> tuple:
    """Start and end as moments: a fixed date for past events, `in_days` from today
    for coming ones, at the local clock time of the event's zone."""
    if "in_days" in event:
        day = today + datetime.timedelta(days=event["in_days"])
    else:
        day = datetime.date.fromisoformat(event["date"])
    zone = zoneinfo.ZoneInfo(event["time_zone"])
    return tuple(
        datetime.datetime.combine(day, datetime.time.fromisoformat(clock), zone)
        for clock in (event["start"], event["end"])
    )


def _fields(event: dict, lang: str, data: dict) -> dict:
    texts = event["texts"][lang]
    body = [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in texts["paragraphs"]]
    body.append({"type": "paragraph", "value": f"<p><em>{data['note'][lang]}</em></p>"})
    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "place_name": texts["place"],
        "place_address": texts["address"],
        "body": body,
    }


def _report(slug: str):
    if not slug:
        return None
    return ArticlePage.objects.filter(
        slug=slug, locale__language_code=SOURCE_LANG
    ).first()


def load_event(event: dict, indexes, data: dict, today: datetime.date) -> EventPage:
    """The event in Ukrainian, then in every other language of `indexes`; time,
    place, links and report are shared by the translations."""
    page = (
        EventPage.objects.child_of(indexes[SOURCE_LANG])
        .filter(slug=event["slug"])
        .first()
    )
    if page is None:
        starts_at, ends_at = _moments(event, today)
        page = EventPage(
            slug=event["slug"],
            locale=indexes[SOURCE_LANG].locale,
            kind=event["kind"],
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=event["time_zone"],
            event_language=event["event_language"],
            online_url=event["online_url"],
            registration_url=event["registration_url"],
            report=_report(event["report"]),
            **_fields(event, SOURCE_LANG, data),
        )
        indexes[SOURCE_LANG].add_child(instance=page)
        page.save_revision().publish()

    for lang, index in indexes.items():
        if lang == SOURCE_LANG or page.get_translation_or_none(index.locale):
            continue
        copy = page.copy_for_translation(index.locale)
        translated = EventPage.objects.get(pk=copy.pk)
        for field, value in _fields(event, lang, data).items():
            setattr(translated, field, value)
        translated.save()
        translated.save_revision().publish()
    return page


def load_events(homes: dict[str, HomePage]) -> dict:
    """The event list in every language of `homes` that the demo has texts for, and
    the demo events. Load the news first: past events link to their reports."""
    data = demo_texts()
    langs = [lang for lang in homes if lang in data["index"]]
    if SOURCE_LANG not in langs:
        return {"events": 0, "languages": []}
    today = timezone.localdate()
    with transaction.atomic():
        indexes = load_indexes(homes, langs, data)
        for event in data["events"]:
            load_event(event, indexes, data, today)
    return {
        "events": EventPage.objects.child_of(indexes[SOURCE_LANG]).count(),
        "languages": sorted(indexes),
    }


def home_block_heading(language_code: str) -> str | None:
    """The front page block's heading in that language, or None without a text."""
    return demo_texts()["home_block"].get(language_code)
