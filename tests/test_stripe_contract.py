"""Every request the application makes to Stripe, collected by driving each gift's
path against the fake Stripe: each must pass Stripe's rules
(tests/fake_stripe_rules.py), and the set of their shapes (method, path, parameter
names and nesting) must be the reviewed list in tests/stripe_contract_requests.txt,
so that a new or changed request to Stripe is seen in review, checked against
Stripe's reference, before it reaches Stripe. Beside that, a static scan runs
every `expand` path written in donations/ through Stripe's expand rules, whether
or not a test reaches it."""

import ast
import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from donations.donors.receipts import manage_token
from donations.donors.stripe_erasure import stripe_erasures_run
from donations.models import Subscription
from donations.stripe.reconciliation import reconcile_day
from donations.stripe.repair import repair_recent
from tests import fake_stripe_rules as rules
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    FakeStripe,
    Request,
    fake_stripe_fixture,
    manage_links_fixture,
    process_waiting,
    receive,
    start_donation,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REVIEWED = Path(__file__).with_name("stripe_contract_requests.txt")
DONOR = "donor@example.org"
ID = "(?P<id>[^/]+)"


# --- Driving every path ------------------------------------------------------------


@dataclass
class Drive:
    """What driving the paths sent to Stripe, and what went wrong on the way."""

    requests: list[Request]
    failures: list[str]  # a path that raised, or left an event unprocessed


def drive_every_gift_path(world: FakeStripe, client, on_commit) -> Drive:
    """Each way a gift goes, through the application's own code, as Stripe would
    tell it (events delivered and processed). A path that fails is recorded and
    the next one still runs, so that one run lists every request Stripe refuses."""
    failures: list[str] = []
    state: dict = {}

    def deliver(type_: str, object_id: str) -> None:
        receive(world, type_, object_id)
        for event in process_waiting():
            failures.append(f"{event.type} {object_id}: {event.last_error[:300]}")
            event.delete()  # reported; not retried by the paths that follow

    def paid_one_off(amount: int) -> str:
        donation = start_donation(amount=amount)
        world.complete_checkout(donation.checkout_session_id, email=DONOR)
        deliver("checkout.session.completed", donation.checkout_session_id)
        return world.charge_of(donation.checkout_session_id)["id"]

    def one_off_refunded_in_part_then_in_full():
        charge = paid_one_off(2500)
        world.refund(charge, 500)
        deliver("charge.refunded", charge)
        world.refund(charge)
        deliver("charge.refunded", charge)

    def one_off_disputes_won_and_lost():
        for won in (True, False):
            dispute = world.open_dispute(paid_one_off(3000))
            deliver("charge.dispute.created", dispute["id"])
            world.close_dispute(dispute["id"], won=won)
            deliver("charge.dispute.closed", dispute["id"])

    def monthly_first_payment_renewal_decline_and_recovery():
        monthly = start_donation(frequency="monthly", amount=1000)
        session = world.complete_checkout(monthly.checkout_session_id, email=DONOR)
        subscription_id = state["subscription"] = session["subscription"]
        deliver("checkout.session.completed", session["id"])
        deliver("customer.subscription.created", subscription_id)
        deliver("invoice.paid", session["invoice"])
        renewal = state["renewal"] = world.pay_invoice(subscription_id)
        deliver("invoice.paid", renewal["id"])
        declined = world.fail_invoice(subscription_id)
        deliver("invoice.payment_failed", declined["id"])
        world.recover_invoice(declined["id"])
        deliver("invoice.paid", declined["id"])
        deliver("customer.subscription.updated", subscription_id)

    def monthly_refund_told_before_its_payment():
        # The charge is traced to its invoice through the payment intent.
        early = world.pay_invoice(state["subscription"])
        charge = world.charge_of(early["id"])["id"]
        world.refund(charge)
        deliver("charge.refunded", charge)
        deliver("invoice.paid", early["id"])

    def monthly_charge_refunded_in_part_then_in_full():
        charge = world.charge_of(state["renewal"]["id"])["id"]
        world.refund(charge, 300)
        deliver("charge.refunded", charge)
        world.refund(charge)
        deliver("charge.refunded", charge)

    def sepa_debits_arriving_and_failing():
        for arrives in (True, False):
            debit = start_donation(amount=5000)
            session_id = debit.checkout_session_id
            world.complete_checkout(session_id, paid=False, email=DONOR)
            deliver("checkout.session.completed", session_id)
            if arrives:
                world.settle_checkout(session_id)
                deliver("checkout.session.async_payment_succeeded", session_id)
            else:
                world.fail_checkout_payment(session_id)
                deliver("checkout.session.async_payment_failed", session_id)

    def checkout_abandoned():
        abandoned = start_donation(amount=1500)
        world.expire_checkout(abandoned.checkout_session_id)
        deliver("checkout.session.expired", abandoned.checkout_session_id)

    def payouts_paid_failed_and_cancelled():
        payout = world.create_payout()
        deliver("payout.created", payout["id"])
        world.pay_payout(payout["id"])
        deliver("payout.paid", payout["id"])
        world.fail_payout(payout["id"])
        deliver("payout.failed", payout["id"])
        cancelled = world.create_payout()
        deliver("payout.created", cancelled["id"])
        world.cancel_payout(cancelled["id"])
        deliver("payout.canceled", cancelled["id"])
        world.charge_stripe_fee(200)

    def manage_link_amount_card_and_cancel():
        path = state["manage"] = f"/en/donate/manage/{manage_token(DONOR)}/"
        subscription = Subscription.objects.get(stripe_id=state["subscription"])
        base = f"{path}monthly/{subscription.pk}"
        assert client.post(f"{base}/amount/", {"amount": "12,50"}).status_code == 302
        assert client.post(f"{base}/card/").status_code == 302
        assert client.post(f"{base}/cancel/").status_code == 302

    def manage_link_cancel_of_a_gift_cancelled_at_the_portal():
        second = start_donation(frequency="monthly", amount=2000)
        session = world.complete_checkout(second.checkout_session_id, email=DONOR)
        deliver("checkout.session.completed", session["id"])
        world.cancel_subscription(session["subscription"])
        local = Subscription.objects.get(stripe_id=session["subscription"])
        path = state.get("manage") or f"/en/donate/manage/{manage_token(DONOR)}/"
        assert client.post(f"{path}monthly/{local.pk}/cancel/").status_code == 302

    def hourly_repair():
        repair_recent()

    def nightly_reconciliation():
        day = datetime.datetime.fromtimestamp(world.clock, datetime.UTC).date()
        assert reconcile_day(day=day).error == ""

    def donor_erasure():
        path = state.get("manage") or f"/en/donate/manage/{manage_token(DONOR)}/"
        with on_commit(execute=True):
            assert client.post(f"{path}erase/", {"confirm": "on"}).status_code == 200
        stripe_erasures_run()

    for path in (
        one_off_refunded_in_part_then_in_full,
        one_off_disputes_won_and_lost,
        monthly_first_payment_renewal_decline_and_recovery,
        monthly_refund_told_before_its_payment,
        monthly_charge_refunded_in_part_then_in_full,
        sepa_debits_arriving_and_failing,
        checkout_abandoned,
        payouts_paid_failed_and_cancelled,
        manage_link_amount_card_and_cancel,
        manage_link_cancel_of_a_gift_cancelled_at_the_portal,
        hourly_repair,
        nightly_reconciliation,
        donor_erasure,  # last: it deletes the donor's customers
    ):
        try:
            with transaction.atomic():
                path()
        except Exception as error:  # recorded; the next path still runs
            failures.append(f"{path.__name__}: {error!r}"[:500])
    return Drive(list(world.requests), failures)


