"""Abuse of the signing form is limited per address and per email; emails are kept
only as long as needed."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.choices import SignatureStatus
from campaigns.models import Signature
from campaigns.tasks import erase_old_signature_emails

pytestmark = pytest.mark.django_db


def individual(n, **extra):
    return {
        "kind": "individual",
        "name": f"Person {n}",
        "show_name": "on",
        "country": "DE",
        "email": f"person{n}@example.org",
        **extra,
    }


@pytest.fixture
def limits(settings):
    settings.SIGNING_RATE_LIMITS = {
        "ip": {"limit": 3, "window": 3600},
        "email": {"limit": 2, "window": 3600},
    }


def test_one_address_can_sign_only_so_many_times_an_hour(client, statement, limits):
    for n in range(3):
        assert client.post(statement.url, individual(n)).status_code == 302

    response = client.post(statement.url, individual(99))

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Signature.objects.count() == 3


def test_other_addresses_can_still_sign(client, statement, limits):
    for n in range(3):
        client.post(statement.url, individual(n), REMOTE_ADDR="198.51.100.1")

    response = client.post(statement.url, individual(5), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302


def test_one_email_can_ask_only_so_many_times(client, statement, limits):
    data = individual(1)
    client.post(statement.url, data, REMOTE_ADDR="198.51.100.1")
    client.post(statement.url, data, REMOTE_ADDR="198.51.100.2")

    response = client.post(statement.url, data, REMOTE_ADDR="198.51.100.3")

    assert response.status_code == 429


def test_resending_confirmations_is_limited_too(client, statement, limits):
    client.post(statement.url, individual(1))
    sent = len(mail.outbox)
    for _ in range(3):
        client.post(f"{statement.url}resend/", {"email": "person1@example.org"})

    assert Signature.objects.count() == 1
    assert len(mail.outbox) <= sent + 1


def test_resending_says_the_same_whether_or_not_the_address_signed(client, statement):
    unknown = client.post(f"{statement.url}resend/", {"email": "nobody@example.org"})

    assert unknown["Location"].endswith("?signed=resent-if-waiting")


def test_old_emails_are_erased_but_the_signature_still_counts(statement, settings):
    settings.SIGNATURE_EMAIL_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    old = Signature.objects.create(
        statement_key=statement.translation_key,
        kind="individual",
        name="Old",
        country="UA",
        email="old@example.org",
        email_digest="a" * 64,
        status=SignatureStatus.CONFIRMED,
        confirmed_at=long_ago,
    )
    Signature.objects.filter(pk=old.pk).update(created_at=long_ago)
    recent = Signature.objects.create(
        statement_key=statement.translation_key,
        kind="individual",
        name="Recent",
        country="UA",
        email="recent@example.org",
        email_digest="b" * 64,
        status=SignatureStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )

    erase_old_signature_emails.delay()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == "" and old.email_erased_at and old.is_counted
    assert recent.email == "recent@example.org"


def test_an_erased_email_still_cannot_sign_twice(client, statement, settings):
    client.post(statement.url, individual(1))
    Signature.objects.update(
        status=SignatureStatus.CONFIRMED, email="", email_erased_at=timezone.now()
    )

    response = client.post(statement.url, individual(1))

    assert response["Location"].endswith("?signed=already_signed")
    assert Signature.objects.count() == 1


def test_never_confirmed_signatures_are_deleted_after_a_while(statement, settings):
    settings.SIGNATURE_CONFIRMATION_DAYS = 7
    stale = Signature.objects.create(
        statement_key=statement.translation_key,
        kind="individual",
        name="Never confirmed",
        country="UA",
        email="stale@example.org",
        email_digest="c" * 64,
    )
    Signature.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )

    erase_old_signature_emails.delay()

    assert not Signature.objects.filter(pk=stale.pk).exists()
