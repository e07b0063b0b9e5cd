"""The fake Stripe refuses what Stripe refuses, rule by rule, and accepts the
boundary case of each rule: every request goes through the real stripe-python
client, so each test sees the `stripe.InvalidRequestError` an application would.
The rules themselves are in tests/fake_stripe_rules.py, with the page of Stripe's
reference each comes from."""

import pytest
import stripe
from stripe.params.checkout import SessionCreateParams

from donations.stripe.client import client
from tests import fake_stripe_rules as rules
from tests.fake_stripe import FakeStripe, Request, fake_stripe_fixture  # noqa: F401

SIX_LEVELS = "payments.data.payment.payment_intent.latest_charge.balance_transaction"


@pytest.fixture
def api(fake_stripe):
    return client().v1


def refused(request, *args, **kwargs) -> stripe.InvalidRequestError:
    """The error stripe-python raises when the fake refuses `request(...)`."""
    with pytest.raises(stripe.InvalidRequestError) as caught:
        request(*args, **kwargs)
    error = caught.value
    assert error.http_status == 400
    assert error.error.type == "invalid_request_error"
    return error


def paid_month(world: FakeStripe) -> dict:
    subscription = world.start_subscription(amount=1000)
    return world.pay_invoice(subscription["id"])


def checkout(mode: str = "payment", *, recurring: bool | None = None, **changes):
    """Checkout Session params as the donate form sends them (None drops one)."""
    recurring = mode == "subscription" if recurring is None else recurring
    price: dict = {
        "currency": "eur",
        "unit_amount": 1500,
        "product_data": {"name": "Donation"},
    }
    if recurring:
        price["recurring"] = {"interval": "month"}
    params: dict = {
        "mode": mode,
        "line_items": [{"price_data": price, "quantity": 1}],
        "success_url": "http://testserver/en/donate/thanks/",
        "cancel_url": "http://testserver/en/donate/",
    }
    params.update(changes)
    return {name: value for name, value in params.items() if value is not None}


# --- Expand: at most four levels ---------------------------------------------------


def test_expanding_six_levels_of_an_invoice_is_refused_as_stripe_refuses_it(
    fake_stripe, api
):
    invoice = paid_month(fake_stripe)

    error = refused(
        api.invoices.retrieve, invoice["id"], params={"expand": [SIX_LEVELS]}
    )

    assert error.error.message == (
        f"You cannot expand more than 4 levels of a property. Property: {SIX_LEVELS}"
    )
    assert error.param == "expand[0]"


def test_expanding_exactly_four_levels_of_an_invoice_is_answered_in_full(
    fake_stripe, api
):
    invoice = paid_month(fake_stripe)

    answer = api.invoices.retrieve(
        invoice["id"], params={"expand": ["payments.data.payment.payment_intent"]}
    )

    intent = answer["payments"]["data"][0]["payment"]["payment_intent"]
    assert intent["object"] == "payment_intent"


def test_a_lists_data_counts_as_a_level_when_expanding(fake_stripe, api):
    paid_month(fake_stripe)
    five = "data.payment.payment_intent.latest_charge.balance_transaction"

    error = refused(api.invoice_payments.list, params={"expand": [five]})

    assert error.error.message.startswith("You cannot expand more than 4 levels")
    listed = api.invoice_payments.list(
        params={"expand": ["data.payment.payment_intent.latest_charge"]}
    )
    charge = listed.data[0]["payment"]["payment_intent"]["latest_charge"]
    assert charge["object"] == "charge"


# --- Expand: only expandable and includable fields ----------------------------------


def test_expanding_a_field_that_is_not_expandable_is_refused(fake_stripe, api):
    invoice = paid_month(fake_stripe)

    error = refused(api.invoices.retrieve, invoice["id"], params={"expand": ["number"]})

    assert error.error.message == "This property cannot be expanded (number)."
    assert error.param == "expand[0]"


