"""The hourly repair repairs each object on its own: one that Stripe refuses,
rate-limits or times out on is reported, and every other object is still repaired;
each run is recorded, and a run that could not finish says so."""

import json

import pyotp
import pytest
import stripe

from accounts.roles import BOARD_GROUP
from donations.models import Donation, LedgerTransaction, RepairRun
from donations.stripe.tasks import repair_from_stripe
from tests.conftest import admin_in_english, make_user, sign_in_with_totp
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    fake_stripe_fixture,
    manage_links_fixture,
    start_donation,
)

pytestmark = pytest.mark.django_db

ERRORS = {
    400: ("invalid_request_error", "Invalid expand path"),
    404: ("invalid_request_error", "No such checkout.session"),
    429: ("rate_limit_error", "Too many requests"),
}


@pytest.fixture(autouse=True)
def _no_waiting_between_network_retries(monkeypatch):
    # stripe-python sleeps before retrying a timed-out request; the tests need not.
    monkeypatch.setattr(stripe.HTTPClient, "_sleep_time_seconds", lambda self, n: 0)


def failing(world, monkeypatch, *, path: str, status: int | str, method="GET"):
    """Make the fake Stripe answer `status` (or time out, "timeout") to requests
    for exactly `path`; every other request is answered as usual. Returns what
    makes Stripe answer that path again."""
    handle = world.handle

    def answer(method_, url, headers, body):
        if method_.upper() == method and url.split("?")[0].endswith(path):
            if status == "timeout":
                raise stripe.APIConnectionError(
                    "Request timed out (fake).", should_retry=True
                )
            type_, message = ERRORS[status]
            error = {"error": {"type": type_, "message": message}}
            return json.dumps(error), status, {"Request-Id": "req_fake_failing"}
        return handle(method_, url, headers, body)

    monkeypatch.setattr(world, "handle", answer)
    return lambda: monkeypatch.setattr(world, "handle", handle)


def dropped_gift(world, amount: int) -> Donation:
    """A gift paid at Stripe whose webhook never came."""
    donation = start_donation(amount=amount)
    world.complete_checkout(donation.checkout_session_id, settled_amount=amount, fee=0)
    world.tick()
    return donation


@pytest.mark.parametrize("status", [400, 404, 429, "timeout"])
def test_one_object_stripe_fails_on_is_reported_and_the_others_are_still_repaired(
    fake_stripe, manage_links, monkeypatch, status
):
    earlier = dropped_gift(fake_stripe, 1500)
    # Listed newest first: the failing one comes before the other.
    bad = dropped_gift(fake_stripe, 4000)
    failing(
        fake_stripe,
        monkeypatch,
        path=f"/v1/checkout/sessions/{bad.checkout_session_id}",
        status=status,
    )

    result = repair_from_stripe.delay().get()

    earlier.refresh_from_db()
    bad.refresh_from_db()
    assert earlier.status == Donation.Status.PAID
    assert LedgerTransaction.objects.filter(donation=earlier).count() == 1
    assert bad.paid_at is None
    assert not LedgerTransaction.objects.filter(donation=bad).exists()
    run = RepairRun.objects.get()
    assert run.completed is True
    assert run.finished_at is not None
    assert run.counts["sessions"] == 1
    assert run.failure_count == 1
    (failure,) = run.failures
    assert (failure["kind"], failure["id"]) == ("sessions", bad.checkout_session_id)
    expected = "APIConnectionError" if status == "timeout" else f"({status})"
    assert expected in failure["error"]
    assert result["failures"] == run.failures and result["completed"] is True


def test_the_next_run_repairs_the_object_once_stripe_answers_again(
    fake_stripe, manage_links, monkeypatch
):
    bad = dropped_gift(fake_stripe, 4000)
    answer_again = failing(
        fake_stripe,
        monkeypatch,
        path=f"/v1/checkout/sessions/{bad.checkout_session_id}",
        status=429,
    )
    repair_from_stripe.delay()
    answer_again()

    repair_from_stripe.delay()

    bad.refresh_from_db()
    assert bad.status == Donation.Status.PAID
    latest, first = RepairRun.objects.order_by("-started_at", "-pk")
    assert (first.failure_count, latest.failure_count) == (1, 0)


def test_a_listing_stripe_refuses_leaves_the_run_incomplete_and_the_rest_repaired(
    fake_stripe, manage_links, monkeypatch
):
    gift = dropped_gift(fake_stripe, 2500)
    payout = fake_stripe.create_payout()  # listed after the invoices
    failing(fake_stripe, monkeypatch, path="/v1/invoices", status=429)

    repair_from_stripe.delay()

    gift.refresh_from_db()
    assert gift.status == Donation.Status.PAID
    assert LedgerTransaction.objects.filter(
        cause_key=f"stripe:{payout['balance_transaction']}"
    ).exists()
    run = RepairRun.objects.get()
    assert run.completed is False
    assert run.error.startswith("invoices: RateLimitError (429)")
    assert run.failures == [
        {"kind": "invoices", "id": "", "error": run.error.removeprefix("invoices: ")}
    ]
    assert run.failure_count == 0  # no object was refused: the listing was


def test_when_stripe_cannot_be_reached_the_run_is_recorded_as_unfinished(
    fake_stripe, manage_links
):
    dropped_gift(fake_stripe, 2500)
    fake_stripe.down = True

    result = repair_from_stripe.delay().get()

    run = RepairRun.objects.get()
    assert run.completed is False
    assert run.error.startswith("APIConnectionError")
    assert run.finished_at is not None
    assert sum(run.counts.values()) == 0
    assert result == {
        **run.counts,
        "run": run.pk,
        "completed": False,
        "failures": [],
    }


def test_a_run_where_everything_was_repaired_is_recorded_complete_and_clean(
    fake_stripe, manage_links
):
    dropped_gift(fake_stripe, 2500)

    repair_from_stripe.delay()

    run = RepairRun.objects.get()
    assert (run.completed, run.failure_count, run.failures, run.error) == (
        True,
        0,
        [],
        "",
    )
    assert run.counts["sessions"] == 1


def test_the_board_reads_each_run_and_what_it_could_not_repair_in_the_admin(
    fake_stripe, manage_links, monkeypatch, client, django_user_model, home_pages
):
    bad = dropped_gift(fake_stripe, 4000)
    failing(
        fake_stripe,
        monkeypatch,
        path=f"/v1/checkout/sessions/{bad.checkout_session_id}",
        status=404,
    )
    repair_from_stripe.delay()
    run = RepairRun.objects.get()
    secret = pyotp.random_base32()
    member = make_user(
        django_user_model,
        email="board@example.org",
        group=BOARD_GROUP,
        totp_secret=secret,
    )
    board = sign_in_with_totp(client, admin_in_english(member), secret)

    assert board.get("/admin/repair_runs/").status_code == 200
    page = board.get(f"/admin/repair_runs/inspect/{run.pk}/").content.decode()
    assert bad.checkout_session_id in page
    assert "InvalidRequestError (404)" in page
