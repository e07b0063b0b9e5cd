"""iCalendar (RFC 5545) export of events, written with the `icalendar` library.

One VEVENT per event: its UID is the page's translation key at the site's host, so
it stays the same when the page is renamed, moved or republished; the times carry
the event's TZID with a VTIMEZONE for it, texts a LANGUAGE parameter."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from icalendar import Calendar, Event

from .models import EventPage

PRODID = "-//Solidarity//Events//EN"


def event_uid(event: EventPage, *, host: str) -> str:
    return f"{event.translation_key}@{host}"


def _plain_body(event: EventPage) -> list[str]:
    paragraphs = []
    for block in event.body:
        if block.block_type == "paragraph":
            text = strip_tags(block.value.source).strip()
        elif block.block_type == "quote":
            text = f"«{block.value['text']}» — {block.value['source']}".strip(" —")
        else:
            continue
        if text:
            paragraphs.append(normalize_newlines(text))
    return paragraphs


def _location(event: EventPage) -> str:
    place = ", ".join(
        part.strip()
        for part in (event.place_name, *event.place_address.splitlines())
        if part.strip()
    )
    return place or event.online_url


def event_component(event: EventPage, *, request=None, stamp=None) -> Event:
    url = event.get_full_url(request)
    language = {"language": event.locale.language_code}
    vevent = Event()
    vevent.add("uid", event_uid(event, host=urlsplit(url).hostname or "localhost"))
    vevent.add("dtstamp", stamp or timezone.now())
    vevent.add("dtstart", event.local_start)
    vevent.add("dtend", event.local_end)
    vevent.add("summary", event.title, parameters=language)
    description = [event.summary, *_plain_body(event)]
    if event.online_url:
        description.append(event.online_url)
    if event.registration_url:
        description.append(event.registration_url)
    description.append(url)
    vevent.add("description", "\n\n".join(description), parameters=language)
    location = _location(event)
    if location:
        vevent.add("location", location, parameters=language)
    vevent.add("url", url)
    vevent.add("categories", [event.kind])
    vevent.add("status", "CONFIRMED")
    if event.last_published_at:
        vevent.add("last-modified", event.last_published_at)
    return vevent


def events_calendar(
    events: Iterable[EventPage], *, request=None, name: str = ""
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    events = list(events)
    for event in events:
        calendar.add_component(event_component(event, request=request, stamp=stamp))
    if events:
        # RFC 5545 wants a VTIMEZONE for every TZID the events use; its rules need
        # only cover the events' dates, not the zone's whole history.
        margin = datetime.timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=min(e.local_start.date() for e in events) - margin,
            last_date=max(e.local_end.date() for e in events) + margin,
        )
    return calendar


def calendar_response(
    calendar: Calendar, *, filename: str, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