def test_an_expand_path_is_walked_through_the_types_it_passes(fake_stripe, api):
    invoice = paid_month(fake_stripe)
    # invoice.payments → invoice_payment.payment → payment_intent: `amount` is a
    # number there, not an object.
    path = "payments.data.payment.amount"

    error = refused(api.invoices.retrieve, invoice["id"], params={"expand": [path]})

    assert error.error.message == f"This property cannot be expanded ({path})."


def test_a_list_is_expanded_through_its_data_only(fake_stripe, api):
    fake_stripe.add_balance_transaction(type="topup", amount=10000)
    fake_stripe.create_payout()

    error = refused(api.payouts.list, params={"expand": ["balance_transaction"]})

    assert error.error.message == (
        "This property cannot be expanded (balance_transaction)."
    )
    listed = api.payouts.list(params={"expand": ["data.balance_transaction"]})
    assert listed.data[0]["balance_transaction"]["object"] == "balance_transaction"


def test_an_includable_field_can_be_asked_for_and_is_left_out_otherwise(
    fake_stripe, api
):
    invoice = paid_month(fake_stripe)

    plain = api.invoices.retrieve(invoice["id"])
    included = api.invoices.retrieve(invoice["id"], params={"expand": ["payments"]})

    assert "payments" not in plain
    assert included["payments"]["data"][0]["object"] == "invoice_payment"


# --- Limits on lists ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (0, "This value must be greater than or equal to 1."),
        (101, "This value must be less than or equal to 100."),
    ],
)
def test_a_list_limit_outside_1_to_100_is_refused(fake_stripe, api, limit, message):
    error = refused(api.payouts.list, params={"limit": limit})

    assert (error.code, error.param) == ("parameter_invalid_integer", "limit")
    assert error.error.message == message


@pytest.mark.parametrize("limit", [1, 100])
def test_a_list_limit_of_1_or_100_is_accepted(fake_stripe, api, limit):
    assert api.payouts.list(params={"limit": limit}).data == []


# --- Metadata -----------------------------------------------------------------------


@pytest.fixture
def customer(fake_stripe):
    return fake_stripe.create_customer(email="donor@example.org", name="A Donor")


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (
            {f"k{i}": "v" for i in range(51)},
            "Metadata can have up to 50 keys, but you've set 51. Email us at "
            "support+metadata@stripe.com for more information.",
        ),
        (
            {"k" * 41: "v"},
            f"Invalid key: {'k' * 41} must be a string under 40 characters",
        ),
        (
            {"k": "v" * 501},
            f"Invalid val: {'v' * 501} must be a string under 500 characters",
        ),
        (
            {"gift[1]": "v"},
            "Invalid key: gift[1] can't contain square brackets ([ or ]).",
        ),
    ],
    ids=["51 keys", "a 41-character key", "a 501-character value", "brackets"],
)
def test_metadata_beyond_stripes_limits_is_refused(
    fake_stripe, api, customer, metadata, message
):
    error = refused(api.customers.update, customer["id"], params={"metadata": metadata})

    assert error.error.message == message
    assert error.param == "metadata"


def test_nested_metadata_beyond_the_limits_is_refused_with_its_own_name(
    fake_stripe, api
):
    params = checkout("subscription", subscription_data={"metadata": {"k" * 41: "v"}})

    error = refused(api.checkout.sessions.create, params=params)

    assert error.param == "subscription_data[metadata]"


def test_metadata_at_stripes_limits_is_accepted(fake_stripe, api, customer):
    metadata = {f"{i:02d}" + "k" * 38: "v" * 500 for i in range(50)}

    answer = api.customers.update(customer["id"], params={"metadata": metadata})

    assert len(answer.to_dict()["metadata"]) == 50


# --- Idempotency keys ---------------------------------------------------------------


