"""Uploaded documents reach the public only while a live page links them, as
photos do; staff who passed the second factor download any of them."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(db):
    return get_document_model().objects.create(
        title="Court decision",
        file=ContentFile(b"%PDF-1.4 decision of the court", name="decision.pdf"),
    )


def linking(document) -> str:
    return f'<p>Read <a linktype="document" id="{document.pk}">the decision</a>.</p>'


@pytest.fixture
def statement_index(home_pages):
    from tests.factories import StatementIndexPageFactory

    return StatementIndexPageFactory(parent=home_pages["en"])


def live_statement(statement_index, **fields):
    from tests.factories import StatementPageFactory

    page = StatementPageFactory(parent=statement_index, **fields)
    page.save_revision().publish()
    return page


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_document_no_page_links_is_not_found_rather_than_forbidden(client, document):
    response = client.get(document.url)

    assert response.status_code == 404


def test_a_document_a_live_page_links_is_served_until_the_page_is_unpublished(
    client, document, statement_index
):
    page = live_statement(statement_index, body=linking(document))

    response = client.get(document.url)
    assert response.status_code == 200
    assert body_of(response) == b"%PDF-1.4 decision of the court"
    # Proxies must ask again, or they would keep it after the page is gone.
    assert "no-cache" in response["Cache-Control"]

    page.unpublish()

    assert client.get(document.url).status_code == 404


def test_a_link_in_a_draft_does_not_make_a_document_public(
    client, document, statement_index
):
    page = live_statement(statement_index, body="<p>Nothing linked yet.</p>")
    page.body = linking(document)
    page.save_revision()  # a draft, waiting for review

    assert client.get(document.url).status_code == 404


def test_a_link_on_a_page_never_published_does_not_make_a_document_public(
    client, document, statement_index
):
    from tests.factories import StatementPageFactory

    StatementPageFactory(parent=statement_index, body=linking(document), live=False)

    assert client.get(document.url).status_code == 404


def test_a_link_on_a_page_behind_a_password_does_not_make_a_document_public(
    client, document, statement_index
):
    from wagtail.models import PageViewRestriction

    page = live_statement(statement_index, body=linking(document))
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    assert client.get(document.url).status_code == 404


def test_staff_who_passed_the_second_factor_download_any_document(
    staff_client, document
):
    response = staff_client.get(document.url)

    assert response.status_code == 200
    assert body_of(response) == b"%PDF-1.4 decision of the court"
    assert "private" in response["Cache-Control"]


def test_a_signed_in_donor_gets_no_unlinked_document(client, donor, document):
    client.force_login(donor)

    assert client.get(document.url).status_code == 404


def test_staff_signed_in_without_the_second_factor_get_no_unlinked_document(
    client, django_user_model, document
):
    editor = make_user(django_user_model, email="pw-only@example.org", group="Editors")
    client.force_login(editor)

    assert client.get(document.url).status_code == 404
