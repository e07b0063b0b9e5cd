"""Donors' own pages: their gifts and receipts, changing or cancelling a monthly
gift, downloading or erasing their data.

There is no password: a donor opens the signed, expiring link from a receipt (or
asks for a new one by email), or signs in with a verified address. Every page and
action is scoped to those addresses, and nothing here is cached.
"""

import json
import logging
from dataclasses import dataclass
from functools import wraps

import stripe
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations.donors import services as self_service
from donations.donors.receipts import manage_email_from, manage_link_state
from donations.ledger.money import AmountError, parse_amount
from donations.stripe.client import StripeNotConfigured
from solidarity.ratelimit import allow, client_ip

logger = logging.getLogger(__name__)

# "Email me a link": attempts per visitor and per address, per hour, unless the
# DONOR_LINK_RATE_LIMITS setting says otherwise.
LINK_RATE_LIMITS = {
    "ip": {"limit": 10, "window": 3600},
    "email": {"limit": 3, "window": 3600},
}
STRIPE_DOWN = gettext_lazy(
    "We could not reach the payment provider, so nothing was changed. Please try "
    "again in a few minutes."
)


# --- Forms -------------------------------------------------------------------------


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)
    homepage = forms.CharField(required=False)  # a honeypot: people leave it empty


class AmountForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("New monthly amount"), max_length=20)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: my monthly gifts will be cancelled and my data erased. "
            "This cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Please tick the box to confirm.")},
    )