def test_an_idempotency_key_reused_with_other_parameters_is_refused(fake_stripe, api):
    api.checkout.sessions.create(
        params=checkout(), options={"idempotency_key": "checkout-gift-1"}
    )

    with pytest.raises(stripe.IdempotencyError) as caught:
        api.checkout.sessions.create(
            params=checkout(client_reference_id="another gift"),
            options={"idempotency_key": "checkout-gift-1"},
        )

    assert caught.value.http_status == 400
    assert caught.value.error.type == "idempotency_error"
    assert "can only be used with the same parameters" in caught.value.error.message
    assert len(fake_stripe.of_kind("checkout.session")) == 1


def test_an_idempotency_key_reused_with_the_same_parameters_answers_the_same(
    fake_stripe, api
):
    options = {"idempotency_key": "checkout-gift-1"}
    first = api.checkout.sessions.create(params=checkout(), options=options)
    again = api.checkout.sessions.create(params=checkout(), options=options)

    assert again["id"] == first["id"]
    assert len(fake_stripe.of_kind("checkout.session")) == 1


def test_an_idempotency_key_longer_than_255_characters_is_refused(fake_stripe, api):
    error = refused(
        api.checkout.sessions.create,
        params=checkout(),
        options={"idempotency_key": "k" * 256},
    )

    assert error.error.message.startswith(
        "Idempotent key length is 256, which is outside accepted lengths."
    )
    assert fake_stripe.of_kind("checkout.session") == []


def test_an_idempotency_key_of_255_characters_is_accepted(fake_stripe, api):
    session = api.checkout.sessions.create(
        params=checkout(), options={"idempotency_key": "k" * 255}
    )
    assert session["object"] == "checkout.session"


def test_a_refused_request_saves_nothing_under_its_idempotency_key(fake_stripe, api):
    # Stripe saves no answer for parameters that fail validation: the corrected
    # request with the same key goes through.
    options = {"idempotency_key": "checkout-gift-1"}
    refused(
        api.checkout.sessions.create,
        params=checkout(customer_email="donor@example.org", customer="cus_1"),
        options=options,
    )

    session = api.checkout.sessions.create(params=checkout(), options=options)

    assert session["object"] == "checkout.session"


# --- Checkout Session modes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message", "param"),
    [
        (
            checkout("payment", subscription_data={"metadata": {"a": "b"}}),
            "You can not pass `subscription_data` in `payment` mode.",
            "subscription_data",
        ),
        (
            checkout("subscription", payment_intent_data={"metadata": {"a": "b"}}),
            "You can not pass `payment_intent_data` in `subscription` mode.",
            "payment_intent_data",
        ),
        (
            checkout("subscription", customer_creation="always"),
            "You can not pass `customer_creation` in `subscription` mode.",
            "customer_creation",
        ),
        (
            checkout("subscription", invoice_creation={"enabled": True}),
            "You can not pass `invoice_creation` in `subscription` mode.",
            "invoice_creation",
        ),
        (
            checkout("setup", submit_type="donate", line_items=None, currency="eur"),
            "You can not pass `submit_type` in `setup` mode.",
            "submit_type",
        ),
        (
            checkout("setup", currency="eur"),
            "You can not pass `line_items` in `setup` mode.",
            "line_items",
        ),
        (
            checkout("payment", line_items=None),
            "Missing required param: line_items.",
            "line_items",
        ),
        (
            checkout("subscription", line_items=None),
            "Missing required param: line_items.",
            "line_items",
        ),
        (
            checkout("payment", recurring=True),
            "You specified `payment` mode but passed a recurring price. Either "
            "switch to `subscription` mode or use only one-time prices.",
            "line_items[0]",
        ),
        (
            checkout("subscription", recurring=False),
            "You must provide at least one recurring price in `subscription` mode "
            "when using prices.",
            "line_items",
        ),
        (checkout(mode=None), "Missing required param: mode.", "mode"),
    ],
    ids=[
        "subscription_data in payment mode",
        "payment_intent_data in subscription mode",
        "customer_creation in subscription mode",
        "invoice_creation in subscription mode",
        "submit_type in setup mode",
        "line_items in setup mode",
        "no line_items in payment mode",
        "no line_items in subscription mode",
        "a recurring price in payment mode",
        "no recurring price in subscription mode",
        "no mode",
    ],
)
def test_a_checkout_session_with_what_its_mode_forbids_or_lacks_is_refused(
    fake_stripe, api, params, message, param
):
    error = refused(api.checkout.sessions.create, params=params)

    assert error.error.message == message
    assert error.param == param
    assert fake_stripe.of_kind("checkout.session") == []


