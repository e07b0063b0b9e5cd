"""The demo's letter addresses keep their age from the day the demo is loaded: the
letter month of this month has someone to write to, and an address stale on
purpose is stale still."""

import pytest
from django.utils import timezone
from wagtail.models import Locale

from prisoners import demo as prisoners_demo
from prisoners.letters import (
    has_letter_sheet,
    letter_month_people,
    oldest_verification,
)
from prisoners.models import PrisonerPage

pytestmark = pytest.mark.django_db


def test_this_months_letter_month_has_someone_to_write_to_in_every_language(demo):
    today = timezone.localdate()

    for locale in Locale.objects.all():
        people = letter_month_people(locale=locale, month=today.month, today=today)
        assert people, locale.language_code


def test_the_demo_addresses_are_as_old_as_the_tables_make_them(demo):
    today = timezone.localdate()

    for person in prisoners_demo.PEOPLE:
        if not person.letters:
            continue
        page = PrisonerPage.objects.get(slug=person.slug, locale__language_code="uk")
        age = prisoners_demo.LETTERS_TABLE_DAY - prisoners_demo._date(person.letters[0])
        assert page.letter_address_verified_on == today - age, person.slug


def test_an_address_old_on_purpose_is_older_than_the_limit(demo):
    page = PrisonerPage.objects.get(slug="oksana-lysenko", locale__language_code="uk")

    assert page.letter_address_verified_on < oldest_verification(timezone.localdate())
    assert not has_letter_sheet(page)
