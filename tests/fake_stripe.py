"""A fake Stripe for the donation tests: a world of Stripe objects, built from
Stripe's own published fixtures (tests/stripe_fixtures, MIT), that moves the way
Stripe does (a checkout completes, an invoice is paid, a charge is refunded or
disputed), and an HTTP client that serves Stripe's REST API from that world to the
real stripe-python library.

    world = FakeStripe()
    session = world.get(session_id)
    world.complete_checkout(session_id, settled_amount=1500, fee=47)
    payload, header = signed_event(world, "checkout.session.completed", session_id,
                                   secret="whsec_test")
    payout = world.create_payout()          # the balance goes to the bank
    world.fail_payout(payout["id"])         # and comes back
    world.charge_stripe_fee(500)            # one of Stripe's own fees

What we sent is in `world.requests` (method, path, params, headers). Unknown ids
answer 404 with Stripe's error body; unknown parameters (checked against
stripe-python's typed params) answer 400, as Stripe does, and so does every request
another of Stripe's rules refuses (tests/fake_stripe_rules.py: expand depth, list
limits, metadata, idempotency keys, Checkout Session modes, amounts, ...).

Test modules use the fixtures `fake_stripe`, `stripe_settings` and `manage_links`
by importing them: `from tests.fake_stripe import fake_stripe_fixture  # noqa: F401`.
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import json
import logging
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from tests import fake_stripe_rules as rules

FIXTURES = Path(__file__).parent / "stripe_fixtures" / "fixtures3.json"
WEBHOOK_SECRET = "whsec_test"
SECRET_KEY = "sk_test_fake"


@functools.cache
def _resources() -> dict[str, Any]:
    return json.loads(FIXTURES.read_text())["resources"]


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of Stripe's sample object of type `name`."""
    return copy.deepcopy(_resources()[name])