@pytest.mark.parametrize(
    "params",
    [
        checkout(
            "payment",
            submit_type="donate",
            payment_intent_data={"metadata": {"donation": "1"}},
            customer_creation="always",
            invoice_creation={"enabled": True},
        ),
        checkout(
            "subscription",
            subscription_data={"metadata": {"donation": "1"}},
            # 16.1's reference: "in `payment` or `subscription` mode".
            submit_type="subscribe",
        ),
        checkout("setup", line_items=None, currency="eur"),
    ],
    ids=["payment", "subscription", "setup"],
)
def test_a_checkout_session_with_what_its_mode_allows_is_created(
    fake_stripe, api, params
):
    session = api.checkout.sessions.create(params=params)
    assert session["mode"] == params["mode"]


def test_the_mode_rules_read_from_stripe_python_are_the_documented_ones():
    # Derived from docstrings: if a new stripe-python words them differently, the
    # derivation must be looked at, not silently lose a rule.
    modes = {
        name: (sorted(allowed), sorted(required))
        for name, (allowed, required) in rules.checkout_modes(
            SessionCreateParams
        ).items()
    }
    assert modes["subscription_data"] == (["subscription"], [])
    assert modes["payment_intent_data"] == (["payment"], [])
    assert modes["setup_intent_data"] == (["setup"], [])
    assert modes["customer_creation"] == (["payment", "setup"], [])
    assert modes["payment_method_collection"] == (["subscription"], [])
    assert modes["submit_type"] == (["payment", "subscription"], [])
    assert modes["invoice_creation"] == (["payment"], [])
    assert modes["line_items"] == (
        ["payment", "subscription"],
        ["payment", "subscription"],
    )


# --- Integer amounts and the least a checkout may charge ----------------------------


def test_an_amount_that_is_not_an_integer_is_refused(fake_stripe, api):
    params = checkout()
    params["line_items"][0]["price_data"]["unit_amount"] = 5.5

    error = refused(api.checkout.sessions.create, params=params)

    assert error.error.message == "Invalid integer: 5.5"
    assert error.code == "parameter_invalid_integer"
    assert error.param == "line_items[0][price_data][unit_amount]"


def with_amount(amount: int, currency: str, mode: str = "payment") -> dict:
    params = checkout(mode)
    params["line_items"][0]["price_data"].update(unit_amount=amount, currency=currency)
    return params


@pytest.mark.parametrize(
    ("currency", "minimum", "shown"),
    [
        ("eur", 50, "0.50"),
        ("usd", 50, "0.50"),
        ("gbp", 30, "0.30"),
        ("pln", 200, "2.00"),
    ],
)
@pytest.mark.parametrize("mode", ["payment", "subscription"])
def test_a_checkout_below_the_currencys_minimum_charge_is_refused(
    fake_stripe, api, currency, minimum, shown, mode
):
    error = refused(
        api.checkout.sessions.create, params=with_amount(minimum - 1, currency, mode)
    )

    assert error.code == "amount_too_small"
    assert error.error.message == (
        "The Checkout Session's total amount due must add up to at least "
        f"{shown} {currency}"
    )


@pytest.mark.parametrize(
    ("currency", "minimum"), [("eur", 50), ("usd", 50), ("gbp", 30), ("pln", 200)]
)
def test_a_checkout_of_exactly_the_minimum_charge_is_accepted(
    fake_stripe, api, currency, minimum
):
    session = api.checkout.sessions.create(params=with_amount(minimum, currency))
    assert session["amount_total"] == minimum


