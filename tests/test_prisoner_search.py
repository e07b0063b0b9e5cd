"""A person can be found by any spelling of their name, Cyrillic or Latin."""

import pytest

from prisoners.transliteration import name_keys
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db

SPELLINGS = ["Sergei Petrenko", "Serhii Petrenko", "Сергей Петренко", "Сергій Петренко"]


@pytest.fixture
def petrenko(prisoner_index):
    return add_profile(
        prisoner_index,
        title="Serhii Petrenko",
        spellings=[("uk", "Сергій Петренко"), ("ru", "Сергей Петренко")],
        occupation="Beekeeper",
    )


@pytest.fixture
def others(prisoner_index):
    return [
        add_profile(prisoner_index, title="Oleh Sentsiuk"),
        add_profile(prisoner_index, title="Nariman Dzhelyalov"),
        add_profile(prisoner_index, title="Serhii Koval"),
    ]


def names_found(client, query):
    response = client.get("/en/prisoners/", {"q": query})
    assert response.status_code == 200
    return {profile.title for profile in response.context["results"].object_list}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_gives_the_same_name_key(spelling):
    assert name_keys(spelling) == name_keys(SPELLINGS[0])


@pytest.mark.parametrize("query", SPELLINGS)
def test_any_spelling_finds_the_same_person(client, petrenko, others, query):
    assert names_found(client, query) == {"Serhii Petrenko"}


@pytest.mark.parametrize("query", ["Sergiy Petrenko", "Sergey Petrenko", "петренко"])
def test_other_romanisations_and_cases_find_the_person_too(
    client, petrenko, others, query
):
    assert names_found(client, query) == {"Serhii Petrenko"}


def test_a_cyrillic_query_finds_a_person_entered_only_in_latin(client, others):
    assert names_found(client, "Олег Сенцюк") == {"Oleh Sentsiuk"}


def test_the_start_of_a_name_is_enough(client, petrenko, others):
    assert names_found(client, "Petr") == {"Serhii Petrenko"}
    assert names_found(client, "Сергі") == {"Serhii Petrenko", "Serhii Koval"}


def test_public_text_is_searchable_too(client, petrenko, others):
    assert names_found(client, "beekeeper") == {"Serhii Petrenko"}


def test_a_query_that_matches_nobody_says_so(client, petrenko):
    response = client.get("/en/prisoners/", {"q": "Zzyzx"})

    assert response.context["result_count"] == 0
    assert "Nobody matches" in response.content.decode()
