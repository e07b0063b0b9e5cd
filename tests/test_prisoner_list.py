"""The register: combinable filters in the URL, counts, sorting, pagination, and a
fixed number of queries however many people are listed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners import choices
from prisoners.models import PaceCriterionEvidence
from tests.conftest import add_profile
from tests.factories import CriminalArticleFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crimea():
    return RegionFactory(name="Crimea", slug="crimea")


@pytest.fixture
def kherson():
    return RegionFactory(name="Kherson region", slug="kherson")


@pytest.fixture
def article():
    return CriminalArticleFactory(number="205.5", slug="russia-205-5")


@pytest.fixture
def register(prisoner_index, crimea, kherson, article):
    people = {
        "Asan": add_profile(
            prisoner_index,
            title="Asan Ablaiev",
            status=choices.Status.SENTENCED,
            home_region=crimea,
            detained_on=datetime.date(2019, 3, 27),
            criminal_articles=[article],
        ),
        "Iryna": add_profile(
            prisoner_index,
            title="Iryna Danylenko",
            status=choices.Status.PRETRIAL,
            home_region=kherson,
            detained_on=datetime.date(2022, 8, 1),
        ),
        "Vlad": add_profile(
            prisoner_index,
            title="Vladyslav Bury",
            status=choices.Status.WANTED_ABROAD,
            criminal_case_authority="",
            interpol_notice=choices.InterpolNotice.RED_NOTICE,
            sis_alert=True,
            detained_on=None,
        ),
        "Hidden": add_profile(
            prisoner_index,
            title="Pseudonym Kateryna",
            is_pseudonym=True,
            consent_name=False,
            status=choices.Status.SENTENCED,
            home_region=crimea,
            hidden_fields=",home_region,",
            detained_on=datetime.date(2019, 5, 1),
        ),
    }
    PaceCriterionEvidence.objects.create(
        page=people["Asan"], criterion="b", evidence="No offence at all."
    )
    return people


def titles(response):
    return [p.title for p in response.context["results"].object_list]


def test_filters_by_status(client, register):
    response = client.get("/en/prisoners/?status=pretrial")

    assert titles(response) == ["Iryna Danylenko"]


def test_filters_by_persecution_type(client, register):
    assert titles(client.get("/en/prisoners/?persecution=interpol")) == [
        "Vladyslav Bury"
    ]
    assert titles(client.get("/en/prisoners/?persecution=sis_alert")) == [
        "Vladyslav Bury"
    ]


def test_filters_by_region_leave_out_people_whose_region_is_hidden(client, register):
    assert titles(client.get("/en/prisoners/?region=crimea")) == ["Asan Ablaiev"]


def test_filters_by_pace_criterion_article_and_year(client, register):
    assert titles(client.get("/en/prisoners/?criterion=b")) == ["Asan Ablaiev"]
    assert titles(client.get("/en/prisoners/?article=russia-205-5")) == ["Asan Ablaiev"]
    assert titles(client.get("/en/prisoners/?year=2019")) == [
        "Asan Ablaiev",
        "Pseudonym Kateryna",
    ]


def test_filters_combine(client, register):
    response = client.get("/en/prisoners/?status=sentenced&year=2019&region=crimea")

    assert titles(response) == ["Asan Ablaiev"]


def test_unknown_filter_values_are_ignored_not_errors(client, register):
    response = client.get("/en/prisoners/?status=bogus&year=abc&sort=evil&page=99")

    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_counts_show_how_many_each_option_would_give(client, register):
    response = client.get("/en/prisoners/?status=sentenced")
    counts = response.context["counts"]

    assert response.context["result_count"] == 2
    assert counts["status"]["sentenced"] == 2
    assert counts["status"]["pretrial"] == 1  # counted as if that filter were off
    assert [(r["home_region__slug"], r["n"]) for r in counts["region"]] == [
        ("crimea", 1)
    ]
    assert "(2)" in response.content.decode()


def test_hidden_regions_are_not_counted_either(client, register):
    counts = client.get("/en/prisoners/").context["counts"]

    assert {r["home_region__slug"]: r["n"] for r in counts["region"]} == {
        "crimea": 1,
        "kherson": 1,
    }


def test_sorting_by_detention_date(client, register):
    response = client.get("/en/prisoners/?sort=-detained&year=2019")

    assert titles(response) == ["Pseudonym Kateryna", "Asan Ablaiev"]


def test_pagination_links_keep_the_filters(client, prisoner_index):
    for n in range(30):
        add_profile(prisoner_index, title=f"Person {n:02d}")

    response = client.get("/en/prisoners/?status=sentenced")
    html = response.content.decode()

    assert len(titles(response)) == 24
    assert 'href="?status=sentenced&amp;page=2"' in html
    page_two = client.get("/en/prisoners/?status=sentenced&page=2")
    assert len(titles(page_two)) == 6


def count_queries(client, url):
    client.get(url)  # warm Wagtail's per-site caches, which any first request fills
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/en/prisoners/", "/en/prisoners/?status=sentenced&region=crimea&q=Person"],
)
def test_the_list_needs_as_many_queries_for_200_people_as_for_10(
    client, settings, monkeypatch, prisoner_index, crimea, article, url
):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr("prisoners.selectors.FACET_CACHE_SECONDS", 0)  # count them

    def add(n):
        for i in range(n):
            add_profile(
                prisoner_index,
                title=f"Person {i} {n}",
                home_region=crimea,
                criminal_articles=[article],
            )

    add(10)
    at_ten = count_queries(client, url)
    add(190)
    at_two_hundred = count_queries(client, url)

    assert at_two_hundred == at_ten


def test_counts_are_cached_until_a_page_is_published(
    client, settings, prisoner_index, register
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/prisoners/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/en/prisoners/")

    add_profile(prisoner_index, title="Newly Published", status=choices.Status.RELEASED)
    with CaptureQueriesContext(connection) as after_publish:
        response = client.get("/en/prisoners/")

    assert len(after_publish) > len(cached)
    assert response.context["counts"]["status"]["released"] == 1
