"""The outbox holds no readable secret: sign-in codes, manage links and addresses are
sealed in the database, the admin screen shows only template, recipients' domain,
status and attempts, and only whoever runs the site (outbox.run_outbox) opens it."""

import datetime
import importlib
import re
import smtplib

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from donations.donors.services import manage_link_send
from donations.models import Designation, Donation
from outbox import sealing
from outbox.codec import TEMPLATE_HEADER, template_header
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from outbox.selectors import outbox_messages_to
from outbox.tasks import sweep_outbox
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

DONOR = "giver@example.org"
CODE = re.compile(r"^([A-Z]{4}-[A-Z]{4})$", re.M)
MANAGE_LINK = re.compile(r"https?://\S+/donate/manage/([^/\s]+)/")
migration = importlib.import_module("outbox.migrations.0002_sealed_messages")


def gift(email=DONOR) -> Donation:
    return Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=2500,
        designation=Designation.GENERAL,
        status=Donation.Status.PAID,
        email=email,
        language="en",
        paid_at=timezone.now() - datetime.timedelta(days=3),
        customer_id="",
    )


def raw_rows() -> str:
    """Every column of every outbox row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM outbox_outboxmessage")
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


@pytest.fixture
def sign_in_code(client, django_capture_on_commit_callbacks):
    gift()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/login/code/", {"email": DONOR})
    client.logout()
    [message] = [m for m in mail.outbox if m.to == [DONOR]]
    return CODE.search(message.body).group(1)


@pytest.fixture
def manage_token(django_capture_on_commit_callbacks):
    gift()
    with django_capture_on_commit_callbacks(execute=True):
        assert manage_link_send(email=DONOR, language="en")
    [message] = [m for m in mail.outbox if m.to == [DONOR]]
    return MANAGE_LINK.search(message.body).group(1)


@pytest.fixture
def superuser(client, django_user_model):
    return signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )


def outbox_pages(client) -> str:
    message = OutboxMessage.objects.get()
    pages = [
        client.get("/admin/outbox/"),
        client.get(f"/admin/outbox/inspect/{message.pk}/"),
        client.get("/admin/outbox/?export=csv"),
    ]
    assert [p.status_code for p in pages] == [200, 200, 200]
    return "\n".join(
        b"".join(p.streaming_content if p.streaming else [p.content]).decode()
        for p in pages
    )


# --- Nothing readable in the database -----------------------------------------------


def test_a_donors_sign_in_code_and_address_are_not_in_the_database(sign_in_code):
    row = OutboxMessage.objects.get()

    assert sign_in_code not in raw_rows()
    assert DONOR not in raw_rows()
    assert row.template == "account/email/login_code"
    assert row.recipient_domains == "example.org"
    assert sign_in_code in outbox_open(message=row).body  # the sender can read it


def test_a_manage_links_token_is_not_in_the_database(manage_token):
    row = OutboxMessage.objects.get()

    assert manage_token not in raw_rows()
    assert "/donate/manage/" not in raw_rows()
    assert row.template == "email/manage_link"
    assert str(row) == "email/manage_link → example.org"


def test_erasure_finds_a_donors_mail_by_its_sealed_recipients(manage_token):
    assert outbox_messages_to(recipients=[DONOR.upper()]).count() == 1
    assert outbox_messages_to(recipients=["other@example.org"]).count() == 0


# --- The admin screen ---------------------------------------------------------------


def test_the_outbox_screen_never_shows_a_code_a_link_or_an_address(
    sign_in_code, superuser
):
    html = outbox_pages(superuser)

    assert "account/email/login_code" in html and "example.org" in html
    assert sign_in_code not in html
    assert DONOR not in html
    assert "Sign-In Code" not in html  # nor the subject


def test_the_outbox_screen_never_shows_a_manage_link(manage_token, superuser):
    html = outbox_pages(superuser)

    assert "email/manage_link" in html
    assert manage_token not in html and "/donate/manage/" not in html
    assert DONOR not in html


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Board"])
def test_staff_groups_can_neither_see_nor_resend_outgoing_email(
    group, sign_in_code, client, django_user_model
):
    staff = signed_in(client, django_user_model, email="s@example.org", group=group)
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.update(status=OutboxMessage.Status.FAILED)

    for url in ("/admin/outbox/", f"/admin/outbox/inspect/{message.pk}/"):
        response = staff.get(url)
        assert response.status_code in (302, 403), url
        assert "/admin/outbox/" not in response.get("Location", "")
    staff.post(f"/admin/outbox/{message.pk}/retry/")

    assert OutboxMessage.objects.get().status == OutboxMessage.Status.FAILED
    assert "/admin/outbox/" not in staff.get("/admin/").content.decode()
    assert not staff.get("/admin/").wsgi_request.user.has_perm("outbox.run_outbox")


def test_the_menu_item_is_there_for_whoever_runs_the_site(superuser):
    assert "/admin/outbox/" in superuser.get("/admin/").content.decode()


def test_a_group_given_the_outbox_permission_opens_it(
    sign_in_code, client, django_user_model
):
    Group.objects.get(name="Moderators").permissions.add(
        Permission.objects.get(codename="run_outbox")
    )
    staff = signed_in(
        client, django_user_model, email="m@example.org", group="Moderators"
    )

    html = outbox_pages(staff)

    assert "account/email/login_code" in html and sign_in_code not in html


def test_the_outbox_has_no_permission_but_its_own():
    codenames = set(
        Permission.objects.filter(content_type__app_label="outbox").values_list(
            "codename", flat=True
        )
    )

    assert codenames == {"run_outbox"}
    for group in Group.objects.all():
        assert not group.permissions.filter(content_type__app_label="outbox").exists()


def test_resending_from_the_screen_sends_a_failed_message(
    superuser, django_capture_on_commit_callbacks
):
    EmailMultiAlternatives("Hello", "Body", to=["reader@example.org"]).send()
    OutboxMessage.objects.update(status=OutboxMessage.Status.FAILED, attempts=10)
    message = OutboxMessage.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser.post(f"/admin/outbox/{message.pk}/retry/")

    assert response.status_code == 302
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Hello"]


# --- Sending what was sealed --------------------------------------------------------


def full_message() -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject="Your link",
        body="Open https://example.org/donate/manage/SECRET123/",
        from_email="Solidarity <noreply@example.org>",
        to=["Maria <maria@example.org>"],
        cc=["cc@example.net"],
        bcc=["bcc@example.com"],
        reply_to=["help@example.org"],
        headers={"X-Campaign": "spring", **template_header("email/manage_link")},
    )
    email.attach_alternative("<p>Open <a href='#'>SECRET123</a></p>", "text/html")
    email.attach("receipt.pdf", b"%PDF-1.4", "application/pdf")
    return email


def test_delivery_sends_exactly_the_message_that_was_sealed():
    full_message().send()
    row = OutboxMessage.objects.get()
    assert "SECRET123" not in raw_rows() and "maria" not in raw_rows()
    assert row.recipient_domains == "example.com, example.net, example.org"

    sweep_outbox()

    [sent] = mail.outbox
    assert sent.subject == "Your link"
    assert sent.body == "Open https://example.org/donate/manage/SECRET123/"
    assert sent.from_email == "Solidarity <noreply@example.org>"
    assert (sent.to, sent.cc, sent.bcc) == (
        ["Maria <maria@example.org>"],
        ["cc@example.net"],
        ["bcc@example.com"],
    )
    assert sent.reply_to == ["help@example.org"]
    assert sent.extra_headers["X-Campaign"] == "spring"
    assert TEMPLATE_HEADER not in sent.extra_headers  # ours, not the recipient's
    assert sent.alternatives[0][0] == "<p>Open <a href='#'>SECRET123</a></p>"
    assert sent.attachments[0][:2] == ("receipt.pdf", b"%PDF-1.4")


def test_an_html_only_message_stays_html():
    email = EmailMultiAlternatives("Hi", "<p>Hi</p>", to=["a@example.org"])
    email.content_subtype = "html"
    email.send()
    sweep_outbox()

    assert mail.outbox[0].content_subtype == "html"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        [message] = messages
        raise smtplib.SMTPRecipientsRefused(
            {message.to[0]: (550, f"rejected {message.body}".encode())}
        )


def test_a_providers_error_is_kept_without_the_address_or_the_code(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.test_outbox_secrets.RefusingBackend"
    EmailMultiAlternatives(
        "Code", "Your code: ABCD-EFGH, https://x.example/t/", to=["ana@example.org"]
    ).send()

    sweep_outbox()

    error = OutboxMessage.objects.get().last_error
    assert error.startswith("SMTPRecipientsRefused")
    assert "550" in error and "example.org" in error
    assert "ana@" not in error
    assert "ABCD" not in error and "EFGH" not in error
    assert "x.example/t" not in error


def test_messages_sealed_with_the_previous_key_are_sent_while_rotating(settings):
    settings.OUTBOX_KEYS = ["old secret"]
    EmailMultiAlternatives("Hello", "Body", to=["a@example.org"]).send()

    settings.OUTBOX_KEYS = ["new secret", "old secret"]
    assert outbox_messages_to(recipients=["a@example.org"]).exists()
    sweep_outbox()

    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_message_whose_key_is_gone_fails_at_once_instead_of_retrying(settings):
    settings.OUTBOX_KEYS = [Fernet.generate_key().decode()]
    EmailMultiAlternatives("Hello", "Body", to=["a@example.org"]).send()

    settings.OUTBOX_KEYS = ["another secret"]
    sweep_outbox()

    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED
    assert mail.outbox == []


# --- Rows from before sealing --------------------------------------------------------


def test_the_migration_seals_a_plaintext_row():
    old_payload = {
        "subject": "Sign-In Code",
        "body": "Your code: WXYZ-BCDF",
        "from_email": "noreply@example.org",
        "to": ["Giver <giver@example.org>"],
        "cc": [],
        "bcc": ["audit@example.net"],
        "reply_to": [],
        "headers": {},
        "alternatives": [["<p>WXYZ-BCDF</p>", "text/html"]],
        "attachments": [],
    }

    fields = migration.sealed_fields(old_payload)

    assert "WXYZ" not in str(fields) and "giver@" not in str(fields)
    assert fields["recipient_domains"] == "example.net, example.org"
    assert sealing.unseal(fields["sealed"]) == old_payload
    row = OutboxMessage.objects.create(next_attempt_at=timezone.now(), **fields)
    assert (
        outbox_messages_to(recipients=["giver@example.org", "audit@example.net"]).get()
        == row
    )

    sweep_outbox()

    [sent] = mail.outbox
    assert sent.body == "Your code: WXYZ-BCDF" and sent.content_subtype == "plain"
