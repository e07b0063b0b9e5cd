"""The demo's events: a list in every language with upcoming and past events, the
past ones linking their reports, in the header menu and on the front page; and their
pages need nothing the strict content policy forbids."""

import pytest
from django.test import Client
from wagtail.models import Locale

from events.models import EventIndexPage, EventPage
from events.selectors import past_events, upcoming_events
from tests.demo.test_security_headers import (
    EVENT_HANDLER,
    EXTERNAL,
    INLINE_SCRIPT,
    INLINE_STYLE,
)

pytestmark = pytest.mark.django_db


def test_every_language_has_upcoming_and_past_events(demo):
    for locale in Locale.objects.all():
        assert EventIndexPage.objects.live().filter(locale=locale).exists(), locale
        assert len(upcoming_events(locale=locale)) == 3, locale
        past = list(past_events(locale=locale))
        assert len(past) == 2 and all(event.report_id for event in past), locale


def test_the_event_list_is_in_the_header_and_the_front_page(demo):
    html = Client().get("/en/").content.decode()
    index = EventIndexPage.objects.get(locale__language_code="en")

    assert f'href="{index.url}"' in html
    assert "Upcoming events" in html


def test_event_pages_need_no_exception_to_the_policy(demo):
    english = Locale.objects.get(language_code="en")
    index = EventIndexPage.objects.get(locale=english)
    past = past_events(locale=english).first()
    paths = [index.url, upcoming_events(locale=english)[0].url, past.url]
    client = Client()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, EXTERNAL):
            assert pattern.search(html) is None, (path, pattern.pattern)
    assert "Read the report" in client.get(past.url).content.decode()
    assert EventPage.objects.filter(locale=english).count() == 5
