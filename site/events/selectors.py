"""Reading the events for the public. Everything starts from `public_events()`:
live events outside any private section, so a draft or a restricted event never
reaches a list, the front page, a calendar, the sitemap or the API.

An event is upcoming until it ends, so one under way is still listed as coming."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Locale

from .models import EventIndexPage, EventPage

# How far back the subscribed calendar reaches: calendars keep what they had.
CALENDAR_PAST_DAYS = 365


def public_events(*, locale: Locale | None = None, index=None) -> QuerySet:
    events = EventPage.objects.live().public()
    if locale is not None:
        events = events.filter(locale=locale)
    if index is not None:
        events = events.child_of(index)
    return events.select_related("locale")


def upcoming_events(
    *, locale: Locale, limit: int | None = None, index=None, now=None
) -> list[EventPage]:
    """Events in `locale` that have not ended yet, the soonest first."""
    now = now or timezone.now()
    events = (
        public_events(locale=locale, index=index)
        .filter(ends_at__gte=now)
        .defer_streamfields()
        .order_by("starts_at", "pk")
    )
    return list(events[:limit] if limit else events)


def past_events(*, locale: Locale, index=None, now=None) -> QuerySet:
    """Events in `locale` that are over, the latest first."""
    now = now or timezone.now()
    return (
        public_events(locale=locale, index=index)
        .filter(ends_at__lt=now)
        .defer_streamfields()
        .order_by("-starts_at", "-pk")
    )


def calendar_events(*, locale: Locale, index=None, now=None) -> QuerySet:
    """What the subscribed calendar holds: every event still to come and those of
    the past year, with their bodies (the description is written from them)."""
    since = (now or timezone.now()) - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    return (
        public_events(locale=locale, index=index)
        .filter(ends_at__gte=since)
        .order_by("starts_at", "pk")
    )


def event_index(*, locale: Locale) -> EventIndexPage | None:
    return EventIndexPage.objects.live().public().filter(locale=locale).first()


def event_report(*, event: EventPage):
    """The event's report in the event's language when it is translated, else the
    chosen article; only while live and public."""
    if event.report_id is None:
        return None
    from news.models import ArticlePage

    key = ArticlePage.objects.filter(pk=event.report_id).values("translation_key")
    reports = ArticlePage.objects.live().public().filter(translation_key__in=key)
    found = {article.locale_id: article for article in reports}
    return found.get(event.locale_id) or next(
        (a for a in found.values() if a.pk == event.report_id), None
    )
