"""A visitor finds a person in the register, reads the profile, switches language."""

import datetime

import pytest
from wagtail.models import Locale

from prisoners import choices
from tests.browser import chromium_page
from tests.conftest import add_profile
from tests.factories import RegionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def register(live_server, prisoner_index):
    crimea = RegionFactory(name="Crimea", slug="crimea")
    petrenko = add_profile(
        prisoner_index,
        title="Serhii Petrenko",
        spellings=[("uk", "Сергій Петренко"), ("ru", "Сергей Петренко")],
        home_region=crimea,
        status=choices.Status.SENTENCED,
        detained_on=datetime.date(2021, 5, 4),
        letter_address="SIZO-2, Simferopol",
    )
    add_profile(prisoner_index, title="Iryna Danylenko", status=choices.Status.PRETRIAL)
    add_profile(prisoner_index, title="Oleh Koval", status=choices.Status.RELEASED)

    uk = Locale.objects.get(language_code="uk")
    prisoner_index.copy_for_translation(uk).save_revision().publish()
    translated = petrenko.copy_for_translation(uk)
    translated.title = "Сергій Петренко"
    translated.save_revision().publish()
    return live_server.url


def test_a_visitor_filters_searches_opens_a_profile_and_switches_language(register):
    site = register
    with chromium_page() as page:
        page.goto(f"{site}/en/prisoners/")
        assert page.locator(".card").count() == 3

        page.select_option("#f-status", "sentenced")
        page.click("form.register-search button[type=submit]")
        page.wait_for_url("**status=sentenced**")
        assert page.locator(".card__name").all_inner_texts() == ["Serhii Petrenko"]

        page.goto(f"{site}/en/prisoners/")
        page.fill("#register-q", "Сергей Петренко")
        page.press("#register-q", "Enter")
        page.wait_for_url("**q=**")
        assert page.locator(".card__name").all_inner_texts() == ["Serhii Petrenko"]

        page.click("text=Serhii Petrenko")
        page.wait_for_url("**/serhii-petrenko/")
        assert page.locator("h1").inner_text() == "Serhii Petrenko"
        assert "SIZO-2, Simferopol" in page.locator("#write").inner_text()

        page.click(".language-switcher [data-language=uk]")
        page.wait_for_url(f"{site}/uk/**")
        assert page.locator("h1").inner_text() == "Сергій Петренко"
        assert page.locator("html").get_attribute("lang") == "uk"