# --- Requests as Stripe's server sees them -----------------------------------------


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=1` pairs (stripe-python's encoding) → nested dicts and lists.
    Values stay strings, as the server receives them."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", key)
        # A metadata key with square brackets in it (`metadata[a[b]]`) is still
        # one key, for the metadata rule to refuse as Stripe does.
        inner = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)\[(.*\[.*)\]", key)
        if not match and not inner:
            root[key] = value
            continue
        if match:
            parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        else:
            parts = [
                inner.group(1),
                *re.findall(r"\[([^\[\]]*)\]", inner.group(2)),
                inner.group(3),
            ]
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # `expand[]=x`
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _lists(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 0  # what the fake answered (0: no answer, Stripe was down)
    caller: str = ""  # the application's code that sent it: file:line function

    @staticmethod
    def sender() -> str:
        """The innermost frame of the application's own code (donations/) on the
        stack: who to ask about a request Stripe would refuse."""
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if "/donations/" in filename and "site-packages" not in filename:
                where = filename[filename.rindex("/donations/") + 1 :]
                return f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        return ""

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type_, "message": message, **extra}}


class RequestRefused(StripeError):
    """A request that failed Stripe's validation: Stripe saves no idempotent
    answer for it (https://docs.stripe.com/api/idempotent_requests)."""

    def __init__(self, refusal: rules.Refused):
        super().__init__(refusal.status, refusal.type, refusal.message)
        self.body = {"error": refusal.error}


def _missing(kind: str, object_id: str) -> StripeError:
    return StripeError(
        404,
        "invalid_request_error",
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param="id",
    )


# Checking parameter names against stripe-python's typed params: Stripe answers 400
# "Received unknown parameter" to a misspelt one, and so do we.
_REQUEST_OPTIONS = {
    "api_key",
    "stripe_version",
    "stripe_account",
    "stripe_context",
    "max_network_retries",
    "idempotency_key",
    "content_type",
    "headers",
}


def _annotations(cls) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        merged.update(getattr(klass, "__annotations__", {}))
    return merged


def _typed_dicts_in(annotation: Any, module) -> list[type]:
    text = repr(annotation)
    if re.search(r"Dict\[str,|Mapping\[str,|UntypedStripeObject", text):
        return []  # free-form keys (metadata)
    found = []
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
        candidate = getattr(module, name, None)
        if isinstance(candidate, type) and hasattr(candidate, "__total__"):
            found.append(candidate)
    return found


@functools.cache
def _fields(classes: tuple[type, ...], top: bool) -> dict[str, tuple[type, ...]]:
    """Parameter name → the typed dicts its value may be, for these params types."""
    fields: dict[str, list[type]] = {}
    for cls in classes:
        module = sys.modules[cls.__module__]
        for name, annotation in _annotations(cls).items():
            if top and name in _REQUEST_OPTIONS:
                continue
            fields.setdefault(name, []).extend(_typed_dicts_in(annotation, module))
    return {name: tuple(types) for name, types in fields.items()}


def check_params(params: Any, classes: tuple[type, ...], where: str = "") -> None:
    """Stripe's "Received unknown parameter" for names the typed params lack."""
    if not classes:
        return
    if isinstance(params, list):
        for i, item in enumerate(params):
            check_params(item, classes, f"{where}[{i}]")
        return
    if not isinstance(params, dict):
        return
    fields = _fields(classes, where == "")
    for key, value in params.items():
        path = f"{where}[{key}]" if where else key
        if key not in fields:
            raise RequestRefused(
                rules.Refused(
                    f"Received unknown parameter: {path}",
                    code="parameter_unknown",
                    param=path,
                )
            )
        check_params(value, fields[key], path)


def _params_class(dotted: str) -> type | None:
    module, _, name = dotted.rpartition(".")
    try:
        return getattr(__import__(module, fromlist=[name]), name)
    except (ImportError, AttributeError):
        return None


# --- The world ---------------------------------------------------------------------


class FakeStripe:
    """Stripe's current objects by id, and the moves that change them."""

    PREFIX = {
        "checkout.session": "cs_test",
        "payment_intent": "pi",
        "charge": "ch",
        "balance_transaction": "txn",
        "refund": "re",
        "dispute": "dp",
        "invoice": "in",
        "invoice_payment": "inpay",
        "subscription": "sub",
        "subscription_item": "si",
        "customer": "cus",
        "price": "price",
        "product": "prod",
        "billing_portal.session": "bps",
        "event": "evt",
        "payout": "po",
    }
    # Fields Stripe leaves out unless asked for with `expand`.
    INCLUDABLE = {"charge": {"refunds"}, "invoice": {"payments"}}

    def __init__(self, *, clock: int | None = None):
        self.objects: dict[str, dict[str, Any]] = {}
        self.requests: list[Request] = []
        self.checkout_params: dict[str, dict[str, Any]] = {}  # session id → params
        # Stripe's clock: an hour ago, moving on a little with every object.
        self.clock = int(time.time()) - 3600 if clock is None else clock
        self.down = False  # True: every request fails to connect
        self._idempotent: dict[str, tuple[str, str, dict, tuple]] = {}
        self._counter = itertools.count(1)
        self._lock = threading.RLock()
        # balance transaction id → the automatic payout that paid it out
        self.paid_out: dict[str, str] = {}

    # Objects ------------------------------------------------------------------------

    def tick(self, seconds: int = 60) -> int:
        self.clock += seconds
        return self.clock

    def new_id(self, kind: str) -> str:
        return f"{self.PREFIX[kind]}_fake{next(self._counter):06d}"

    def add(self, kind: str, **fields) -> dict[str, Any]:
        """Stripe's sample `kind`, with `fields` overriding it, stored by id."""
        with self._lock:
            obj = fixture(kind)
            obj.update(livemode=False, created=self.tick(1), id=self.new_id(kind))
            obj.update(fields)
            self.objects[obj["id"]] = obj
            return obj

    def get(self, object_id: str) -> dict[str, Any]:
        """The live object (changing it changes the world)."""
        return self.objects[object_id]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o.get("object") == kind]

    def charge_of(self, object_id: str) -> dict[str, Any]:
        """The charge that paid a checkout session, an invoice or a payment intent."""
        obj = self.get(object_id)
        if obj["object"] == "checkout.session":
            if obj["mode"] == "subscription":
                return self.charge_of(obj["invoice"])
            return self.charge_of(obj["payment_intent"])
        if obj["object"] == "invoice":
            payment = obj["payments"]["data"][0]["payment"]
            return self.charge_of(payment["payment_intent"])
        if obj["object"] == "payment_intent":
            return self.get(obj["latest_charge"])
        raise KeyError(object_id)

    def sessions_created(self) -> list[Request]:
        return self.sent("POST", "/v1/checkout/sessions")

    def sent(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # Customers and checkout -----------------------------------------------------------

    def create_customer(
        self, *, email: str | None = None, name: str | None = None, **fields
    ) -> dict[str, Any]:
        return self.add(
            "customer",
            email=email,
            name=name,
            currency=None,
            discount=None,
            metadata={},
            **fields,
        )

    def create_checkout_session(self, params: dict[str, Any]) -> dict[str, Any]:
        """What POST /v1/checkout/sessions makes of `params` (strings, as sent)."""
        items = params.get("line_items") or []
        if "mode" not in params:
            raise StripeError(
                400, "invalid_request_error", "Missing required param: mode."
            )
        amount, currency = 0, None
        for item in items:
            price = item.get("price_data") or {}
            amount += int(price.get("unit_amount") or 0) * int(item.get("quantity", 1))
            currency = currency or price.get("currency")
        session_id = self.new_id("checkout.session")
        session = self.add(
            "checkout.session",
            id=session_id,
            mode=params["mode"],
            status="open",
            payment_status="unpaid",
            amount_subtotal=amount,
            amount_total=amount,
            currency=currency,
            metadata=dict(params.get("metadata") or {}),
            client_reference_id=params.get("client_reference_id"),
            success_url=params.get("success_url"),
            cancel_url=params.get("cancel_url"),
            locale=params.get("locale"),
            submit_type=params.get("submit_type"),
            customer=params.get("customer"),
            customer_email=params.get("customer_email"),
            customer_details=None,
            payment_intent=None,
            subscription=None,
            invoice=None,
            url=f"https://checkout.stripe.com/c/pay/{session_id}",
            expires_at=self.clock + 24 * 3600,
            after_expiration=None,
            shipping_address_collection=None,
            shipping_cost=None,
            total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            currency_conversion=None,
            collected_information=None,
            custom_text={
                "after_submit": None,
                "shipping_address": None,
                "submit": None,
                "terms_of_service_acceptance": None,
            },
            invoice_creation=None,
        )
        self.checkout_params[session_id] = copy.deepcopy(params)
        return session

    def complete_checkout(
        self,
        session_id: str,
        *,
        paid: bool = True,
        settled_amount: int | None = None,
        fee: int | None = None,
        currency: str = "eur",
        email: str = "donor@example.org",
        name: str = "A Donor",
    ) -> dict[str, Any]:
        """The donor pays at Checkout. `settled_amount` and `fee` are what reaches
        the balance in `currency` (EUR); unpaid is a bank debit still on its way.
        Returns the session."""
        session = self.get(session_id)
        details = {
            "address": None,
            "email": email,
            "name": name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
            "business_name": None,
            "individual_name": None,
        }
        if session["mode"] == "subscription":
            return self._complete_subscription_checkout(
                session,
                details=details,
                paid=paid,
                settled_amount=settled_amount,
                fee=fee,
                currency=currency,
            )
        params = self.checkout_params.get(session_id, {})
        if not session.get("customer") and params.get("customer_creation") == "always":
            session["customer"] = self.create_customer(email=email, name=name)["id"]
        intent = self._payment_intent(
            amount=session["amount_total"],
            currency=session["currency"],
            customer=session.get("customer"),
            metadata=dict(
                (params.get("payment_intent_data") or {}).get("metadata") or {}
            ),
            status="succeeded" if paid else "processing",
        )
        session.update(
            status="complete",
            payment_status="paid" if paid else "unpaid",
            payment_intent=intent["id"],
            customer_details=details,
        )
        if paid:
            self._charge(
                intent,
                settled_amount=settled_amount,
                fee=fee,
                currency=currency,
                email=email,
                name=name,
            )
        return session

    def settle_checkout(self, session_id: str, **money) -> dict[str, Any]:
        """A bank debit that was on its way arrives (async_payment_succeeded)."""
        session = self.get(session_id)
        intent = self.get(session["payment_intent"])
        details = session["customer_details"] or {}
        self._charge(
            intent, email=details.get("email"), name=details.get("name"), **money
        )
        session["payment_status"] = "paid"
        return session

    def fail_checkout_payment(self, session_id: str) -> dict[str, Any]:
        """A bank debit that was on its way is refused by the donor's bank
        (async_payment_failed): the payment intent wants a new payment method."""
        session = self.get(session_id)
        intent = self.get(session["payment_intent"])
        self._charge(intent, paid=False)
        return session

    def expire_checkout(self, session_id: str) -> dict[str, Any]:
        session = self.get(session_id)
        if session["status"] != "open":
            raise StripeError(
                400,
                "invalid_request_error",
                "Only Checkout Sessions with a status of open can be expired.",
            )
        session["status"] = "expired"
        return session

    def _complete_subscription_checkout(
        self, session, *, details, paid, settled_amount, fee, currency
    ):
        params = self.checkout_params.get(session["id"], {})
        customer = (
            session.get("customer")
            or self.create_customer(email=details["email"], name=details["name"])["id"]
        )
        price = ((params.get("line_items") or [{}])[0]).get("price_data") or {}
        subscription = self.start_subscription(
            customer=customer,
            amount=session["amount_total"],
            currency=session["currency"],
            metadata=dict(
                (params.get("subscription_data") or {}).get("metadata") or {}
            ),
            product_name=(price.get("product_data") or {}).get("name", "Donation"),
        )
        if paid:
            invoice = self.pay_invoice(
                subscription["id"],
                settled_amount=settled_amount,
                fee=fee,
                currency=currency,
                billing_reason="subscription_create",
            )
        else:
            invoice = self.fail_invoice(
                subscription["id"], billing_reason="subscription_create"
            )
        session.update(
            status="complete",
            payment_status="paid" if paid else "unpaid",
            customer=customer,
            customer_details=details,
            subscription=subscription["id"],
            invoice=invoice["id"],
        )
        return session

    # Payments ------------------------------------------------------------------------

    def _payment_intent(self, *, amount, currency, customer, metadata, status):
        return self.add(
            "payment_intent",
            amount=amount,
            amount_received=0,
            currency=currency,
            customer=customer,
            metadata=metadata,
            status=status,
            latest_charge=None,
            last_payment_error=None,
            next_action=None,
            canceled_at=None,
            processing=None,
            transfer_data=None,
            client_secret=None,
        )

    def _charge(
        self,
        intent,
        *,
        settled_amount=None,
        fee=None,
        currency="eur",
        email=None,
        name=None,
        paid=True,
    ):
        amount = intent["amount"]
        if settled_amount is None:
            if str(intent["currency"]).lower() != currency:
                raise ValueError("say what a foreign-currency payment settled to")
            settled_amount = amount
        if fee is None:
            fee = (settled_amount * 15 + 500) // 1000 + 25  # 1.5% + 0.25
        charge = self.add(
            "charge",
            amount=amount,
            amount_captured=amount if paid else 0,
            amount_refunded=0,
            captured=paid,
            paid=paid,
            status="succeeded" if paid else "failed",
            refunded=False,
            disputed=False,
            currency=intent["currency"],
            customer=intent.get("customer"),
            payment_intent=intent["id"],
            metadata=dict(intent.get("metadata") or {}),
            description=None,
            balance_transaction=None,
            billing_details={
                "address": None,
                "email": email,
                "name": name,
                "phone": None,
                "tax_id": None,
            },
            failure_code=None if paid else "card_declined",
            failure_message=None if paid else "Your card was declined.",
            receipt_url=None,
            source=None,
            transfer_data=None,
            outcome={"type": "authorized" if paid else "issuer_declined"},
        )
        charge["refunds"] = {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/charges/{charge['id']}/refunds",
        }
        if paid:
            bt = self._balance_transaction(
                amount=settled_amount,
                fee=fee,
                currency=currency,
                type="charge",
                reporting_category="charge",
                source=charge["id"],
                exchange_rate=None
                if str(intent["currency"]).lower() == currency
                else round(settled_amount / amount, 6),
            )
            charge["balance_transaction"] = bt["id"]
            intent.update(status="succeeded", amount_received=amount)
        else:
            intent.update(
                status="requires_payment_method",
                last_payment_error={
                    "type": "card_error",
                    "code": "card_declined",
                    "message": "Your card was declined.",
                },
            )
        intent["latest_charge"] = charge["id"]
        return charge

    def _balance_transaction(
        self, *, amount, fee, currency, type, reporting_category, source, **extra
    ):
        fee_details = (
            [
                {
                    "amount": fee,
                    "application": None,
                    "currency": currency,
                    "description": "Stripe processing fees",
                    "type": "stripe_fee",
                }
            ]
            if fee
            else []
        )
        return self.add(
            "balance_transaction",
            amount=amount,
            fee=fee,
            net=amount - fee,
            currency=currency,
            type=type,
            reporting_category=reporting_category,
            source=source,
            fee_details=fee_details,
            description=extra.pop("description", None),
            status="pending",
            available_on=self.clock + 7 * 24 * 3600,
            exchange_rate=extra.pop("exchange_rate", None),
            **extra,
        )

    def _settled(self, charge, amount: int) -> tuple[int, str]:
        """`amount` of the charge's currency in the balance's currency, at the
        charge's rate."""
        bt = self.get(charge["balance_transaction"])
        if amount == charge["amount"]:
            return bt["amount"], bt["currency"]
        return round(amount * bt["amount"] / charge["amount"]), bt["currency"]

    def refund(
        self,
        charge_id: str,
        amount: int | None = None,
        *,
        settled_amount: int | None = None,
        status: str = "succeeded",
    ) -> dict[str, Any]:
        """Refund `amount` (default: what is left) of a charge."""
        charge = self.get(charge_id)
        if amount is None:
            amount = charge["amount"] - charge["amount_refunded"]
        if amount <= 0 or charge["amount_refunded"] + amount > charge["amount"]:
            raise ValueError("refund larger than what is left of the charge")
        settled, currency = self._settled(charge, amount)
        if settled_amount is not None:
            settled = settled_amount
        refund_id = self.new_id("refund")
        bt = self._balance_transaction(
            amount=-settled,
            fee=0,
            currency=currency,
            type="refund",
            reporting_category="refund",
            source=refund_id,
        )
        refund = self.add(
            "refund",
            id=refund_id,
            amount=amount,
            charge=charge_id,
            currency=charge["currency"],
            payment_intent=charge.get("payment_intent"),
            balance_transaction=bt["id"],
            status=status,
            metadata={},
            reason="requested_by_customer",
        )
        charge["refunds"]["data"].insert(0, refund)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        return refund

    def open_dispute(
        self,
        charge_id: str,
        *,
        fee: int = 1500,
        amount: int | None = None,
        reason: str = "fraudulent",
    ) -> dict[str, Any]:
        """The donor's bank takes the money back, and Stripe its dispute fee."""
        charge = self.get(charge_id)
        amount = charge["amount"] if amount is None else amount
        settled, currency = self._settled(charge, amount)
        dispute_id = self.new_id("dispute")
        withdrawal = self._balance_transaction(
            amount=-settled,
            fee=fee,
            currency=currency,
            type="adjustment",
            reporting_category="dispute",
            source=dispute_id,
            description=f"Chargeback withdrawal for {charge_id}",
        )
        withdrawal["fee_details"][0]["description"] = "Dispute fee"
        dispute = self.add(
            "dispute",
            id=dispute_id,
            amount=amount,
            charge=charge_id,
            currency=charge["currency"],
            payment_intent=charge.get("payment_intent"),
            status="needs_response",
            reason=reason,
            balance_transactions=[withdrawal],
            is_charge_refundable=False,
            metadata={},
        )
        charge["disputed"] = True
        return dispute

    def close_dispute(self, dispute_id: str, *, won: bool = True) -> dict[str, Any]:
        """Won: the amount and the dispute fee come back. Lost: they stay gone."""
        dispute = self.get(dispute_id)
        if won:
            withdrawal = dispute["balance_transactions"][0]
            reinstatement = self._balance_transaction(
                amount=-withdrawal["amount"],
                fee=-withdrawal["fee"],
                currency=withdrawal["currency"],
                type="adjustment",
                reporting_category="dispute_reversal",
                source=dispute_id,
                description=f"Chargeback reversal for {dispute['charge']}",
            )
            dispute["balance_transactions"].append(reinstatement)
        dispute["status"] = "won" if won else "lost"
        return dispute

    # Payouts and the balance ---------------------------------------------------------

    def balance(self, currency: str = "eur") -> int:
        """The account's balance in `currency`: the net of every balance transaction
        (the fake makes money available at once, without Stripe's delay)."""
        return sum(
            bt["net"]
            for bt in self.of_kind("balance_transaction")
            if bt["currency"] == currency
        )

    def add_balance_transaction(
        self,
        *,
        type: str,
        amount: int,
        fee: int = 0,
        currency: str = "eur",
        reporting_category: str | None = None,
        source: str | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        """A balance transaction that no gift caused (a top-up, a reserve, ...)."""
        return self._balance_transaction(
            amount=amount,
            fee=fee,
            currency=currency,
            type=type,
            reporting_category=reporting_category or type,
            source=source,
            description=description,
        )

    def charge_stripe_fee(
        self, amount: int, *, description: str = "Radar for Fraud Teams"
    ) -> dict[str, Any]:
        """Stripe takes one of its own fees (Radar, Billing, ...) from the balance."""
        return self.add_balance_transaction(
            type="stripe_fee",
            amount=-amount,
            reporting_category="fee",
            description=description,
        )

    def create_payout(
        self,
        *,
        amount: int | None = None,
        fee: int = 0,
        currency: str = "eur",
        automatic: bool = True,
    ) -> dict[str, Any]:
        """Stripe pays the balance (or `amount` of it) out to the bank; `fee` (an
        instant payout's) comes out of the balance as well. Returns the payout,
        pending, whose balance transaction takes the money from the balance."""
        available = self.balance(currency)
        if amount is None:
            amount = available - fee
        if amount <= 0 or amount + fee > available:
            raise StripeError(
                400,
                "invalid_request_error",
                "You have insufficient funds in your Stripe account.",
                code="balance_insufficient",
            )
        payout_id = self.new_id("payout")
        contents = [
            bt["id"]
            for bt in self.of_kind("balance_transaction")
            if bt["currency"] == currency and bt["id"] not in self.paid_out
        ]
        bt = self._balance_transaction(
            amount=-amount,
            fee=fee,
            currency=currency,
            type="payout",
            reporting_category="payout",
            source=payout_id,
            description="STRIPE PAYOUT",
        )
        if fee:
            bt["fee_details"][0]["description"] = "Instant payout fee"
        bt.update(status="available", available_on=bt["created"])
        payout = self.add(
            "payout",
            id=payout_id,
            created=bt["created"],
            amount=amount,
            currency=currency,
            automatic=automatic,
            method="instant" if fee else "standard",
            balance_transaction=bt["id"],
            failure_balance_transaction=None,
            failure_code=None,
            failure_message=None,
            status="pending",
            arrival_date=bt["created"] + 2 * 24 * 3600,
            destination="ba_fakebank000001",
            reconciliation_status="in_progress" if automatic else "not_applicable",
            trace_id={"status": "pending", "value": None},
            metadata={},
        )
        if automatic:
            for txn in [*contents, bt["id"]]:
                self.paid_out[txn] = payout_id
        return payout

    def pay_payout(self, payout_id: str) -> dict[str, Any]:
        """The payout reaches the bank."""
        payout = self.get(payout_id)
        payout.update(
            status="paid",
            reconciliation_status="completed"
            if payout["automatic"]
            else "not_applicable",
            trace_id={"status": "supported", "value": f"TRACE{payout_id[-6:]}"},
        )
        return payout

    def fail_payout(
        self,
        payout_id: str,
        *,
        code: str = "account_closed",
        message: str = "The bank account has been closed.",
    ) -> dict[str, Any]:
        """The bank refuses the payout (even one that showed as paid): a second
        balance transaction puts the money back in the balance."""
        payout = self.get(payout_id)
        if payout["status"] in ("failed", "canceled"):
            raise ValueError(f"payout {payout_id} is already {payout['status']}")
        self._return_payout(payout, type="payout_failure")
        payout.update(status="failed", failure_code=code, failure_message=message)
        return payout

    def cancel_payout(self, payout_id: str) -> dict[str, Any]:
        """A pending payout is cancelled before it is sent to the bank."""
        payout = self.get(payout_id)
        if payout["status"] != "pending":
            raise StripeError(
                400,
                "invalid_request_error",
                "Payouts can only be canceled while they are pending.",
            )
        self._return_payout(payout, type="payout_cancel")
        payout["status"] = "canceled"
        return payout

    def _return_payout(self, payout: dict[str, Any], *, type: str) -> None:
        sent = self.get(payout["balance_transaction"])
        returned = self._balance_transaction(
            amount=-sent["amount"],
            fee=-sent["fee"],
            currency=sent["currency"],
            type=type,
            reporting_category="payout_reversal",
            source=payout["id"],
            description=f"Payout reversal for {payout['id']}",
        )
        returned.update(status="available", available_on=returned["created"])
        payout["failure_balance_transaction"] = returned["id"]

    # Monthly gifts -------------------------------------------------------------------

    def start_subscription(
        self,
        *,
        customer: str | None = None,
        amount: int,
        currency: str = "eur",
        metadata: dict | None = None,
        product_name: str = "Monthly donation",
        status: str = "active",
    ) -> dict[str, Any]:
        customer = customer or self.create_customer(email="donor@example.org")["id"]
        subscription_id = self.new_id("subscription")
        item = copy.deepcopy(fixture("subscription")["items"]["data"][0])
        item.update(
            id=self.new_id("subscription_item"),
            created=self.clock,
            metadata={},
            price=self._price(amount, currency, product_name),
            quantity=1,
            subscription=subscription_id,
            plan=None,
            current_period_start=self.clock,
            current_period_end=self.clock + 30 * 24 * 3600,
            billing_thresholds=None,
        )
        return self.add(
            "subscription",
            id=subscription_id,
            customer=customer,
            currency=currency,
            metadata=dict(metadata or {}),
            status=status,
            start_date=self.clock,
            billing_cycle_anchor=self.clock,
            cancel_at=None,
            cancel_at_period_end=False,
            canceled_at=None,
            ended_at=None,
            cancellation_details={"comment": None, "feedback": None, "reason": None},
            items={
                "object": "list",
                "data": [item],
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={subscription_id}",
            },
            latest_invoice=None,
            next_pending_invoice_item_invoice=None,
            pause_collection=None,
            pending_update=None,
            pending_invoice_item_interval=None,
            transfer_data=None,
            trial_end=None,
            trial_start=None,
            billing_schedules=[],
        )

    def _price(self, amount: int, currency: str, product_name: str) -> dict[str, Any]:
        price = fixture("price")
        price.update(
            id=self.new_id("price"),
            created=self.clock,
            currency=currency,
            unit_amount=amount,
            unit_amount_decimal=str(amount),
            product=self.new_id("product"),
            transform_quantity=None,
            nickname=None,
        )
        price["recurring"]["interval"] = "month"
        return price

    def update_subscription_amount(self, subscription_id: str, amount: int):
        subscription = self.get(subscription_id)
        item = subscription["items"]["data"][0]
        item["price"] = self._price(amount, item["price"]["currency"], "Donation")
        return subscription

    def cancel_subscription(self, subscription_id: str) -> dict[str, Any]:
        subscription = self.get(subscription_id)
        subscription.update(
            status="canceled",
            canceled_at=subscription.get("canceled_at") or self.tick(),
            ended_at=self.clock,
            cancel_at_period_end=False,
        )
        subscription["cancellation_details"]["reason"] = "cancellation_requested"
        return subscription

    def _invoice(self, subscription, *, billing_reason, status):
        item = subscription["items"]["data"][0]
        price = item["price"]
        amount = int(price["unit_amount"]) * int(item.get("quantity") or 1)
        invoice_id = self.new_id("invoice")
        line = copy.deepcopy(fixture("invoice")["lines"]["data"][0])
        line.update(
            id=f"il_{invoice_id}",
            amount=amount,
            currency=price["currency"],
            description=f"1 × {price['product']}",
            invoice=invoice_id,
            subtotal=amount,
            period={"start": self.clock, "end": self.clock + 30 * 24 * 3600},
            parent={
                "type": "subscription_item_details",
                "invoice_item_details": None,
                "subscription_item_details": {
                    "invoice_item": None,
                    "proration": False,
                    "proration_details": {"credited_items": None},
                    "subscription": subscription["id"],
                    "subscription_item": item["id"],
                },
            },
        )
        customer = self.objects.get(subscription["customer"]) or {}
        invoice = self.add(
            "invoice",
            id=invoice_id,
            customer=subscription["customer"],
            customer_email=customer.get("email"),
            currency=price["currency"],
            billing_reason=billing_reason,
            amount_due=amount,
            amount_paid=amount if status == "paid" else 0,
            amount_remaining=0 if status == "paid" else amount,
            amount_overpaid=0,
            subtotal=amount,
            subtotal_excluding_tax=amount,
            total=amount,
            total_excluding_tax=amount,
            attempt_count=1,
            attempted=True,
            auto_advance=status != "paid",
            status=status,
            status_transitions={
                "finalized_at": self.clock,
                "marked_uncollectible_at": None,
                "paid_at": self.clock if status == "paid" else None,
                "voided_at": None,
            },
            number=f"FAKE-{next(self._counter):04d}",
            lines={
                "object": "list",
                "data": [line],
                "has_more": False,
                "url": f"/v1/invoices/{invoice_id}/lines",
            },
            parent={
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "metadata": dict(subscription.get("metadata") or {}),
                    "subscription": subscription["id"],
                },
            },
            period_start=self.clock,
            period_end=self.clock + 30 * 24 * 3600,
            from_invoice=None,
            last_finalization_error=None,
            shipping_cost=None,
            subscription=None,
            next_payment_attempt=None
            if status == "paid"
            else self.clock + 3 * 24 * 3600,
            hosted_invoice_url=f"https://invoice.stripe.com/i/{invoice_id}",
            invoice_pdf=f"https://pay.stripe.com/invoice/{invoice_id}/pdf",
        )
        subscription["latest_invoice"] = invoice_id
        return invoice, amount

    def _invoice_payment(self, invoice, intent, *, status):
        payment = self.add(
            "invoice_payment",
            invoice=invoice["id"],
            amount_paid=intent["amount"] if status == "paid" else None,
            amount_requested=intent["amount"],
            currency=intent["currency"],
            is_default=True,
            livemode=False,
            payment={"type": "payment_intent", "payment_intent": intent["id"]},
            status=status,
            status_transitions={
                "canceled_at": None,
                "paid_at": self.clock if status == "paid" else None,
            },
        )
        invoice["payments"] = {
            "object": "list",
            "data": [payment],
            "has_more": False,
            "url": f"/v1/invoice_payments?invoice={invoice['id']}",
        }
        return payment

    def pay_invoice(
        self,
        subscription_id: str,
        *,
        settled_amount: int | None = None,
        fee: int | None = None,
        currency: str = "eur",
        billing_reason: str = "subscription_cycle",
    ) -> dict[str, Any]:
        """A month's payment of a monthly gift succeeds. Returns the invoice."""
        subscription = self.get(subscription_id)
        invoice, amount = self._invoice(
            subscription, billing_reason=billing_reason, status="paid"
        )
        customer = self.objects.get(subscription["customer"]) or {}
        intent = self._payment_intent(
            amount=amount,
            currency=invoice["currency"],
            customer=subscription["customer"],
            metadata={},
            status="succeeded",
        )
        self._charge(
            intent,
            settled_amount=settled_amount,
            fee=fee,
            currency=currency,
            email=customer.get("email"),
            name=customer.get("name"),
        )
        self._invoice_payment(invoice, intent, status="paid")
        if subscription["status"] in ("incomplete", "past_due"):
            subscription["status"] = "active"
        return invoice

    def fail_invoice(
        self, subscription_id: str, *, billing_reason: str = "subscription_cycle"
    ) -> dict[str, Any]:
        """A month's payment is declined: the invoice stays open, the subscription
        becomes past due. Returns the invoice."""
        subscription = self.get(subscription_id)
        invoice, amount = self._invoice(
            subscription, billing_reason=billing_reason, status="open"
        )
        intent = self._payment_intent(
            amount=amount,
            currency=invoice["currency"],
            customer=subscription["customer"],
            metadata={},
            status="requires_payment_method",
        )
        self._charge(intent, paid=False)
        self._invoice_payment(invoice, intent, status="open")
        subscription["status"] = (
            "incomplete" if billing_reason == "subscription_create" else "past_due"
        )
        return invoice

    def recover_invoice(
        self,
        invoice_id: str,
        *,
        settled_amount: int | None = None,
        fee: int | None = None,
        currency: str = "eur",
    ) -> dict[str, Any]:
        """Stripe's retry of a declined month succeeds: the invoice's payment
        intent gets a new charge, and the invoice is paid. Returns the invoice."""
        invoice = self.get(invoice_id)
        payment = invoice["payments"]["data"][0]
        intent = self.get(payment["payment"]["payment_intent"])
        customer = self.objects.get(invoice["customer"]) or {}
        self._charge(
            intent,
            settled_amount=settled_amount,
            fee=fee,
            currency=currency,
            email=customer.get("email"),
            name=customer.get("name"),
        )
        payment.update(status="paid", amount_paid=intent["amount"])
        payment["status_transitions"]["paid_at"] = self.tick()
        invoice.update(
            status="paid",
            amount_paid=invoice["amount_due"],
            amount_remaining=0,
            attempt_count=invoice["attempt_count"] + 1,
            next_payment_attempt=None,
        )
        invoice["status_transitions"]["paid_at"] = self.clock
        details = invoice["parent"]["subscription_details"]
        subscription = self.get(details["subscription"])
        if subscription["status"] in ("incomplete", "past_due"):
            subscription["status"] = "active"
        return invoice

    # Rendering ------------------------------------------------------------------------

    def render(self, obj: Any, expand: list[str] | tuple[str, ...] = ()) -> Any:
        """An object as the API returns it: includable fields left out unless
        expanded, ids replaced by objects along each `expand` path."""
        return self._render(obj, [tuple(p.split(".")) for p in expand], top=True)

    def _render(self, value: Any, paths: list[tuple[str, ...]], top=False) -> Any:
        if isinstance(value, str):
            # an id on an expand path (a.b.c expands a and b as well)
            if top or paths:
                if value not in self.objects:
                    return value
                return self._render(
                    self.objects[value], [p for p in paths if p], top=True
                )
            return value
        if isinstance(value, list):
            return [self._render(v, paths) for v in value]
        if not isinstance(value, dict):
            return value
        rendered = copy.deepcopy(value)
        wanted = {p[0] for p in paths if p}
        if top:
            for name in self.INCLUDABLE.get(value.get("object"), ()):
                if name not in wanted:
                    rendered.pop(name, None)
        for name in wanted:
            if name in rendered:
                rendered[name] = self._render(
                    rendered[name], [p[1:] for p in paths if p and p[0] == name]
                )
        return rendered

    # Events ---------------------------------------------------------------------------

    def event(
        self,
        type: str,
        obj: str | dict,
        *,
        event_id: str | None = None,
        created: int | None = None,
        previous_attributes: dict | None = None,
    ) -> dict[str, Any]:
        """An event envelope (Stripe's sample event) around the object as it is now."""
        envelope = fixture("event")
        data = {"object": self.render(obj)}
        if previous_attributes is not None:
            data["previous_attributes"] = previous_attributes
        envelope.update(
            id=event_id or self.new_id("event"),
            created=created or self.tick(1),
            type=type,
            data=data,
            api_version=stripe.api_version,
            livemode=False,
            pending_webhooks=1,
            request={"id": None, "idempotency_key": None},
        )
        return envelope

    # The REST API ---------------------------------------------------------------------

    def http_client(self) -> FakeHTTPClient:
        return FakeHTTPClient(self)

    def handle(
        self, method: str, url: str, headers: dict[str, str], body: str | None
    ) -> tuple[str, int, dict[str, str]]:
        method = method.upper()
        parts = urlsplit(url)
        params = decode_form(parse_qsl(parts.query, keep_blank_values=True))
        if body:
            params.update(decode_form(parse_qsl(body, keep_blank_values=True)))
        request = Request(
            method, parts.path, params, dict(headers), caller=Request.sender()
        )
        with self._lock:
            self.requests.append(request)
            if self.down:
                raise stripe.APIConnectionError(
                    "Could not connect to Stripe (fake outage).", should_retry=False
                )
            try:
                status, answer = self._idempotent_answer(request)
            except StripeError as error:
                status, answer = error.status, error.body
            request.status = status
        response_headers = {
            "Request-Id": f"req_fake{uuid.uuid4().hex[:14]}",
            "Content-Type": "application/json",
        }
        if request.idempotency_key:
            response_headers["Idempotency-Key"] = request.idempotency_key
        return json.dumps(answer), status, response_headers

    def _idempotent_answer(self, request: Request) -> tuple[int, Any]:
        key = request.idempotency_key
        try:
            rules.idempotency_key_length(self.call_of(request))
        except rules.Refused as refusal:
            raise RequestRefused(refusal) from None
        if request.method != "POST" or not key:
            return 200, self._route(request)
        if key in self._idempotent:
            method, path, params, answer = self._idempotent[key]
            try:
                rules.idempotency_reuse((method, path, params), self.call_of(request))
            except rules.Refused as refusal:
                raise RequestRefused(refusal) from None
            return answer
        try:
            answer = (200, self._route(request))
        except RequestRefused:
            raise  # refused before it ran: nothing is saved under the key
        except StripeError as error:
            if error.status >= 500:
                raise
            answer = (error.status, error.body)
        self._idempotent[key] = (
            request.method,
            request.path,
            copy.deepcopy(request.params),
            answer,
        )
        return answer

    ROUTES = [
        # (method, pattern, handler name, params class for checking names)
        ("POST", r"/v1/checkout/sessions", "_create_session",
         "stripe.params.checkout.SessionCreateParams"),
        ("GET", r"/v1/checkout/sessions", "_list_sessions",
         "stripe.params.checkout.SessionListParams"),
        ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.checkout.SessionRetrieveParams"),
        ("POST", r"/v1/checkout/sessions/(?P<id>[^/]+)/expire", "_expire_session",
         "stripe.params.checkout.SessionExpireParams"),
        ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.PaymentIntentRetrieveParams"),
        ("GET", r"/v1/charges/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.ChargeRetrieveParams"),
        ("GET", r"/v1/refunds", "_list_refunds", "stripe.params.RefundListParams"),
        ("GET", r"/v1/refunds/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.RefundRetrieveParams"),
        ("GET", r"/v1/disputes", "_list_disputes", "stripe.params.DisputeListParams"),
        ("GET", r"/v1/disputes/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.DisputeRetrieveParams"),
        ("GET", r"/v1/invoices", "_list_invoices", "stripe.params.InvoiceListParams"),
        ("GET", r"/v1/invoices/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.InvoiceRetrieveParams"),
        ("GET", r"/v1/invoice_payments", "_list_invoice_payments",
         "stripe.params.InvoicePaymentListParams"),
        ("GET", r"/v1/balance_transactions/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.BalanceTransactionRetrieveParams"),
        ("GET", r"/v1/balance_transactions", "_list_balance_transactions",
         "stripe.params.BalanceTransactionListParams"),
        ("GET", r"/v1/payouts", "_list_payouts", "stripe.params.PayoutListParams"),
        ("GET", r"/v1/payouts/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.PayoutRetrieveParams"),
        ("GET", r"/v1/subscriptions/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.SubscriptionRetrieveParams"),
        ("POST", r"/v1/subscriptions/(?P<id>[^/]+)", "_update_subscription",
         "stripe.params.SubscriptionUpdateParams"),
        ("DELETE", r"/v1/subscriptions/(?P<id>[^/]+)", "_cancel_subscription",
         "stripe.params.SubscriptionCancelParams"),
        ("GET", r"/v1/customers/(?P<id>[^/]+)", "_retrieve",
         "stripe.params.CustomerRetrieveParams"),
        ("POST", r"/v1/customers/(?P<id>[^/]+)", "_update_customer",
         "stripe.params.CustomerUpdateParams"),
        ("DELETE", r"/v1/customers/(?P<id>[^/]+)", "_delete_customer",
         "stripe.params.CustomerDeleteParams"),
        ("POST", r"/v1/billing_portal/sessions", "_create_portal_session",
         "stripe.params.billing_portal.SessionCreateParams"),
    ]  # fmt: skip
    KINDS = {
        "checkout/sessions": "checkout.session",
        "payment_intents": "payment_intent",
        "charges": "charge",
        "refunds": "refund",
        "disputes": "dispute",
        "invoices": "invoice",
        "balance_transactions": "balance_transaction",
        "subscriptions": "subscription",
        "customers": "customer",
        "payouts": "payout",
    }

    def route_of(self, request: Request) -> tuple[str, str] | None:
        """(pattern, params class) of the endpoint this request reaches."""
        for method, pattern, _, params_class in self.ROUTES:
            if method == request.method and re.fullmatch(pattern, request.path):
                return pattern, params_class
        return None

    def call_of(self, request: Request) -> rules.Call:
        """The request as Stripe's rules read it."""
        route = self.route_of(request)
        if route is None:
            return rules.Call(
                request.method, request.path, request.params, request.headers
            )
        pattern, params_class = route
        # "/v1/checkout/sessions/(?P<id>[^/]+)/expire" → checkout.session
        resource = re.sub(r"/\(\?P<id>.*$", "", pattern).removeprefix("/v1/")
        return rules.Call(
            request.method,
            request.path,
            request.params,
            request.headers,
            params_class=_params_class(params_class),
            object_name=resource.replace("/", ".").removesuffix("s"),
            listing=request.method == "GET" and "(?P<id>" not in pattern,
        )

    def refusal_of(self, request: Request) -> dict[str, Any] | None:
        """Stripe's error for this request if one of its rules refuses it (an
        unknown parameter among them); None if none does. Changes nothing."""
        route = self.route_of(request)
        if route is None:
            return {"message": f"Unrecognized request URL ({request.path})"}
        cls = _params_class(route[1])
        try:
            check_params(request.params, (cls,) if cls else ())
            rules.check(self.call_of(request))
        except RequestRefused as refused:
            return refused.body["error"]
        except rules.Refused as refusal:
            return refusal.error
        return None

    def _route(self, request: Request) -> Any:
        for method, pattern, handler, params_class in self.ROUTES:
            match = re.fullmatch(pattern, request.path)
            if match and method == request.method:
                cls = _params_class(params_class)
                check_params(request.params, (cls,) if cls else ())
                try:
                    rules.check(self.call_of(request))
                except rules.Refused as refusal:
                    raise RequestRefused(refusal) from None
                kind = next(
                    (k for path, k in self.KINDS.items() if f"/v1/{path}/" in pattern),
                    None,
                )
                return getattr(self, handler)(request, kind=kind, **match.groupdict())
        raise StripeError(
            404,
            "invalid_request_error",
            f"Unrecognized request URL ({request.method}: {request.path}).",
        )

    def _lookup(self, kind: str | None, object_id: str) -> dict[str, Any]:
        obj = self.objects.get(object_id)
        if obj is None or (kind and obj.get("object") != kind):
            raise _missing(kind or "object", object_id)
        return obj

    def _expand(self, request: Request) -> list[str]:
        return list(request.params.get("expand") or [])

    def _retrieve(self, request: Request, *, kind, id):
        obj = self._lookup(kind, id)
        if obj.get("deleted"):
            return {"id": id, "object": obj["object"], "deleted": True}
        return self.render(obj, self._expand(request))

    def _create_session(self, request: Request, *, kind, **_):
        session = self.create_checkout_session(request.params)
        return self.render(session, self._expand(request))

    def _expire_session(self, request: Request, *, kind, id):
        return self.render(self.expire_checkout(self._lookup(kind, id)["id"]))

    def _list(self, request: Request, objects: list[dict[str, Any]], url: str):
        params = request.params
        created = params.get("created")
        if isinstance(created, dict):
            for op, test in (
                ("gte", lambda a, b: a >= b),
                ("gt", lambda a, b: a > b),
                ("lte", lambda a, b: a <= b),
                ("lt", lambda a, b: a < b),
            ):
                if op in created:
                    objects = [
                        o for o in objects if test(o["created"], int(created[op]))
                    ]
        elif created is not None:
            objects = [o for o in objects if o["created"] == int(created)]
        objects = sorted(objects, key=lambda o: (o["created"], o["id"]), reverse=True)
        if params.get("starting_after"):
            ids = [o["id"] for o in objects]
            objects = objects[ids.index(params["starting_after"]) + 1 :]
        limit = int(params.get("limit") or 10)
        page = objects[:limit]
        expand = [p.removeprefix("data.") for p in self._expand(request)]
        return {
            "object": "list",
            "url": url,
            "has_more": len(objects) > limit,
            "data": [self.render(o, expand) for o in page],
        }

    def _list_sessions(self, request: Request, **_):
        objects = self.of_kind("checkout.session")
        if request.params.get("status"):
            objects = [o for o in objects if o["status"] == request.params["status"]]
        return self._list(request, objects, "/v1/checkout/sessions")

    def _list_refunds(self, request: Request, **_):
        objects = self.of_kind("refund")
        if request.params.get("charge"):
            objects = [o for o in objects if o["charge"] == request.params["charge"]]
        return self._list(request, objects, "/v1/refunds")

    def _list_disputes(self, request: Request, **_):
        objects = self.of_kind("dispute")
        for name in ("charge", "payment_intent"):
            if request.params.get(name):
                objects = [o for o in objects if o[name] == request.params[name]]
        return self._list(request, objects, "/v1/disputes")

    def _list_invoices(self, request: Request, **_):
        objects = self.of_kind("invoice")
        for name in ("status", "subscription", "customer"):
            wanted = request.params.get(name)
            if wanted and name == "subscription":
                objects = [
                    o
                    for o in objects
                    if o["parent"]["subscription_details"]["subscription"] == wanted
                ]
            elif wanted:
                objects = [o for o in objects if o[name] == wanted]
        return self._list(request, objects, "/v1/invoices")

    def _list_invoice_payments(self, request: Request, **_):
        objects = self.of_kind("invoice_payment")
        payment = request.params.get("payment") or {}
        if payment.get("payment_intent"):
            objects = [
                o
                for o in objects
                if o["payment"].get("payment_intent") == payment["payment_intent"]
            ]
        if request.params.get("invoice"):
            objects = [o for o in objects if o["invoice"] == request.params["invoice"]]
        if request.params.get("status"):
            objects = [o for o in objects if o["status"] == request.params["status"]]
        return self._list(request, objects, "/v1/invoice_payments")

    def _list_balance_transactions(self, request: Request, **_):
        params = request.params
        objects = self.of_kind("balance_transaction")
        if params.get("payout"):
            payout = self._lookup("payout", params["payout"])
            if not payout["automatic"]:
                raise StripeError(
                    400,
                    "invalid_request_error",
                    "Balance transaction history can only be filtered on automatic "
                    "transfers, not manual.",
                    param="payout",
                )
            objects = [o for o in objects if self.paid_out.get(o["id"]) == payout["id"]]
        for name in ("type", "currency", "source"):
            if params.get(name):
                objects = [o for o in objects if o.get(name) == params[name]]
        return self._list(request, objects, "/v1/balance_transactions")

    def _list_payouts(self, request: Request, **_):
        params = request.params
        objects = self.of_kind("payout")
        for name in ("status", "destination"):
            if params.get(name):
                objects = [o for o in objects if o[name] == params[name]]
        arrival = params.get("arrival_date")
        if isinstance(arrival, dict):
            for op, test in (
                ("gte", lambda a, b: a >= b),
                ("gt", lambda a, b: a > b),
                ("lte", lambda a, b: a <= b),
                ("lt", lambda a, b: a < b),
            ):
                if op in arrival:
                    objects = [
                        o for o in objects if test(o["arrival_date"], int(arrival[op]))
                    ]
        elif arrival is not None:
            objects = [o for o in objects if o["arrival_date"] == int(arrival)]
        return self._list(request, objects, "/v1/payouts")

    def _update_subscription(self, request: Request, *, kind, id):
        subscription = self._lookup(kind, id)
        if subscription["status"] == "canceled":
            raise StripeError(
                400,
                "invalid_request_error",
                "A canceled subscription can only update its cancellation_details "
                "and metadata.",
            )
        params = request.params
        if "metadata" in params:
            subscription["metadata"].update(params["metadata"] or {})
        if "cancel_at_period_end" in params:
            at_end = params["cancel_at_period_end"] == "true"
            period_end = subscription["items"]["data"][0]["current_period_end"]
            subscription.update(
                cancel_at_period_end=at_end,
                cancel_at=period_end if at_end else None,
                canceled_at=self.tick() if at_end else None,
            )
        for change in params.get("items") or []:
            item = next(
                (
                    i
                    for i in subscription["items"]["data"]
                    if i["id"] == change.get("id")
                ),
                subscription["items"]["data"][0],
            )
            price = change.get("price_data")
            if price:
                item["price"] = self._price(
                    int(price["unit_amount"]), price["currency"], "Donation"
                )
            if change.get("quantity"):
                item["quantity"] = int(change["quantity"])
        return self.render(subscription, self._expand(request))

    def _cancel_subscription(self, request: Request, *, kind, id):
        subscription = self._lookup(kind, id)
        if subscription["status"] == "canceled":
            raise StripeError(
                404,
                "invalid_request_error",
                f"No such subscription: '{id}'",
                code="resource_missing",
            )
        return self.render(self.cancel_subscription(id), self._expand(request))

    def _update_customer(self, request: Request, *, kind, id):
        customer = self._lookup(kind, id)
        if customer.get("deleted"):
            raise _missing("customer", id)
        for name, value in request.params.items():
            if name == "metadata":
                customer["metadata"].update(value or {})
            elif name != "expand":
                customer[name] = value or None
        return self.render(customer, self._expand(request))

    def _delete_customer(self, request: Request, *, kind, id):
        customer = self._lookup(kind, id)
        if customer.get("deleted"):
            raise _missing("customer", id)
        customer["deleted"] = True
        for subscription in self.of_kind("subscription"):
            if subscription["customer"] == id and subscription["status"] != "canceled":
                self.cancel_subscription(subscription["id"])
        return {"id": id, "object": "customer", "deleted": True}

    def _create_portal_session(self, request: Request, **_):
        customer = self.objects.get(request.params.get("customer") or "")
        if customer is None or customer.get("deleted"):
            raise _missing("customer", request.params.get("customer") or "")
        portal = self.add(
            "billing_portal.session",
            customer=customer["id"],
            return_url=request.params.get("return_url"),
            locale=request.params.get("locale"),
            flow=None,
            configuration=request.params.get("configuration") or "bpc_fake_default",
        )
        portal["url"] = f"https://billing.stripe.com/p/session/{portal['id']}"
        return self.render(portal)


class FakeHTTPClient(stripe.HTTPClient):
    """stripe-python's transport, answered by a FakeStripe world."""

    name = "fake"

    def __init__(self, world: FakeStripe):
        super().__init__()
        self.world = world

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        return self.world.handle(method, url, dict(headers or {}), post_data)

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        body, status, response_headers = self.request(method, url, headers, post_data)
        return io.BytesIO(body.encode()), status, response_headers

    def close(self):
        pass


# --- Webhooks ----------------------------------------------------------------------


def signed_event(
    world: FakeStripe,
    type: str,
    obj: str | dict,
    *,
    secret: str = WEBHOOK_SECRET,
    event_id: str | None = None,
    created: int | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, str]:
    """The body and Stripe-Signature header Stripe would POST for this event.
    `timestamp` (default: now) is the signing time, checked against the tolerance."""
    envelope = world.event(type, obj, event_id=event_id, created=created)
    payload = json.dumps(envelope)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=timestamp
    )
    return payload.encode(), header


# --- Fixtures ------------------------------------------------------------------------


def _configure(settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""


@pytest.fixture(name="stripe_settings")
def stripe_settings_fixture(settings):
    """Stripe keys set (no world: for tests that never call Stripe's API)."""
    _configure(settings)
    return settings


@pytest.fixture(name="fake_stripe")
def fake_stripe_fixture(settings, monkeypatch):
    """A fresh Stripe world that `donations.stripe.client.client()` talks to."""
    from donations.stripe import client as stripe_api

    _configure(settings)
    world = FakeStripe()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", world.http_client())
    # stripe-python logs every request at INFO; `world.requests` has them all.
    logger = logging.getLogger("stripe")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield world
    logger.setLevel(level)


@pytest.fixture(name="manage_links")
def manage_links_fixture(monkeypatch):
    """Receipts link to the donor's manage page; until that page exists, a stub."""
    from django.urls import NoReverseMatch, reverse

    from donations.donors import receipts

    try:
        reverse("donations:manage", kwargs={"token": "x"})
    except NoReverseMatch:
        monkeypatch.setattr(
            receipts,
            "manage_url",
            lambda email, language: f"http://testserver/{language}/donate/manage/",
        )


# Import these into a test module to use the fixtures there, e.g.
#   from tests.fake_stripe import fake_stripe_fixture  # noqa: F401
# (the *_fixture names keep ruff from seeing a test's argument shadow an import).
fake_stripe = fake_stripe_fixture
stripe_settings = stripe_settings_fixture
manage_links = manage_links_fixture


# --- Donations through the real code --------------------------------------------------


def start_donation(
    *,
    frequency: str = "one_off",
    amount: int = 1500,
    currency: str = "EUR",
    designation: str = "general",
    subject_key: uuid.UUID | None = None,
    cover_fees: bool = False,
    language: str = "en",
):
    """A gift recorded and sent to Checkout, as the donate form does."""
    from donations.giving.services import checkout_session_create, donation_create

    donation = donation_create(
        frequency=frequency,
        currency=currency,
        amount=amount,
        designation=designation,
        subject_key=subject_key,
        cover_fees=cover_fees,
        show_name=False,
        public_name="",
        language=language,
    )
    checkout_session_create(
        donation=donation,
        success_url="http://testserver/en/donate/thanks/",
        cancel_url="http://testserver/en/donate/",
    )
    donation.refresh_from_db()
    return donation


def receive(world: FakeStripe, type: str, obj: str | dict, **kwargs):
    """Stripe delivers an event: verified and stored (not yet processed)."""
    from donations.stripe.webhook import webhook_receive

    payload, header = signed_event(world, type, obj, **kwargs)
    return webhook_receive(payload=payload, signature_header=header)


def process_waiting(*, rounds: int = 20) -> list:
    """Process every stored event, again and again (as the retries and the periodic
    task do) until none is left waiting. Returns the events still waiting."""
    from donations.models import StripeEvent
    from donations.stripe.events import event_process

    waiting: list = []
    for _ in range(rounds):
        waiting = list(
            StripeEvent.objects.filter(status=StripeEvent.Status.RECEIVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not waiting:
            break
        for pk in waiting:
            try:
                event_process(event_pk=pk)
            except Exception:  # recorded on the event; retried in the next round
                pass
    return list(StripeEvent.objects.filter(status=StripeEvent.Status.RECEIVED))


def unbalanced_transactions() -> list:
    """Ledger transactions whose legs do not sum to zero (there must be none)."""
    from django.db.models import Sum

    from donations.models import LedgerTransaction

    return list(
        LedgerTransaction.objects.annotate(total=Sum("legs__amount"))
        .exclude(total=0)
        .values_list("cause_key", "total")
    )


def fee_code(prefix: str, fund: str) -> str:
    """The code of the fee account a fund bears ("fees:case:<key>"; the general
    fund's is plain "fees"), from the fund's code ("fund:case:<key>")."""
    return prefix if fund == "fund:general" else prefix + fund.removeprefix("fund")


def balances() -> dict[str, int]:
    """Every ledger account's balance (debits positive), by code."""
    from django.db.models import Sum

    from donations.models import Account

    return {
        code: total or 0
        for code, total in Account.objects.annotate(total=Sum("legs__amount"))
        .values_list("code", "total")
        .order_by("code")
    }