# --- Parameters that exclude each other ---------------------------------------------


def test_customer_and_customer_email_together_are_refused(fake_stripe, api, customer):
    params = checkout(customer=customer["id"], customer_email="donor@example.org")

    error = refused(api.checkout.sessions.create, params=params)

    assert error.error.message == (
        "You may only specify one of these parameters: customer, customer_email."
    )
    assert error.code == "parameters_exclusive"


@pytest.mark.parametrize("which", ["customer", "customer_email"])
def test_customer_or_customer_email_alone_is_accepted(
    fake_stripe, api, customer, which
):
    value = customer["id"] if which == "customer" else "donor@example.org"
    session = api.checkout.sessions.create(params=checkout(**{which: value}))
    assert session[which] == value


def test_a_line_item_with_both_a_price_and_price_data_is_refused(fake_stripe, api):
    params = checkout()
    params["line_items"][0]["price"] = "price_123"

    error = refused(api.checkout.sessions.create, params=params)

    assert error.error.message == (
        "You may only specify one of these parameters: price, price_data."
    )
    assert error.param == "line_items[0][price_data]"


def test_a_line_item_with_neither_a_price_nor_price_data_is_refused(fake_stripe, api):
    params = checkout(line_items=[{"quantity": 1}])

    error = refused(api.checkout.sessions.create, params=params)

    assert error.code == "parameter_missing"
    assert error.param == "line_items[0][price]"


def test_starting_after_and_ending_before_together_are_refused(fake_stripe, api):
    error = refused(
        api.payouts.list, params={"starting_after": "po_1", "ending_before": "po_2"}
    )
    assert error.code == "parameters_exclusive"
    assert error.param == "ending_before"


# --- Empty strings ------------------------------------------------------------------


def test_an_empty_string_for_a_field_that_cannot_be_unset_is_refused(
    fake_stripe, api, customer
):
    error = refused(api.customers.update, customer["id"], params={"name": ""})

    assert error.code == "parameter_invalid_empty"
    assert error.param == "name"
    assert error.error.message == (
        "You passed an empty string for 'name'. We assume empty values are an "
        "attempt to unset a parameter; however 'name' cannot be unset. You should "
        "remove 'name' from your request or supply a non-empty value."
    )
    assert fake_stripe.get(customer["id"])["name"] == "A Donor"


def test_an_empty_string_for_an_emptyable_field_unsets_it(fake_stripe, api, customer):
    # stripe-python types address, shipping and metadata `Literal['']`.
    answer = api.customers.update(
        customer["id"], params={"address": "", "shipping": "", "metadata": ""}
    )
    assert answer["address"] is None


def test_an_empty_metadata_value_unsets_that_key(fake_stripe, api, customer):
    answer = api.customers.update(customer["id"], params={"metadata": {"gift": ""}})
    assert answer["object"] == "customer"


# --- Unknown parameters --------------------------------------------------------------


def test_an_unknown_parameter_is_refused(fake_stripe, api):
    error = refused(api.payouts.list, params={"limt": 10})

    assert error.error.message == "Received unknown parameter: limt"
    assert (error.code, error.param) == ("parameter_unknown", "limt")


def test_known_parameters_are_accepted(fake_stripe, api):
    assert api.payouts.list(params={"limit": 10, "status": "paid"}).data == []


# --- Every endpoint the fake serves is checked -------------------------------------


@pytest.mark.parametrize(
    "route", FakeStripe.ROUTES, ids=[f"{r[0]} {r[1]}" for r in FakeStripe.ROUTES]
)
def test_every_endpoint_has_typed_params_and_an_answer_type_for_the_rules(route):
    method, pattern, _, _ = route
    path = pattern.replace("(?P<id>[^/]+)", "x_1")
    call = FakeStripe().call_of(Request(method, path, {}, {}))

    assert call.params_class is not None, "no typed params: nothing is checked"
    assert rules.object_class(call.object_name) is not None, call.object_name
