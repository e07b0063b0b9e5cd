"""Signing a joint statement: counted only after email confirmation, once per email,
with clear errors and no public emails."""

import base64
import re
import time

import pytest
from django.core import mail
from django.core import signing as django_signing

from campaigns.choices import SignatureStatus
from campaigns.models import Signature
from campaigns.services import confirmation_token
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

INDIVIDUAL = {
    "kind": "individual",
    "name": "Olena Kovalenko",
    "show_name": "on",
    "country": "PL",
    "email": "olena@example.org",
}
ORGANISATION = {
    "kind": "organisation",
    "name": "Crimean Human Rights Group",
    "country": "UA",
    "website": "https://crimeahrg.example.org",
    "email": "office@example.org",
}


@pytest.fixture
def sign(client, statement, django_capture_on_commit_callbacks):
    def do(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(statement.url, data, **extra)

    return do


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body).group(0)


def confirm(client, url):
    path = url.split("testserver", 1)[1]
    return client.post(path)


def client_count(statement):
    return Signature.objects.filter(
        statement_key=statement.translation_key, status=SignatureStatus.CONFIRMED
    ).count()


def test_signing_sends_a_confirmation_email_and_counts_nothing_yet(
    client, statement, sign
):
    response = sign(INDIVIDUAL)

    assert response.status_code == 302
    assert response["Location"].endswith("?signed=created")
    assert client_count(statement) == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["olena@example.org"]
    assert "Free the journalists" in email.body
    assert email.alternatives and "<a href=" in email.alternatives[0][0]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_following_the_link_and_pressing_confirm_counts_the_signature(
    client, statement, sign
):
    sign(INDIVIDUAL)
    url = link_in_last_email()

    ask = client.get(url.split("testserver", 1)[1])
    assert (
        ask.status_code == 200 and client_count(statement) == 0
    )  # GET changes nothing
    response = confirm(client, url)

    assert response.status_code == 200
    assert "confirmed and counted" in response.content.decode()
    assert client_count(statement) == 1
    page = client.get(statement.url).content.decode()
    assert "1 signature" in page and "Olena Kovalenko" in page


def test_confirming_twice_is_harmless(client, statement, sign):
    sign(INDIVIDUAL)
    url = link_in_last_email()
    confirm(client, url)

    response = confirm(client, url)

    assert "already confirmed" in response.content.decode()
    assert client_count(statement) == 1


def test_signing_twice_with_one_email_says_so_and_changes_nothing(
    client, statement, sign
):
    sign(INDIVIDUAL)
    confirm(client, link_in_last_email())
    emails_before = len(mail.outbox)

    response = sign(
        {**INDIVIDUAL, "name": "Someone Else", "email": "OLENA@example.org "}
    )

    assert response["Location"].endswith("?signed=already_signed")
    assert Signature.objects.count() == 1
    assert Signature.objects.get().name == "Olena Kovalenko"
    assert len(mail.outbox) == emails_before
    page = client.get(response["Location"]).content.decode()
    assert "already signed" in page


def test_signing_again_before_confirming_sends_the_link_again(statement, sign):
    sign(INDIVIDUAL)
    response = sign(INDIVIDUAL)

    assert response["Location"].endswith("?signed=resent")
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 2


def test_an_expired_link_counts_nothing_and_says_so(client, statement, sign, settings):
    sign(INDIVIDUAL)
    signature = Signature.objects.get()
    settings.SIGNATURE_CONFIRMATION_DAYS = 0
    token = confirmation_token(signature)
    time.sleep(1.1)

    response = client.post(f"{statement.url}confirm/{token}/")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert client_count(statement) == 0


def test_a_forged_link_counts_nothing(client, statement, sign):
    sign(INDIVIDUAL)
    forged = (
        base64.urlsafe_b64encode(
            django_signing.dumps({"s": Signature.objects.get().pk}, salt="x").encode()
        )
        .decode()
        .rstrip("=")
    )

    response = client.post(f"{statement.url}confirm/{forged}/")

    assert response.status_code == 400
    assert client_count(statement) == 0


def test_an_individual_can_be_counted_without_being_named(client, statement, sign):
    sign({**INDIVIDUAL, "name": "", "show_name": ""})
    confirm(client, link_in_last_email())

    page = client.get(statement.url).content.decode()
    assert "1 signature" in page
    assert "without a public name" in page
    assert Signature.objects.get().is_counted


def test_an_organisations_name_shows_only_after_a_moderator_approves_it(
    client, statement, sign
):
    sign(ORGANISATION)
    confirm(client, link_in_last_email())
    page = client.get(statement.url).content.decode()
    assert "1 signature" in page
    assert "Crimean Human Rights Group" not in page

    signature = Signature.objects.get()
    signature.approved = True
    signature.save()  # as the moderator's form does: the cached page goes

    assert "Crimean Human Rights Group" in client.get(statement.url).content.decode()


def test_emails_never_appear_on_public_pages_or_the_api(client, statement, sign):
    sign(ORGANISATION)
    confirm(client, link_in_last_email())
    Signature.objects.update(approved=True)

    for url in (statement.url, f"/api/v2/pages/{statement.pk}/", "/api/v2/pages/"):
        assert "office@example.org" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**INDIVIDUAL, "email": "not-an-email"}, "email", "valid email"),
        ({**INDIVIDUAL, "name": "x" * 201}, "name", "at most 200"),
        ({**INDIVIDUAL, "country": "XX"}, "country", "valid choice"),
        ({**ORGANISATION, "website": ""}, "website", "organisation's website"),
        ({**ORGANISATION, "name": ""}, "name", "organisation's name"),
        ({**INDIVIDUAL, "name": ""}, "name", "untick"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    statement, sign, data, field, message
):
    response = sign(data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_errors_come_in_the_visitors_language(client, statement, home_pages):
    uk = home_pages["uk"].locale
    translated = statement.get_parent().copy_for_translation(uk)
    translated.save_revision().publish()
    uk_statement = statement.copy_for_translation(uk)
    uk_statement.save_revision().publish()

    response = client.post(uk_statement.url, {**INDIVIDUAL, "email": "bad"})

    assert response.status_code == 400
    assert "електронн" in " ".join(response.context["form"].errors["email"]).lower()


def test_the_honeypot_catches_bots_quietly(statement, sign):
    response = sign({**INDIVIDUAL, "homepage": "http://spam.example"})

    assert response.status_code == 302
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_a_closed_statement_takes_no_signatures(statement, sign):
    from django.utils import timezone

    statement.closes_at = timezone.now()
    statement.save_revision().publish()

    sign(INDIVIDUAL)

    assert not Signature.objects.exists()


def test_an_organisations_only_statement_refuses_individuals(statement, sign):
    statement.who_may_sign = "organisations"
    statement.save_revision().publish()

    response = sign(INDIVIDUAL)

    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_all_language_versions_share_one_count(client, statement, sign, home_pages):
    sign(INDIVIDUAL)
    confirm(client, link_in_last_email())
    ru = home_pages["ru"].locale
    statement.get_parent().copy_for_translation(ru).save_revision().publish()
    ru_statement = statement.copy_for_translation(ru)
    ru_statement.save_revision().publish()

    assert "Olena Kovalenko" in client.get(ru_statement.url).content.decode()
