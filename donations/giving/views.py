"""Giving: the form's target, the thank-you page and, in development only, a
simulated checkout. Thin views: they validate, limit abuse and call the services.

The form also sits on prisoner and campaign pages, which anonymous visitors get
from the page cache; a cached page cannot carry a per-visitor CSRF token, so the
form's target is exempt from Django's token check. It holds no authority from
cookies (it only starts a checkout the visitor then pays or leaves), and it still
refuses cross-site posts by their Origin and Sec-Fetch-Site headers.
"""

import json
import logging
import secrets

import stripe
from django import forms
from django.conf import settings
from django.http import (
    Http404,
    HttpResponseForbidden,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from donations.giving import challenge, simulated
from donations.giving.forms import (
    DonationForm,
    Subject,
    initial_from_query,
    subject_from_page_id,
)
from donations.giving.services import checkout_session_create, donation_create
from donations.ledger.money import AmountError, format_money
from donations.models import Designation, Donation
from donations.stripe.client import is_configured
from solidarity.ratelimit import allow, client_ip

logger = logging.getLogger(__name__)

BROWSER_KEY = "donations:browser"
# While a gift is pending, its thank-you page reloads itself for this long.
REFRESH_FOR_SECONDS = 3600


def payment_mode() -> str | None:
    """ "stripe", "simulated" (DEBUG without keys), or None: no donations here."""
    if is_configured():
        return "stripe"
    if simulated.available():
        return "simulated"
    return None


def donation_form_context(request, *, page=None, form=None) -> dict:
    """What templates/donations/donate_form.html needs, for a page or generally."""
    from donations.giving.forms import subject_for

    mode = payment_mode()
    if form is None:
        subject = subject_for(page) if page is not None else None
        form = DonationForm(subject=subject, initial=initial_from_query(request.GET))
    return {
        "donation_form": form,
        "donation_mode": mode,
        "donation_action": reverse("donations:donate"),
        "challenge_url": reverse("donations:challenge"),
        "challenge_required": bool(mode)
        and (form.challenge_required or challenge.required()),
        "challenge_strings": json.dumps(challenge.widget_strings()),
    }


def _same_origin(request) -> bool:
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return True
    ours = f"{request.scheme}://{request.get_host()}"
    return origin == ours or origin in settings.CSRF_TRUSTED_ORIGINS


def _browser_key(request) -> str:
    """A random key for this browser's session, so that one browser cannot start
    checkout after checkout. Only this key is kept in the session."""
    key = request.session.get(BROWSER_KEY)
    if not key:
        if request.session.session_key is None:
            request.session.set_expiry(0)  # a new session ends with the browser
        key = secrets.token_urlsafe(16)
        request.session[BROWSER_KEY] = key
    return key


def _within_limits(request) -> bool:
    limits = settings.DONATION_RATE_LIMITS
    ok_ip = allow(scope="donate:ip", key=client_ip(request), **limits["ip"])
    ok_browser = allow(
        scope="donate:browser", key=_browser_key(request), **limits["browser"]
    )
    return ok_ip and ok_browser


def _render(request, *, form, status=200, problem=""):
    return TemplateResponse(
        request,
        "donations/donate_page.html",
        {
            **donation_form_context(request, form=form),
            "subject": form.subject,
            "subject_url": _subject_url(request, form.subject),
            "problem": problem,
        },
        status=status,
    )


def _subject_url(request, subject: Subject | None) -> str:
    if subject is None:
        return ""
    from wagtail.models import Page

    page = Page.objects.filter(pk=subject.page_id).first()
    return page.get_url(request) if page else ""


def _cancel_url(request, subject: Subject | None) -> str:
    path = _subject_url(request, subject)
    if path:
        return request.build_absolute_uri(f"{path}#donate")
    return request.build_absolute_uri(reverse("donations:donate"))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def donate(request):
    """The general donate page (where it is most needed) and the target of every
    donation form: validate, limit, record, then off to Stripe's hosted checkout."""
    if request.method != "POST":
        form = DonationForm(initial=initial_from_query(request.GET))
        return _render(request, form=form)
    if not _same_origin(request):
        return HttpResponseForbidden(_("This form can only be sent from our site."))

    subject = subject_from_page_id(request.POST.get("page"))
    mode = payment_mode()
    form = DonationForm(
        request.POST,
        subject=subject,
        challenge_required=bool(mode) and challenge.required(),
    )
    if mode is None:
        return _render(request, form=DonationForm(subject=subject), status=503)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    if not _within_limits(request):
        return _render(
            request,
            form=form,
            status=429,
            problem=_("Too many attempts. Please wait a while and try again."),
        )

    data = form.cleaned_data
    try:
        donation = donation_create(
            frequency=data["frequency"],
            currency=data["currency"],
            amount=data["amount_minor"],
            designation=data["designation"],
            subject_key=subject.key if subject else None,
            cover_fees=data["cover_fees"],
            show_name=data["show_name"],
            public_name=data["public_name"],
            language=get_language(),
        )
    except AmountError:
        form.add_error("other_amount", _("This amount cannot be taken."))
        return _render(request, form=form, status=400)

    success_url = request.build_absolute_uri(
        reverse("donations:thanks", kwargs={"public_id": donation.public_id})
    )
    if mode == "simulated":
        url = simulated.session_create(
            donation=donation,
            checkout_url=request.build_absolute_uri(
                reverse("donations:simulated", kwargs={"public_id": donation.public_id})
            ),
        )
    else:
        try:
            url = checkout_session_create(
                donation=donation,
                success_url=success_url,
                cancel_url=_cancel_url(request, subject),
            )
        except stripe.StripeError:
            logger.warning("could not create a checkout session", exc_info=True)
            return _render(
                request,
                form=form,
                status=502,
                problem=_(
                    "We could not reach our payment provider. Nothing has been "
                    "charged. Please try again in a few minutes."
                ),
            )
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@never_cache
@require_GET
def challenge_new(request):
    """For static/js/donate-challenge.js and ALTCHA's widget: whether a proof of work
    is needed now, and a fresh challenge if so. Never cached: each browser solves
    its own, once (never_cache says no-store)."""
    if not challenge.required():
        return JsonResponse({"required": False})
    return JsonResponse({"required": True, **challenge.issue()})


def _designation_link(donation: Donation, *, monthly: bool) -> str:
    """The page the gift was designated through, in the current language if it
    has one; the general donate page otherwise."""
    query = "?monthly=1" if monthly else ""
    if donation.designation != Designation.GENERAL and donation.subject_key:
        from wagtail.models import Page

        pages = (
            Page.objects.live().public().filter(translation_key=donation.subject_key)
        )
        page = (
            pages.filter(locale__language_code=get_language()).first() or pages.first()
        )
        if page is not None:
            return f"{page.get_url()}{query}#donate"
    return f"{reverse('donations:donate')}{query}"


CONFIRMED = (
    Donation.Status.PAID,
    Donation.Status.REFUNDED,
    Donation.Status.PARTIALLY_REFUNDED,
    Donation.Status.DISPUTED,
)


@never_cache
@require_GET
def thanks(request, public_id):
    """Where Stripe sends the donor back. The redirect proves nothing: the gift is
    shown as pending until Stripe's webhook has marked it paid."""
    donation = get_object_or_404(Donation, public_id=public_id)
    if donation.status in CONFIRMED:
        state = "confirmed"
    elif donation.status in (Donation.Status.FAILED, Donation.Status.EXPIRED):
        state = "failed"
    elif donation.status == Donation.Status.PROCESSING:
        state = "processing"
    else:
        state = "pending"
    recent = (timezone.now() - donation.created_at).total_seconds()
    response = TemplateResponse(
        request,
        "donations/thanks.html",
        {
            "donation": donation,
            "amount": format_money(donation.amount, donation.currency),
            "state": state,
            "refresh": state == "pending" and recent < REFRESH_FOR_SECONDS,
            "simulated": simulated.is_simulated(donation),
            "monthly_url": _designation_link(donation, monthly=True)
            if donation.frequency == Donation.Frequency.ONE_OFF
            else "",
            "again_url": _designation_link(donation, monthly=False),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


class SimulatedPaymentForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email for the receipt (optional)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "Stripe's checkout asks for it; here you may leave it empty."
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def simulated_checkout(request, public_id):
    """Development only: stands in for Stripe's hosted checkout. With DEBUG off this
    page does not exist."""
    if not settings.DEBUG:
        raise Http404
    donation = get_object_or_404(Donation, public_id=public_id)
    if not simulated.is_simulated(donation):
        raise Http404
    thanks_url = reverse("donations:thanks", kwargs={"public_id": donation.public_id})
    form = SimulatedPaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        simulated.payment_simulate(donation=donation, email=form.cleaned_data["email"])
        response = HttpResponseRedirect(thanks_url)
        response.status_code = 303
        return response
    return TemplateResponse(
        request,
        "donations/simulated_checkout.html",
        {
            "donation": donation,
            "amount": format_money(donation.amount, donation.currency),
            "form": form,
            "cancel_url": _designation_link(donation, monthly=False),
            "paid": donation.paid_at is not None,
            "thanks_url": thanks_url,
        },
        status=400 if form.errors else 200,
    )
