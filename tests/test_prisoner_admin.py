"""Editors manage profiles in the admin: every tab renders, and hiding works."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from prisoners.models import PrisonerPage
from tests.conftest import add_profile

pytestmark = pytest.mark.django_db


def test_the_profile_editor_renders_every_tab(staff_client, prisoner_index):
    response = staff_client.get(
        f"/admin/pages/add/prisoners/prisonerpage/{prisoner_index.pk}/"
    )

    assert response.status_code == 200
    html = response.content.decode()
    for field in (
        "criminal_case_authority",  # Persecution
        "letter_address",  # Detention and letters
        "consent_given_by",  # Consent and visibility
        "hidden_groups",
        "spellings-TOTAL_FORMS",
    ):
        assert f'name="{field}"' in html, field


def test_an_editor_hides_parts_of_a_profile_from_the_admin(
    staff_client, prisoner_index
):
    page = add_profile(prisoner_index, title="To Hide", occupation="Miner")
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "status": "sentenced",
            "occupation": "Miner",
            "story": rich_text(""),
            "criminal_case_authority": "russia",
            "consent_given_by": "family",
            "consent_given_on": "2024-01-01",
            "consent_name": "on",
            "spellings": inline_formset([]),
            "timeline_events": inline_formset([]),
            "pace_criteria": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["hidden_groups"] = ["occupation", "letters"]

    response = staff_client.post(edit_url, data)

    assert response.status_code == 302, response.context["form"].errors
    draft = PrisonerPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.hidden_fields == ",letters,occupation,"
    assert not draft.shows("occupation")
