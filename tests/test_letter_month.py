"""The letter-writing month and the printable letter sheet: who is on them, and
who never is."""

import datetime
import re

import pytest
from django.utils import timezone

from prisoners.letters import letter_month_people
from prisoners.visibility import encode_hidden
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)

WRITABLE = {
    "birth_month": 3,
    "birth_day": 14,
    "consent_birthday": True,
    "letter_address": "Colony 2, Street 1, Town",
    "letter_topics_to_avoid": "Anything about the appeal",
    "letter_language": "ru",
}


def writable(index, **fields):
    """A profile on March's list, with an address checked a month ago, unless
    `fields` say otherwise."""
    recent = timezone.localdate() - datetime.timedelta(days=30)
    return add_profile(
        index, **{**WRITABLE, "letter_address_verified_on": recent, **fields}
    )


def march(index, *, today=None):
    return letter_month_people(
        locale=index.locale, month=3, today=today or timezone.localdate()
    )


def test_the_month_lists_the_person_whose_birthday_falls_in_it(prisoner_index):
    person = writable(prisoner_index, title="Anna March")
    writable(
        prisoner_index,
        title="Oleh April",
        birth_month=4,
    )

    assert march(prisoner_index) == [person]


@pytest.mark.parametrize(
    "fields",
    [
        {"consent_birthday": False},
        {"hidden_fields": encode_hidden(["birthday"])},
        {"hidden_fields": encode_hidden(["letters"])},
        {"consent_detention_place": False},
        {"letters_blocked": True},
        {"letter_address": ""},
        {"letter_address_verified_on": None},
        {"birth_day": None, "birth_month": None, "birth_year": 1980},
    ],
    ids=[
        "no birthday consent",
        "birthday hidden",
        "letters hidden",
        "no consent to the address",
        "letters blocked",
        "no address",
        "address never verified",
        "birth year only",
    ],
)
def test_the_month_leaves_out_people_who_cannot_be_written_to(prisoner_index, fields):
    writable(prisoner_index, title="Left Out", **fields)

    assert march(prisoner_index) == []


def test_an_address_older_than_the_limit_leaves_the_person_out(
    prisoner_index, settings
):
    settings.LETTERS_ADDRESS_MAX_AGE_MONTHS = 6
    writable(
        prisoner_index,
        title="Old Address",
        letter_address_verified_on=datetime.date(2026, 6, 6),
    )
    fresh = writable(
        prisoner_index,
        title="Fresh Address",
        letter_address_verified_on=datetime.date(2026, 6, 7),
    )

    assert march(prisoner_index, today=TODAY) == [fresh]


def test_drafts_and_unpublished_profiles_are_never_on_the_month(prisoner_index):
    unpublished = writable(prisoner_index, title="Unpublished Person")
    unpublished.unpublish()
    draft = writable(prisoner_index, title="Draft Person")
    draft.live = False
    draft.save()

    assert march(prisoner_index) == []


def test_the_month_lists_only_the_locale_asked_for(prisoner_index, home_pages):
    from tests.factories import PrisonerIndexPageFactory

    ukrainian = PrisonerIndexPageFactory(parent=home_pages["uk"])
    writable(ukrainian, title="Hanna Berezen")

    assert march(prisoner_index) == []
    assert [p.title for p in march(ukrainian)] == ["Hanna Berezen"]


def test_the_month_page_shows_the_person_and_links_their_letter_sheet(
    client, prisoner_index
):
    person = writable(prisoner_index, title="Anna March")
    writable(
        prisoner_index, title="Nina Hidden", hidden_fields=encode_hidden(["birthday"])
    )

    response = client.get(f"{prisoner_index.url}letters/?month=3")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Anna March" in body
    assert "Nina Hidden" not in body
    assert f"{person.url}letter/" in body


