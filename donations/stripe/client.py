"""The one place that talks to Stripe. Tests replace `HTTP_CLIENT` with a fake that
answers from Stripe's published fixtures; STRIPE_API_BASE points elsewhere (e.g.
stripe-mock) when set."""

import stripe
from django.conf import settings

# Set by tests (and the simulated checkout's tests) to a stripe.HTTPClient.
HTTP_CLIENT: stripe.HTTPClient | None = None


class StripeNotConfigured(RuntimeError):
    pass


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    if not is_configured():
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set")
    base_addresses: stripe._base_address.BaseAddresses = {}
    if settings.STRIPE_API_BASE:
        base_addresses["api"] = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        http_client=HTTP_CLIENT,
        max_network_retries=2,
    )


def plain(obj) -> dict:
    """A Stripe object as plain dicts and lists all the way down: stripe-python's
    objects are not dicts (no `.get`), and our code reads them as data."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return dict(obj or {})
