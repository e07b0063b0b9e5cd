"""What the attention list's templates need, for the admin home's panel and the
Board's dashboard (donations/dashboard/views.py)."""

from django.urls import NoReverseMatch, reverse

from donations.attention import selectors


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def attention_context(request) -> dict:
    """The attention list, and where to act on it: "Process again" for Stripe
    events, the reconciliation's check of a range of days."""
    # Outgoing email is for whoever runs the site (outbox.run_outbox), not the Board
    # as such: only they get a link to a failed message.
    can_see_mail = request.user.has_perm("outbox.run_outbox")
    return {
        "attention": selectors.attention(),
        "unlinked_kinds": [] if can_see_mail else [selectors.MAIL],
        "retry_url": _url("stripeevent:retry"),
        "check_url": _url("reconciliation_check"),
    }
