"""Editors moderate signatures in the admin: approve, remove spam, export, count."""

import pyotp
import pytest
from django.utils import timezone

from campaigns.choices import SignatureStatus
from campaigns.models import Signature
from tests.conftest import make_user, sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, django_user_model, home_pages):
    secret = pyotp.random_base32()
    user = make_user(
        django_user_model,
        email="moderator@example.org",
        group="Moderators",
        totp_secret=secret,
    )
    return sign_in_with_totp(client, user, secret)


@pytest.fixture
def signatures(statement):
    def make(name, kind, email, **extra):
        return Signature.objects.create(
            statement_key=statement.translation_key,
            kind=kind,
            name=name,
            country="UA",
            email=email,
            email_digest=email.ljust(64, "x")[:64],
            status=SignatureStatus.CONFIRMED,
            confirmed_at=timezone.now(),
            **extra,
        )

    return {
        "org": make("Memorial Support", "organisation", "org@example.org"),
        "spam": make("Buy cheap pills", "individual", "spam@example.org"),
    }


def test_moderators_see_signatures(moderator_client, signatures):
    response = moderator_client.get("/admin/signatures/")

    assert response.status_code == 200
    assert "Memorial Support" in response.content.decode()


def test_a_moderator_approves_an_organisation(
    moderator_client, signatures, statement, client
):
    org = signatures["org"]
    response = moderator_client.post(
        f"/admin/signatures/edit/{org.pk}/",
        {
            "name": org.name,
            "show_name": "on",
            "country": "UA",
            "website": "",
            "status": "confirmed",
            "approved": "on",
        },
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.approved


def test_a_moderator_removes_spam_and_it_stops_counting(
    moderator_client, signatures, statement
):
    spam = signatures["spam"]
    moderator_client.post(
        f"/admin/signatures/edit/{spam.pk}/",
        {"name": spam.name, "country": "UA", "status": "removed"},
    )

    spam.refresh_from_db()
    assert spam.status == SignatureStatus.REMOVED
    assert statement.signature_summary()["total"] == 1


def test_signatures_export_as_csv_without_their_emails(moderator_client, signatures):
    response = moderator_client.get("/admin/signatures/?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Memorial Support" in body and "org@example.org" not in body


def test_the_dashboard_counts_each_statements_signatures(moderator_client, signatures):
    html = moderator_client.get("/admin/").content.decode()

    assert 'id="signature-counts-heading"' in html
    assert "Free the journalists" in html


def test_people_without_access_cannot_see_signatures(client, donor, signatures):
    client.force_login(donor)

    response = client.get("/admin/signatures/?export=csv")

    assert response.status_code in (302, 403)
