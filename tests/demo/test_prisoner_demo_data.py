"""The demo register that `load_demo_data` builds: enough invented people in every
language of the site to show every status and kind of persecution, written in each
language's script, with hidden parts and pseudonyms that stay private, and nothing
new the second time."""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from wagtail.models import Page, Revision

from prisoners import choices
from prisoners.models import (
    AlternativeName,
    CriminalArticle,
    DetentionPlace,
    PaceCriterionEvidence,
    PrisonerIndexPage,
    PrisonerPage,
    Region,
    TimelineEvent,
)
from prisoners.visibility import decode_hidden

pytestmark = pytest.mark.django_db

LANGS = [code for code, _name in django_settings.LANGUAGES]
TRANSLATED = sorted(set(LANGS) - {"uk"})
UKRAINIAN_ONLY = re.compile("[іїєґІЇЄҐ]")
RUSSIAN_ONLY = re.compile("[ыэъёЫЭЪЁ]")
CYRILLIC_NAME = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ' .]+")
LATIN_NAME = re.compile(r"[A-Za-z' .\-]+")


def profiles(lang):
    return PrisonerPage.objects.live().filter(locale__language_code=lang)


def index(lang):
    return PrisonerIndexPage.objects.live().get(locale__language_code=lang)


def test_each_language_has_at_least_thirty_live_profiles_under_its_register(demo):
    for lang in LANGS:
        register = index(lang)
        assert register.get_parent().locale.language_code == lang
        assert register.profiles().count() >= 30
        assert profiles(lang).count() == register.profiles().count()


def test_the_registers_and_profiles_are_translations_of_the_ukrainian_ones(demo):
    uk = index("uk")
    assert {i.translation_key for i in PrisonerIndexPage.objects.all()} == {
        uk.translation_key
    }
    for page in profiles("uk"):
        translations = page.get_translations().live()
        assert sorted(t.locale.language_code for t in translations) == TRANSLATED


def test_every_status_and_every_kind_of_persecution_appears_in_every_language(demo):
    for lang in LANGS:
        pages = list(profiles(lang))
        assert {p.status for p in pages} == set(choices.Status.values)
        kinds = {kind for p in pages for kind in p.persecution_types}
        assert kinds == set(choices.PersecutionType.values)
        authorities = {p.criminal_case_authority for p in pages}
        assert {"russia", "occupation", "belarus"} <= authorities
        assert {p.interpol_notice for p in pages} >= set(choices.InterpolNotice.values)
        with_case = [p for p in pages if p.criminal_case_authority]
        assert all(p.criminal_articles.exists() for p in with_case)


def test_every_demo_person_is_marked_fictional(demo):
    assert PrisonerPage.objects.count() >= 90
    assert not PrisonerPage.objects.filter(is_fictional=False).exists()


def test_names_are_written_in_the_script_of_each_language(demo):
    uk = [p.title for p in profiles("uk")]
    ru = [p.title for p in profiles("ru")]
    en = [p.title for p in profiles("en")]
    assert all(CYRILLIC_NAME.fullmatch(t) for t in uk + ru), uk + ru
    assert all(LATIN_NAME.fullmatch(t) for t in en), en
    assert sum(bool(UKRAINIAN_ONLY.search(t)) for t in uk) >= 10
    assert not any(UKRAINIAN_ONLY.search(t) for t in ru)
    assert any(RUSSIAN_ONLY.search(t) for t in ru)
    scripts = set(AlternativeName.objects.values_list("script", flat=True))
    assert {"uk", "ru", "latin", "crh"} <= scripts


def test_each_translation_points_to_snippets_in_its_own_language(demo):
    for lang in LANGS:
        for page in profiles(lang).select_related("home_region", "detention_place"):
            for snippet in (page.home_region, page.detention_place):
                assert snippet is None or snippet.locale_id == page.locale_id
            for article in page.criminal_articles.all():
                assert article.locale_id == page.locale_id
    for model in (Region, CriminalArticle, DetentionPlace):
        uk = model.objects.filter(locale__language_code="uk").count()
        assert uk and model.objects.count() == len(LANGS) * uk


def test_profiles_have_a_story_a_timeline_and_the_pace_evidence(demo):
    for page in profiles("en"):
        assert page.story.startswith("<p>")
        assert 2 <= page.timeline_events.count() <= 5
        assert page.pace_criteria.exists()
        assert page.assessment_summary
    not_meeting = profiles("en").filter(meets_pace_criteria=False)
    assert not_meeting.exists()
    assert all(p.assessment_summary for p in not_meeting)


def test_some_profiles_hide_parts_of_themselves(demo):
    for lang in LANGS:
        hiding = profiles(lang).exclude(hidden_fields="")
        assert hiding.count() >= 4
        groups = set().union(*(decode_hidden(p.hidden_fields) for p in hiding))
        assert {"letters", "home_region", "birth_year", "criminal_case"} <= groups


def test_a_hidden_letter_address_stays_off_the_public_profile(demo, client):
    hidden_letters = [
        p
        for p in profiles("en")
        if "letters" in decode_hidden(p.hidden_fields) and p.letter_address
    ]
    assert hidden_letters
    for page in hidden_letters:
        html = client.get(page.url).content.decode()
        for line in page.letter_address.splitlines():
            assert line not in html


def test_a_pseudonyms_legal_name_never_appears_in_public(demo, client):
    pseudonyms = PrisonerPage.objects.live().filter(is_pseudonym=True)
    assert len({p.translation_key for p in pseudonyms}) >= 3
    for page in pseudonyms:
        assert page.legal_name and not page.consent_name
        surname = page.legal_name.split()[-1]
        response = client.get(page.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert page.title in html
        assert page.legal_name not in html and surname not in html
        public = json.dumps(page.public_profile(), ensure_ascii=False)
        assert page.legal_name not in public and surname not in public
        register = client.get(f"{page.get_parent().url}?q={page.legal_name}")
        assert page.url not in register.content.decode()


def test_loading_demo_data_again_creates_and_changes_nothing(demo, settings):
    def snapshot():
        return {
            "pages": Page.objects.count(),
            "revisions": Revision.objects.count(),
            "snippets": [
                m.objects.count() for m in (Region, CriminalArticle, DetentionPlace)
            ],
            "rows": [
                m.objects.count()
                for m in (AlternativeName, TimelineEvent, PaceCriterionEvidence)
            ],
            "articles": PrisonerPage.criminal_articles.through.objects.count(),
            "profiles": sorted(
                PrisonerPage.objects.values_list(
                    "pk", "title", "latest_revision_id", "last_published_at"
                )
            ),
        }

    settings.DEBUG = True
    before = snapshot()

    call_command("load_demo_data", "--quiet-accounts")

    assert snapshot() == before


@pytest.mark.parametrize("query", ["Сергей Петренко", "Serhii Petrenko"])
def test_the_english_register_finds_petrenko_in_any_spelling(demo, client, query):
    petrenko = profiles("en").get(spellings__name="Сергій Петренко")
    other = profiles("en").get(title="Olena Kovalchuk")

    response = client.get("/en/prisoners/", {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert petrenko.title == "Serhii Petrenko"
    assert f'href="{petrenko.url}"' in html
    assert f'href="{other.url}"' not in html