@pytest.fixture
def app_requests(fake_stripe, manage_links, client, django_capture_on_commit_callbacks):
    # Stripe's clock at 09:00 yesterday (UTC): every object of the drive is made
    # on one day, whatever time the test runs.
    yesterday = timezone.now().astimezone(datetime.UTC).date() - datetime.timedelta(
        days=1
    )
    start = datetime.datetime.combine(yesterday, datetime.time(9), datetime.UTC)
    fake_stripe.clock = int(start.timestamp())
    return drive_every_gift_path(
        fake_stripe, client, django_capture_on_commit_callbacks
    )


# --- (a) Every request passes Stripe's rules ---------------------------------------


def test_every_request_the_application_makes_passes_stripes_rules(
    fake_stripe, app_requests
):
    refused: dict[str, int] = {}
    for request in app_requests.requests:
        refusal = fake_stripe.refusal_of(request)
        if refusal is not None or request.status == 400:
            report = (
                f"{request.caller or 'not from donations/'}: "
                f"{shape_of(fake_stripe, request)}\n"
                f"    → {(refusal or {}).get('message', 'answered 400')}"
            )
            refused[report] = refused.get(report, 0) + 1
    assert not refused, "Stripe would refuse these requests:\n" + "\n".join(
        f"{report} (×{count})" for report, count in refused.items()
    )
    # Else the requests above are not all the application makes.
    assert not app_requests.failures, "A path did not run to its end:\n" + "\n".join(
        app_requests.failures
    )