def test_the_letter_sheet_shows_address_language_and_topics_to_avoid(
    client, prisoner_index
):
    person = writable(prisoner_index, title="Anna March")

    response = client.get(f"{person.url}letter/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Colony 2, Street 1, Town" in body
    assert person.get_letter_language_display() in body
    assert "Anything about the appeal" in body


@pytest.mark.parametrize(
    "fields",
    [
        {"letters_blocked": True},
        {"letter_address": ""},
        {"hidden_fields": encode_hidden(["letters"])},
        {"consent_detention_place": False},
        {"letter_address_verified_on": datetime.date(2020, 1, 1)},
    ],
    ids=["blocked", "no address", "letters hidden", "no consent", "stale address"],
)
def test_the_letter_sheet_is_not_found_when_the_person_cannot_be_written_to(
    client, prisoner_index, fields
):
    person = writable(prisoner_index, **fields)

    assert client.get(f"{person.url}letter/").status_code == 404


def test_the_api_gives_the_birthday_only_with_consent(client, prisoner_index):
    writable(prisoner_index, title="Anna Consented")
    writable(prisoner_index, title="Oleh Unconsented", consent_birthday=False)

    response = client.get(
        "/api/v2/pages/?type=prisoners.PrisonerPage&fields=public_profile"
    )

    profiles = {
        item["title"]: item["public_profile"] for item in response.json()["items"]
    }
    assert profiles["Anna Consented"]["birthday"] == {"month": 3, "day": 14}
    assert "birthday" not in profiles["Oleh Unconsented"]


@pytest.mark.parametrize("months_ahead", [0, 10])
def test_the_demo_loaded_on_any_day_has_someone_to_write_to_in_that_month(
    monkeypatch, months_ahead
):
    from prisoners import demo
    from prisoners.letters import has_letter_sheet, months_before
    from prisoners.models import PrisonerPage

    load_day = months_before(timezone.localdate(), -months_ahead)
    monkeypatch.setattr(demo, "_load_day", lambda: load_day)
    born_this_month = [
        person
        for person in demo.PEOPLE
        if demo.BIRTHDAYS.get(person.slug, (None, None, False))[::2]
        == (load_day.month, True)
    ]

    writable = [
        person.slug
        for person in born_this_month
        if has_letter_sheet(PrisonerPage(**demo._shared_fields(person)), load_day)
    ]

    assert born_this_month, "the demo's BIRTHDAYS table has no one in this month"
    assert writable


def test_the_demo_keeps_an_old_address_old_whenever_it_is_loaded(monkeypatch):
    from prisoners import demo
    from prisoners.letters import oldest_verification

    stale_in_the_tables = {
        person.slug
        for person in demo.PEOPLE
        if person.letters
        and demo._date(person.letters[0]) < oldest_verification(demo.LETTERS_TABLE_DAY)
    }
    for load_day in (datetime.date(2027, 10, 5), datetime.date(2031, 2, 28)):
        monkeypatch.setattr(demo, "_load_day", lambda day=load_day: day)
        stale = {
            person.slug
            for person in demo.PEOPLE
            if person.letters
            and demo._shared_fields(person)["letter_address_verified_on"]
            < oldest_verification(load_day)
        }

        assert stale == stale_in_the_tables
    assert "oksana-lysenko" in stale_in_the_tables


WRITE_BUTTON = re.compile(r'<a class="button[^"]*" href="([^"]*)">Write a letter</a>')


@pytest.mark.parametrize(
    "fields",
    [
        {"letters_blocked": True},
        {"letter_address_verified_on": datetime.date(2020, 1, 1)},
        {"letter_address_verified_on": timezone.localdate() + datetime.timedelta(1)},
    ],
    ids=["blocked", "stale address", "verified in the future"],
)
def test_the_profile_offers_no_write_button_when_the_letter_sheet_is_not_found(
    client, prisoner_index, fields
):
    person = writable(prisoner_index, title="Hard To Reach", **fields)

    body = client.get(person.url).content.decode()

    assert client.get(f"{person.url}letter/").status_code == 404
    assert WRITE_BUTTON.findall(body) == []
    # The address stays, as the profile's rules say: the date tells its age.
    assert 'id="write"' in body
    assert "Colony 2, Street 1, Town" in body


def test_the_profile_offers_the_write_buttons_while_the_letter_sheet_exists(
    client, prisoner_index
):
    person = writable(prisoner_index, title="Easy To Reach")

    body = client.get(person.url).content.decode()

    assert client.get(f"{person.url}letter/").status_code == 200
    assert WRITE_BUTTON.findall(body) == ["#write", f"{person.url}letter/"]
