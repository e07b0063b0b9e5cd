"""The letter-writing month and the printable letter sheet: who is on them, and
who never is."""

import datetime

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