# --- Who is asking -----------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """The addresses a request may see, and how its pages are reached: through a
    signed link (`token`) or signed in (no token)."""

    emails: tuple[str, ...]
    token: str | None = None

    def url(self, action: str = "", **kwargs) -> str:
        name = "manage" if self.token else "my_gifts"
        if action:
            name = f"{name}_{action}"
        if self.token:
            kwargs["token"] = self.token
        return reverse(f"donations:{name}", kwargs=kwargs)


def _verified_emails(user) -> tuple[str, ...]:
    return tuple(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )


def donor_view(view):
    """Resolve the owner from the link's token or the signed-in user; answer an
    invalid or expired link with a page offering a fresh one."""

    @wraps(view)
    def wrapper(request, *args, token=None, **kwargs):
        if token is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            owner = Owner(emails=_verified_emails(request.user))
        else:
            email = manage_email_from(token)
            if not email:
                state = manage_link_state(token)
                return TemplateResponse(
                    request,
                    "donations/manage_invalid.html",
                    {"state": state, "form": LinkRequestForm()},
                    status=410 if state == "expired" else 400,
                )
            owner = Owner(emails=(email,), token=token)
        response = view(request, owner, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def _owned_subscription(owner: Owner, pk: int):
    return get_object_or_404(self_service.donor_subscriptions(owner.emails), pk=pk)


def _stripe_failed(request, error: Exception) -> None:
    logger.warning("donor self-service: Stripe call failed: %s", error)
    messages.error(request, STRIPE_DOWN)


# --- Email me a link ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request):
    """Ask for the manage link by email. The answer is the same whether or not the
    address ever gave."""
    form = LinkRequestForm()
    status = 200
    if request.method == "POST":
        form = LinkRequestForm(request.POST)
        if form.is_valid():
            email = self_service.normalise_email(form.cleaned_data["email"])
            limits = getattr(settings, "DONOR_LINK_RATE_LIMITS", LINK_RATE_LIMITS)
            ok_ip = allow(scope="donor-link:ip", key=client_ip(request), **limits["ip"])
            ok_email = allow(scope="donor-link:email", key=email, **limits["email"])
            if not (ok_ip and ok_email):
                messages.error(
                    request, _("Too many attempts. Please wait a while and try again.")
                )
                status = 429
            else:
                if not form.cleaned_data["homepage"]:
                    self_service.manage_link_send(email=email, language=get_language())
                return redirect(reverse("donations:manage_request") + "?sent=1")
        else:
            status = 400
    return TemplateResponse(
        request,
        "donations/manage_request.html",
        {"form": form, "sent": request.GET.get("sent") == "1"},
        status=status,
    )


# --- The gifts ---------------------------------------------------------------------


@require_GET
@donor_view
def gifts(request, owner: Owner):
    overview = self_service.donor_overview(owner.emails)
    for gift in overview.gifts:
        gift.urls["receipt"] = owner.url("receipt", public_id=gift.donation.public_id)
    for row in overview.monthly:
        pk = row.subscription.pk
        row.urls = {
            action: owner.url(action, pk=pk) for action in ("amount", "cancel", "card")
        }
    return TemplateResponse(
        request,
        "donations/manage.html",
        {
            "owner": owner,
            "overview": overview,
            "export_url": owner.url("export"),
            "erase_url": owner.url("erase"),
            "amount_form": AmountForm(),
            "signed_in": owner.token is None,
        },
    )


@require_GET
@donor_view
def receipt(request, owner: Owner, public_id):
    donation = get_object_or_404(
        self_service.donor_gifts(owner.emails).filter(
            status__in=self_service.RECEIPT_STATUSES
        ),
        public_id=public_id,
    )
    return TemplateResponse(
        request,
        "donations/receipt_page.html",
        {
            "owner": owner,
            "back_url": owner.url(),
            "donation": donation,
            "amount": self_service.format_money(donation.amount, donation.currency),
            "designation": self_service.DESIGNATION_LABELS.get(donation.designation),
            "organisation": settings.WAGTAIL_SITE_NAME,
        },
    )


@require_POST
@donor_view
def change_amount(request, owner: Owner, pk: int):
    subscription = _owned_subscription(owner, pk)
    form = AmountForm(request.POST)
    try:
        if not form.is_valid():
            raise AmountError(_("Please enter an amount, for example 25."))
        amount = parse_amount(form.cleaned_data["amount"], subscription.currency)
        self_service.monthly_amount_change(subscription=subscription, amount=amount)
    except (AmountError, self_service.SelfServiceError) as error:
        messages.error(request, str(error))
    except (stripe.StripeError, StripeNotConfigured) as error:
        _stripe_failed(request, error)
    else:
        messages.success(
            request,
            _("Your monthly gift is now %(amount)s, from the next payment on.")
            % {"amount": self_service.format_money(amount, subscription.currency)},
        )
    return redirect(owner.url())


@require_POST
@donor_view
def cancel(request, owner: Owner, pk: int):
    subscription = _owned_subscription(owner, pk)
    try:
        self_service.monthly_cancel(subscription=subscription)
    except (stripe.StripeError, StripeNotConfigured) as error:
        _stripe_failed(request, error)
    else:
        messages.success(
            request,
            _("Your monthly gift is cancelled: there will be no further payments."),
        )
    return redirect(owner.url())


@require_POST
@donor_view
def update_card(request, owner: Owner, pk: int):
    subscription = _owned_subscription(owner, pk)
    try:
        url = self_service.card_update_url(
            subscription=subscription,
            return_url=request.build_absolute_uri(owner.url()),
        )
    except self_service.SelfServiceError as error:
        messages.error(request, str(error))
    except (stripe.StripeError, StripeNotConfigured) as error:
        _stripe_failed(request, error)
    else:
        return HttpResponseRedirect(url)
    return redirect(owner.url())


# --- Data rights -------------------------------------------------------------------


@require_GET
@donor_view
def export(request, owner: Owner):
    data = self_service.donor_export(emails=owner.emails)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-donations.json"'
    return response


@require_http_methods(["GET", "POST"])
@donor_view
def erase(request, owner: Owner):
    overview = self_service.donor_overview(owner.emails)
    form = EraseForm()
    status = 200
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            # Erasure here never waits for Stripe (see donor_erase).
            done = self_service.Erasure()
            for email in owner.emails:
                result = self_service.donor_erase(email=email)
                done.donations += result.donations
                done.subscriptions += result.subscriptions
                done.cancelled += result.cancelled
                done.stripe_customers += result.stripe_customers
            return TemplateResponse(
                request,
                "donations/manage_erase.html",
                {"owner": owner, "step": "done", "result": done},
                headers={"Clear-Site-Data": '"cache"'},
            )
        else:
            status = 400
    return TemplateResponse(
        request,
        "donations/manage_erase.html",
        {
            "owner": owner,
            "step": "ask",
            "overview": overview,
            "form": form,
            "back_url": owner.url(),
        },
        status=status,
    )