# --- (b) The shapes of the requests are the reviewed ones --------------------------


def _abstract(value, key: str = ""):
    """A value as its shape: names and nesting kept, values replaced by their kind
    (expand paths are kept: which path is asked for is the contract)."""
    if isinstance(value, dict):
        return {name: _abstract(item, name) for name, item in sorted(value.items())}
    if isinstance(value, list):
        if key == "expand":
            return sorted(set(value))
        shapes = []
        for item in value:
            shape = _abstract(item)
            if shape not in shapes:
                shapes.append(shape)
        return shapes
    if value == "":
        return "<empty>"
    if value in ("true", "false"):
        return "<bool>"
    if re.fullmatch(r"-?\d+", str(value)):
        return "<int>"
    return "<str>"


def shape_of(world: FakeStripe, request: Request) -> str:
    """One line: method, path with its id as {id}, and the params' shape."""
    route = world.route_of(request)
    assert route is not None, f"the fake serves no {request.method} {request.path}"
    path = route[0].replace(ID, "{id}")
    params = json.dumps(_abstract(request.params), sort_keys=True)
    return f"{request.method} {path} {params}"


def reviewed_shapes() -> set[str]:
    lines = REVIEWED.read_text().splitlines()
    return {line for line in lines if line.strip() and not line.startswith("#")}


def test_the_requests_the_application_makes_are_the_reviewed_ones(
    fake_stripe, app_requests
):
    made = {shape_of(fake_stripe, request) for request in app_requests.requests}
    reviewed = reviewed_shapes()
    new, gone = sorted(made - reviewed), sorted(reviewed - made)
    assert not new and not gone, (
        "The requests the application makes to Stripe have changed.\n"
        + (
            "New or changed (check each against Stripe's API reference, "
            "https://docs.stripe.com/api, for its endpoint: parameter names, which "
            "mode or state allows them, expand depth and expandable fields; then add "
            f"the line to {REVIEWED.name}):\n  " + "\n  ".join(new) + "\n"
            if new
            else ""
        )
        + (
            f"No longer made (remove from {REVIEWED.name}):\n  " + "\n  ".join(gone)
            if gone
            else ""
        )
    )


def test_every_reviewed_request_is_one_the_fake_serves():
    world = FakeStripe()
    for line in reviewed_shapes():
        method, path, _ = line.split(" ", 2)
        request = Request(method, path.replace("{id}", "x_1"), {}, {})
        assert world.route_of(request) is not None, line


# --- A static scan of the expand paths in donations/ --------------------------------

LISTING = {"list", "search", "list_line_items"}


def _attribute_chain(node: ast.AST) -> list[str]:
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return list(reversed(names))


def _expand_lists(call: ast.Call) -> list[ast.AST]:
    found = []
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(argument, ast.Dict):
            for key, value in zip(argument.keys, argument.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "expand":
                    found.append(value)
    return found


def expand_uses() -> list[tuple[str, int, str, bool, ast.AST]]:
    """(file, line, object name, listing, the expand list's node) for every call
    on a Stripe client service (`….v1.<service>.<method>(…expand…)`)."""
    uses = []
    for source in sorted((ROOT / "donations").rglob("*.py")):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _expand_lists(node):
                continue
            chain = _attribute_chain(node.func)
            if "v1" in chain:
                chain = chain[chain.index("v1") + 1 :]
            *service, method = chain
            name = ".".join(service).removesuffix("s") if service else ""
            for expand in _expand_lists(node):
                uses.append(
                    (
                        str(source.relative_to(ROOT)),
                        node.lineno,
                        name,
                        method in LISTING,
                        expand,
                    )
                )
    return uses


def test_the_scan_finds_the_expand_paths_in_donations():
    # If this finds none, the scan below checks nothing.
    assert len(expand_uses()) >= 5


def test_every_expand_path_written_in_donations_is_one_stripe_accepts():
    problems = []
    for where, line, name, listing, expand in expand_uses():
        if rules.object_class(name) is None:
            problems.append(f"{where}:{line}: cannot tell which object {name!r} is")
            continue
        if not isinstance(expand, ast.List) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str)
            for e in expand.elts
        ):
            problems.append(f"{where}:{line}: expand is not a list of strings")
            continue
        for element in expand.elts:
            problem = rules.expand_problem(name, listing, element.value)
            if problem:
                problems.append(f"{where}:{line}: {name} {element.value!r}: {problem}")
    assert not problems, "\n".join(problems)


def test_the_scan_refuses_the_expand_path_that_lost_a_monthly_gift():
    six = "payments.data.payment.payment_intent.latest_charge.balance_transaction"
    assert rules.expand_problem("invoice", False, six)
