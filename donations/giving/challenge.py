"""A defence against card testing, with no third party involved.

Card testers use donation forms to try stolen card numbers: they start many checkout
sessions and pay few of them. When most sessions of the last hour that have reached
a verdict went unpaid, the form asks the browser for a small proof of work: an
ALTCHA challenge (the `altcha` library here, ALTCHA's widget vendored in
static/vendor/altcha/ in the browser), signed with our key so it needs no storage,
checked once before Stripe is called.
"""

import datetime
import secrets
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from donations.models import Donation

SALT = "donations.giving.challenge"
STATS_KEY = "donations:checkout-health"
USED_KEY = "donations:challenge-used:"
# A payload is a challenge and its answer, a few hundred characters; anything much
# longer is not one of ours and is not worth decoding.
PAYLOAD_MAX_LENGTH = 4000

# A verdict on a checkout session. One still open (created, at checkout) is not
# one yet: a donor may be typing their card number, and a monthly gift's first
# payment may still be on its way.
UNPAID = (Donation.Status.EXPIRED, Donation.Status.FAILED)
SETTLED = (
    Donation.Status.PAID,
    Donation.Status.PROCESSING,
    Donation.Status.REFUNDED,
    Donation.Status.PARTIALLY_REFUNDED,
    Donation.Status.DISPUTED,
)


def _config() -> dict:
    return settings.DONATION_CHALLENGE


def _hmac_key() -> str:
    """ALTCHA_HMAC_KEY, or one derived from SECRET_KEY so that a first run needs
    nothing (and a new SECRET_KEY makes the challenges already issued worthless)."""
    return settings.ALTCHA_HMAC_KEY or salted_hmac(SALT, "altcha").hexdigest()


def _key_signature_key() -> str:
    # A second key lets the server check an answer by one HMAC instead of
    # repeating the browser's work.
    return salted_hmac(SALT, "altcha-key", secret=_hmac_key()).hexdigest()


def checkout_health() -> tuple[int, int]:
    """(unpaid, all) checkout sessions started within the window that have reached
    a verdict (expired or failed; paid or on their way), cached briefly.

    Monthly renewals (created by Stripe's invoices, not by the form) are left out:
    they would hide an attack behind the regular donors' payments. A monthly gift's
    first payment is the form's own session, and counts like a one-off gift.
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
    """A fresh ALTCHA challenge for one browser, as the widget fetches it.

    Deterministic mode: we pick the counter the browser must find (from the upper
    half of `maxnumber`, so that no challenge is a free pass) and sign the key it
    leads to, so that checking the answer costs one HMAC.
    """
    config = _config()
    maxnumber = max(int(config["maxnumber"]), 2)
    challenge = altcha.create_challenge(
        algorithm=config["algorithm"],
        cost=int(config["cost"]),
        counter=maxnumber // 2 + secrets.randbelow(maxnumber - maxnumber // 2),
        expires_at=int(time.time()) + int(config["max_age"]),
        hmac_secret=_hmac_key(),
        hmac_key_secret=_key_signature_key(),
    )
    return challenge.to_dict()


def verify(payload: str | None) -> bool:
    """True once for a correct answer to a challenge we issued and that has not
    expired; a forged, tampered, wrong, stale or already used answer is refused."""
    if not payload or len(payload) > PAYLOAD_MAX_LENGTH:
        return False
    try:
        decoded = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(
            decoded,
            _hmac_key(),
            hmac_key_secret=_key_signature_key(),
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False  # not an ALTCHA payload at all (or the widget's test mode)
    if not result.verified or not decoded.challenge.parameters.expires_at:
        return False
    # Each challenge is good for one checkout session. Its nonce is random and
    # signed, so it names the challenge.
    return cache.add(
        f"{USED_KEY}{decoded.challenge.parameters.nonce}",
        1,
        timeout=int(_config()["max_age"]) + 60,
    )


def widget_strings() -> dict[str, str]:
    """What ALTCHA's widget says, in the page's language (it falls back to its own
    English for anything not given here)."""
    return {
        "label": gettext("I'm not a robot"),
        "verify": gettext("Verify"),
        "verifying": gettext("Verifying…"),
        "waitAlert": gettext("Verifying… please wait."),
        "verified": gettext("Verified"),
        "verificationRequired": gettext("Verification required."),
        "error": gettext("Verification failed. Please try again."),
        "expired": gettext("Verification expired. Please try again."),
        "loading": gettext("Loading…"),
        "reload": gettext("Reload"),
        "ariaLinkLabel": gettext("ALTCHA (website)"),
        "footer": "",
    }
