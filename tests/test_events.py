"""The events: where and when (in the event's own time zone, in the visitor's
language), the list of upcoming and past ones with their reports, the iCal exports,
the front page's block, the sitemap and the API. Drafts never show."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.choices import EventKind
from events.models import EventIndexPage, EventPage
from events.selectors import past_events, upcoming_events
from news.choices import ArticleKind
from news.models import ArticlePage, NewsIndexPage

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
SOON = timezone.now() + datetime.timedelta(days=10)


def event_index(home):
    index = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def at_kyiv(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), KYIV)


def add_event(index, *, title, starts_at, hours=2, live=True, **fields):
    fields.setdefault("summary", f"About {title}.")
    fields.setdefault("place_name", "Community centre")
    event = EventPage(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **fields,
    )
    index.add_child(instance=event)
    revision = event.save_revision()
    if live:
        revision.publish()
    else:
        event.unpublish()
    return event


def report_article(home, title="Report of the evening"):
    news = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=news)
    news.save_revision().publish()
    article = ArticlePage(
        title=title, summary="How it went.", kind=ArticleKind.EVENT_REPORT
    )
    news.add_child(instance=article)
    article.save_revision().publish()
    return article


@pytest.fixture
def events(home_pages):
    en = event_index(home_pages["en"])
    soon_day = timezone.localdate(SOON, KYIV)
    return {
        "en": en,
        "home": home_pages["en"],
        "upcoming": add_event(
            en,
            title="Webinar on writing letters",
            starts_at=at_kyiv(soon_day, 19),
            kind=EventKind.WEBINAR,
            place_name="",
            online_url="https://meet.example.org/letters",
        ),
        "later": add_event(
            en,
            title="Discussion in Warsaw",
            starts_at=at_kyiv(soon_day, 19) + datetime.timedelta(days=20),
        ),
        "past": add_event(
            en,
            title="Evening in Vilnius",
            starts_at=at_kyiv(datetime.date(2025, 12, 10), 17),
            report=report_article(home_pages["en"]),
        ),
        "draft": add_event(
            en, title="Secret planning meeting", starts_at=SOON, live=False
        ),
    }


# --- Validation ---------------------------------------------------------------------


def unsaved_event(**fields):
    values = {
        "title": "An event",
        "slug": "an-event",
        "summary": "About it.",
        "starts_at": SOON,
        "ends_at": SOON + datetime.timedelta(hours=2),
        "place_name": "Community centre",
    }
    values.update(fields)
    return EventPage(**values)


def test_an_event_needs_a_place_or_an_online_link(db):
    with pytest.raises(ValidationError) as error:
        unsaved_event(place_name="", online_url="").full_clean()

    assert "place_name" in error.value.message_dict
    assert "online_url" in error.value.message_dict


def test_an_online_event_without_a_place_is_valid(db):
    unsaved_event(place_name="", online_url="https://meet.example.org/a").clean()


def test_a_made_up_time_zone_is_refused(db):
    with pytest.raises(ValidationError) as error:
        unsaved_event(time_zone="Europe/Atlantis").full_clean(exclude=["path", "depth"])

    assert "time_zone" in error.value.message_dict


def test_an_event_cannot_end_before_it_starts(db):
    with pytest.raises(ValidationError) as error:
        unsaved_event(ends_at=SOON - datetime.timedelta(hours=1)).clean()

    assert "ends_at" in error.value.message_dict


# --- Lists and pages ----------------------------------------------------------------


def test_upcoming_events_come_soonest_first_and_past_ones_apart(events):
    locale = events["en"].locale

    upcoming = upcoming_events(locale=locale, limit=5)

    assert upcoming == [events["upcoming"].specific, events["later"].specific]
    assert list(past_events(locale=locale)) == [events["past"].specific]
    assert upcoming_events(locale=locale, limit=1) == [events["upcoming"].specific]


def test_the_list_shows_live_events_but_not_drafts(client, events):
    html = client.get(events["en"].url).content.decode()

    assert "Webinar on writing letters" in html
    assert "Evening in Vilnius" in html
    assert html.index("Webinar on writing letters") < html.index("Evening in Vilnius")
    assert "Secret planning meeting" not in html
    assert "/en/events/ical/" in html and "webcal://" in html


def test_past_events_are_paged_newest_first(client, events, monkeypatch):
    monkeypatch.setattr("events.models.PER_PAGE", 1)
    add_event(
        events["en"],
        title="Evening in Riga",
        starts_at=at_kyiv(datetime.date(2026, 3, 1), 18),
    )

    first = client.get(events["en"].url).content.decode()
    second = client.get(events["en"].url, {"page": 2}).content.decode()

    assert "Evening in Riga" in first and "Evening in Vilnius" not in first
    assert "Evening in Vilnius" in second and "Evening in Riga" not in second
    assert "Webinar on writing letters" in second  # upcoming stay on every page


def test_the_time_shows_in_english_in_the_events_zone(client, events):
    html = client.get(events["past"].url).content.decode()

    assert '<time datetime="2025-12-10T17:00:00+02:00">' in html
    assert "Dec. 10, 2025, 5 p.m." in html
    assert "Kyiv time (UTC+2)" in html


def test_the_time_shows_in_ukrainian_with_the_zone(client, events, home_pages):
    uk = event_index(home_pages["uk"])
    event = add_event(
        uk, title="Вечір листів", starts_at=at_kyiv(datetime.date(2026, 7, 1), 19)
    )

    html = client.get(event.url).content.decode()

    assert "01 липня 2026 р. 19:00" in html
    assert "UTC+3" in html  # summer time in Kyiv
    assert '<time datetime="2026-07-01T19:00:00+03:00">' in html


def test_a_past_event_links_its_report_and_an_upcoming_one_does_not(client, events):
    past = client.get(events["past"].url).content.decode()
    upcoming = client.get(events["upcoming"].url).content.decode()

    assert "Read the report" in past
    assert events["past"].report.url in past
    assert "Read the report" not in upcoming
    assert "Add to calendar (iCal)" in upcoming


def test_a_report_that_is_unpublished_is_not_linked(client, events):
    events["past"].report.unpublish()

    html = client.get(events["past"].url).content.decode()

    assert "Read the report" not in html


# --- iCal -----------------------------------------------------------------------------


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_an_events_ical_has_one_event_at_its_zones_time(client, events):
    response = client.get(events["past"].url + "ical/")

    calendar = parse(response)
    (vevent,) = calendar.walk("VEVENT")
    assert 'filename="evening-in-vilnius.ics"' in response["Content-Disposition"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Kyiv"
    assert vevent.decoded("DTSTART") == at_kyiv(datetime.date(2025, 12, 10), 17)
    assert str(vevent["SUMMARY"]) == "Evening in Vilnius"
    assert str(vevent["URL"]).endswith(events["past"].url)
    assert "Community centre" in str(vevent["LOCATION"])
    assert calendar.walk("VTIMEZONE"), "a TZID needs its VTIMEZONE"


def test_the_uid_is_stable_and_names_the_translation_key(client, events):
    first = parse(client.get(events["past"].url + "ical/")).walk("VEVENT")[0]
    events["past"].title = "Evening in Vilnius, renamed"
    events["past"].save_revision().publish()
    again = parse(client.get(events["past"].url + "ical/")).walk("VEVENT")[0]

    assert str(first["UID"]) == str(again["UID"])
    assert str(first["UID"]).startswith(str(events["past"].translation_key) + "@")


def test_the_feed_holds_the_live_events_of_its_language_only(client, events):
    calendar = parse(client.get(events["en"].url + "ical/"))

    summaries = {str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")}
    assert summaries == {
        "Webinar on writing letters",
        "Discussion in Warsaw",
        "Evening in Vilnius",
    }
    online = next(v for v in calendar.walk("VEVENT") if "Webinar" in str(v["SUMMARY"]))
    assert str(online["LOCATION"]) == "https://meet.example.org/letters"


def test_a_draft_has_no_ical(client, events):
    response = client.get(events["draft"].url + "ical/")

    assert response.status_code == 404


# --- Front page, sitemap and API --------------------------------------------------


def set_body(home, blocks):
    home.body = json.dumps(blocks)
    home.save_revision().publish()


UPCOMING_BLOCK = [
    {"type": "upcoming_events", "value": {"heading": "Come along", "count": 3}}
]


def test_the_front_page_block_shows_upcoming_events_only(client, events):
    set_body(events["home"], UPCOMING_BLOCK)

    html = client.get(events["home"].url).content.decode()

    assert "Come along" in html
    assert "Webinar on writing letters" in html
    assert "Evening in Vilnius" not in html
    assert "Secret planning meeting" not in html


def test_the_front_page_block_hides_with_nothing_coming(client, home_pages):
    index = event_index(home_pages["en"])
    add_event(index, title="Long ago", starts_at=at_kyiv(datetime.date(2025, 1, 1), 18))
    set_body(home_pages["en"], UPCOMING_BLOCK)

    html = client.get(home_pages["en"].url).content.decode()

    assert "Come along" not in html
    assert "Long ago" not in html


def test_the_sitemap_lists_a_live_event_but_not_a_draft(client, events):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert events["upcoming"].slug in sitemap
    assert events["draft"].slug not in sitemap


def test_the_api_gives_live_events_with_their_public_fields_only(client, events):
    response = client.get("/api/v2/pages/", {"type": "events.EventPage", "fields": "*"})
    items = response.json()["items"]

    titles = {item["title"] for item in items}
    assert titles == {
        "Webinar on writing letters",
        "Discussion in Warsaw",
        "Evening in Vilnius",
    }
    fields = set(items[0]) - {"id", "meta", "title"}
    assert fields == {
        "kind",
        "starts_at",
        "ends_at",
        "time_zone",
        "event_language",
        "place_name",
        "place_address",
        "online_url",
        "registration_url",
        "summary",
    }
    draft = client.get(f"/api/v2/pages/{events['draft'].pk}/")
    assert draft.status_code == 404


# --- The editor's form ----------------------------------------------------------------


def test_an_editor_types_the_time_as_the_clock_reads_where_the_event_is(
    events, admin_user
):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    form_class = EventPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": "Evening in Warsaw",
            "slug": "evening-in-warsaw",
            "kind": EventKind.DISCUSSION,
            "starts_at": "2026-07-01 19:00",
            "ends_at": "2026-07-01 21:00",
            "time_zone": "Europe/Warsaw",
            "place_name": "Library",
            "event_language": "en",
            "summary": "About it.",
            "body": streamfield([("paragraph", rich_text("<p>Hello</p>"))]),
        }
    )
    with timezone.override("UTC"):
        form = form_class(
            data, instance=EventPage(), parent_page=events["en"], for_user=admin_user
        )
        assert form.is_valid(), form.errors

    assert form.cleaned_data["starts_at"] == datetime.datetime(
        2026, 7, 1, 17, 0, tzinfo=datetime.UTC
    )
