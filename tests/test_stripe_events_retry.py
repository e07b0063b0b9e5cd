"""A Stripe event whose retries ran out is processed again on request: by
`manage.py stripe_events_retry` and by the Board's "Process again" in the admin.
Failing events wait longer after each failure before the sweep tries again."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import BOARD_GROUP
from donations.models import Donation, LedgerTransaction, StripeEvent
from donations.stripe.events import event_process, retry_delay
from donations.stripe.tasks import process_waiting_events
from tests.conftest import signed_in
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    start_donation,
)

pytestmark = pytest.mark.django_db

RETRY = "/admin/stripeevent/retry/"


@pytest.fixture(autouse=True)
def _two_attempts(settings):
    settings.STRIPE_EVENT_MAX_ATTEMPTS = 2


def process_until_given_up(event: StripeEvent) -> None:
    for _ in range(2):
        with pytest.raises(Exception):  # noqa: B017 (whatever Stripe's outage raises)
            event_process(event_pk=event.pk)


@pytest.fixture
def failed_gift(fake_stripe, manage_links):
    """A paid gift whose event failed for good while Stripe was unreachable; Stripe
    is back now."""

    def failed_gift(amount=2500):
        donation = start_donation(amount=amount)
        fake_stripe.complete_checkout(
            donation.checkout_session_id, settled_amount=amount, fee=63
        )
        event = receive(
            fake_stripe, "checkout.session.completed", donation.checkout_session_id
        )
        fake_stripe.down = True
        process_until_given_up(event)
        fake_stripe.down = False
        event.refresh_from_db()
        assert event.status == StripeEvent.Status.FAILED
        return donation, event

    return failed_gift


# --- Back-off -------------------------------------------------------------------------


def test_each_failure_doubles_the_wait_up_to_an_hour():
    assert [retry_delay(n) for n in (1, 2, 3, 4, 8, 20)] == [
        30,
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_the_sweep_waits_for_a_failed_events_back_off_before_trying_again(
    fake_stripe, manage_links, settings
):
    settings.STRIPE_EVENT_MAX_ATTEMPTS = 10
    donation = start_donation(amount=2500)
    fake_stripe.complete_checkout(donation.checkout_session_id, settled_amount=2500)
    event = receive(
        fake_stripe, "checkout.session.completed", donation.checkout_session_id
    )
    fake_stripe.down = True
    with pytest.raises(Exception):  # noqa: B017
        event_process(event_pk=event.pk)
    fake_stripe.down = False
    event.refresh_from_db()
    assert event.next_attempt_at > timezone.now()
    # Received long enough ago for the sweep, but its back-off has not passed.
    StripeEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    assert process_waiting_events.delay().get() == 0

    StripeEvent.objects.filter(pk=event.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert process_waiting_events.delay().get() == 1
    event.refresh_from_db()
    assert event.status == StripeEvent.Status.PROCESSED
    assert event.next_attempt_at is None


# --- The command ----------------------------------------------------------------------


def test_the_command_processes_a_failed_event_again_and_records_the_gift(failed_gift):
    donation, event = failed_gift()

    call_command("stripe_events_retry")

    event.refresh_from_db()
    donation.refresh_from_db()
    assert event.status == StripeEvent.Status.PROCESSED
    assert event.last_error == ""
    assert donation.status == Donation.Status.PAID
    assert LedgerTransaction.objects.filter(donation=donation).count() == 1


def test_the_command_processes_only_the_events_it_is_told_to(failed_gift):
    _first, chosen = failed_gift(amount=1000)
    _second, other = failed_gift(amount=2000)

    call_command("stripe_events_retry", "--event", chosen.event_id)

    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == ("processed", "failed")


def test_the_command_filters_by_type_and_by_day_received(failed_gift):
    _donation, event = failed_gift()
    StripeEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=10)
    )
    since = (timezone.now() - datetime.timedelta(days=2)).date().isoformat()

    call_command("stripe_events_retry", "--type", "invoice.paid")
    call_command("stripe_events_retry", "--since", since)
    event.refresh_from_db()
    assert event.status == StripeEvent.Status.FAILED

    call_command("stripe_events_retry", "--type", "checkout.session.completed")
    event.refresh_from_db()
    assert event.status == StripeEvent.Status.PROCESSED


def test_a_dry_run_lists_the_failed_events_and_processes_none(failed_gift, capsys):
    _donation, event = failed_gift()

    call_command("stripe_events_retry", "--dry-run")

    assert event.event_id in capsys.readouterr().out
    event.refresh_from_db()
    assert event.status == StripeEvent.Status.FAILED


def test_an_event_that_fails_again_stays_failed_and_the_command_says_so(
    failed_gift, fake_stripe
):
    _donation, event = failed_gift()
    fake_stripe.down = True

    with pytest.raises(CommandError, match="1 events failed again"):
        call_command("stripe_events_retry")

    event.refresh_from_db()
    assert event.status == StripeEvent.Status.FAILED
    assert event.attempts == 3
    assert event.last_error.startswith("APIConnectionError")


def test_a_bad_since_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("stripe_events_retry", "--since", "yesterday")


# --- The admin ------------------------------------------------------------------------


def test_a_board_member_processes_the_failed_events_again_from_the_admin(
    client, django_user_model, home_pages, failed_gift
):
    donation, event = failed_gift()
    board = signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )
    listing = board.get("/admin/stripeevent/").content.decode()
    assert "Process failed events again" in listing
    assert f"{RETRY}?event={event.event_id}" in listing

    confirm = board.get(RETRY)
    assert confirm.status_code == 200
    assert event.event_id in confirm.content.decode()
    assert 'data-retry-count="1"' in confirm.content.decode()

    response = board.post(RETRY, follow=True)

    assert "1 event was processed." in response.content.decode()
    event.refresh_from_db()
    donation.refresh_from_db()
    assert event.status == StripeEvent.Status.PROCESSED
    assert donation.status == Donation.Status.PAID


def test_one_event_can_be_processed_again_on_its_own_from_the_admin(
    client, django_user_model, home_pages, failed_gift
):
    _first, chosen = failed_gift(amount=1000)
    _second, other = failed_gift(amount=2000)
    board = signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )

    board.post(RETRY, {"event": chosen.event_id})

    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == ("processed", "failed")


def test_an_event_failing_again_from_the_admin_shows_its_error(
    client, django_user_model, home_pages, failed_gift, fake_stripe
):
    _donation, event = failed_gift()
    board = signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )
    fake_stripe.down = True

    response = board.post(RETRY, follow=True)

    assert "1 event failed again" in response.content.decode()
    assert event.event_id in response.content.decode()


def test_a_superuser_may_process_events_again(
    client, django_user_model, home_pages, failed_gift
):
    _donation, event = failed_gift()
    admin = signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )

    admin.post(RETRY)

    event.refresh_from_db()
    assert event.status == StripeEvent.Status.PROCESSED


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_other_staff_may_not_process_events_again(
    client, django_user_model, home_pages, failed_gift, group
):
    _donation, event = failed_gift()
    staff = signed_in(
        client, django_user_model, email=f"{group.lower()}@example.org", group=group
    )

    assert staff.get(RETRY).status_code == 403
    assert staff.post(RETRY).status_code == 403

    event.refresh_from_db()
    assert event.status == StripeEvent.Status.FAILED
