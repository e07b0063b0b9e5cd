"""All email goes through one reliable path: saved with the change that caused it,
sent after commit with retries and back-off, never lost and never sent twice."""

import datetime

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from outbox.delivery import outbox_claim, outbox_deliver, outbox_open
from outbox.models import OutboxMessage
from outbox.selectors import outbox_messages_to
from outbox.services import outbox_retry
from outbox.tasks import send_outbox_message, sweep_outbox

pytestmark = pytest.mark.django_db


class ProviderDown(Exception):
    pass


class FlakyBackend(BaseEmailBackend):
    """A provider that fails the first `failures` sends, then delivers to locmem."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise ProviderDown("503 from the provider")
        return LocmemBackend().send_messages(messages)


@pytest.fixture
def flaky_provider(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.test_outbox.FlakyBackend"
    FlakyBackend.calls = 0

    def fail(times):
        FlakyBackend.failures = times

    return fail


def send_hello(to="reader@example.org"):
    send_mail("Hello", "Body", "noreply@example.org", [to])


def make_due_now():
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_message_is_sent_once_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        send_hello()
        assert mail.outbox == []  # nothing leaves before the commit

    assert [m.subject for m in mail.outbox] == ["Hello"]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                send_hello()
                raise RuntimeError("the change that caused the mail failed")

    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_a_provider_that_fails_three_times_gets_the_message_on_the_fourth(
    flaky_provider, django_capture_on_commit_callbacks
):
    flaky_provider(3)
    with django_capture_on_commit_callbacks(execute=True):
        send_hello()
    delays = []
    for _ in range(3):
        message = OutboxMessage.objects.get()
        assert message.status == OutboxMessage.Status.PENDING
        delays.append((message.next_attempt_at - timezone.now()).total_seconds())
        make_due_now()
        sweep_outbox()

    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 4
    assert len(mail.outbox) == 1
    assert delays[0] < delays[1] < delays[2]  # the back-off grows


def test_a_message_is_not_retried_before_its_back_off_is_over(
    flaky_provider, django_capture_on_commit_callbacks
):
    flaky_provider(1)
    with django_capture_on_commit_callbacks(execute=True):
        send_hello()

    assert sweep_outbox() == 0
    assert FlakyBackend.calls == 1


def test_a_message_that_keeps_failing_is_kept_as_failed_and_can_be_sent_again(
    flaky_provider, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    flaky_provider(3)
    with django_capture_on_commit_callbacks(execute=True):
        send_hello()
    for _ in range(4):
        make_due_now()
        sweep_outbox()

    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED
    assert "503 from the provider" in message.last_error
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message_pk=message.pk)

    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_a_lost_task_is_made_good_by_the_sweep():
    # The commit happened but the task never reached the broker.
    send_hello()
    assert mail.outbox == []

    sweep_outbox()

    assert len(mail.outbox) == 1


def test_a_worker_that_dies_after_claiming_does_not_keep_the_message(settings):
    send_hello()
    message = OutboxMessage.objects.get()
    assert outbox_claim(message_pk=message.pk) is not None  # …and then it dies

    assert send_outbox_message(message.pk) is False  # still claimed: not sent twice
    assert mail.outbox == []

    OutboxMessage.objects.update(claimed_until=timezone.now())
    sweep_outbox()

    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_two_workers_with_the_same_message_send_it_once():
    send_hello()
    message = OutboxMessage.objects.get()

    first = outbox_claim(message_pk=message.pk)
    second = outbox_claim(message_pk=message.pk)

    assert first is not None and second is None
    outbox_deliver(message=first)
    assert send_outbox_message(message.pk) is False
    assert len(mail.outbox) == 1


def test_a_resend_after_an_unrecorded_success_carries_the_same_message_id():
    # The provider took the message, then the worker died before recording it.
    send_hello()
    message = OutboxMessage.objects.get()
    claimed = outbox_claim(message_pk=message.pk)

    LocmemBackend().send_messages([outbox_open(message=claimed)])
    OutboxMessage.objects.update(claimed_until=timezone.now())

    sweep_outbox()

    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert len(mail.outbox) == 2 and len(ids) == 1  # recipients' systems see one


def test_html_alternatives_and_attachments_survive_the_outbox():
    from django.core.mail import EmailMultiAlternatives

    email = EmailMultiAlternatives(
        "Receipt", "text", "a@example.org", ["b@example.org"]
    )
    email.attach_alternative("<p>html</p>", "text/html")
    email.attach("receipt.pdf", b"%PDF-1.4 12.00 EUR", "application/pdf")
    email.send()
    sweep_outbox()

    delivered = mail.outbox[0]
    assert delivered.alternatives[0][0] == "<p>html</p>"
    assert delivered.attachments[0][:2] == ("receipt.pdf", b"%PDF-1.4 12.00 EUR")


def test_allauth_mail_goes_through_the_outbox_too(client, donor):
    client.post("/en/accounts/password/reset/", {"email": donor.email})

    assert outbox_messages_to(recipients=[donor.email]).exists()
