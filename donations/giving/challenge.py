"""A defence against card testing, with no third party involved.

Card testers use donation forms to try stolen card numbers: they start many checkout
sessions and pay few of them. When most sessions of the last hour went unpaid, the
form asks the browser for a small proof of work (ALTCHA-style): the server issues a
random challenge, signed so it needs no storage; the browser finds a nonce such that
sha256(challenge + nonce) starts with `difficulty` zero hex digits
(static/js/pow-challenge.js); the server checks it, once, before calling Stripe.
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from donations.models import Donation

SALT = "donations.giving.challenge"
STATS_KEY = "donations:checkout-health"
USED_KEY = "donations:challenge-used:"
NONCE = re.compile(r"^[0-9]{1,16}$")

UNPAID = (
    Donation.Status.CREATED,
    Donation.Status.CHECKOUT,
    Donation.Status.EXPIRED,
    Donation.Status.FAILED,
)
SETTLED = (
    Donation.Status.PAID,
    Donation.Status.PROCESSING,
    Donation.Status.REFUNDED,
    Donation.Status.PARTIALLY_REFUNDED,
    Donation.Status.DISPUTED,
)


def _config() -> dict:
    return settings.DONATION_CHALLENGE


def checkout_health() -> tuple[int, int]:
    """(unpaid, all) checkout sessions started within the window, cached briefly.

    Monthly renewals (created by Stripe's invoices, not by the form) are left out:
    they would hide an attack behind the regular donors' payments.
    """
    cached = cache.get(STATS_KEY)
    if cached is not None:
        return tuple(cached)
    since = timezone.now() - datetime.timedelta(seconds=_config()["window"])
    counts = (
        Donation.objects.filter(status__in=UNPAID + SETTLED, created_at__gte=since)
        .exclude(checkout_session_id=None, invoice_id__isnull=False)
        .aggregate(total=Count("pk"), unpaid=Count("pk", filter=Q(status__in=UNPAID)))
    )
    result = (counts["unpaid"], counts["total"])
    cache.set(STATS_KEY, result, timeout=_config()["cache_seconds"])
    return result


def required() -> bool:
    config = _config()
    if config["always"]:
        return True
    unpaid, total = checkout_health()
    return total >= config["min_sessions"] and unpaid / total > config["unpaid_share"]


def issue() -> dict:
    """A fresh challenge for one browser: what it must solve, and the signed token
    it sends back with its answer."""
    challenge = secrets.token_hex(16)
    difficulty = _config()["difficulty"]
    token = signing.dumps({"c": challenge, "d": difficulty}, salt=SALT)
    return {"challenge": challenge, "difficulty": difficulty, "token": token}


def solves(challenge: str, nonce: str, difficulty: int) -> bool:
    digest = hashlib.sha256(f"{challenge}{nonce}".encode()).hexdigest()
    return digest.startswith("0" * difficulty)


def verify(token: str, nonce: str) -> bool:
    """True once for a correct answer to a challenge we issued recently; a stale,
    forged, wrong or already used answer is refused."""
    if not token or not nonce or not NONCE.match(nonce):
        return False
    try:
        payload = signing.loads(token, salt=SALT, max_age=_config()["max_age"])
        challenge, difficulty = str(payload["c"]), int(payload["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    if not solves(challenge, nonce, difficulty):
        return False
    # Each challenge is good for one checkout session.
    return cache.add(f"{USED_KEY}{challenge}", 1, timeout=_config()["max_age"])


def solve(challenge: str, difficulty: int) -> str:
    """What the browser does; for tests and for checking the script's answers."""
    nonce = 0
    while not solves(challenge, str(nonce), difficulty):
        nonce += 1
    return str(nonce)
