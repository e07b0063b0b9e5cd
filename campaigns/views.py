"""The statement page's views: thin, they validate input, limit abuse and call the
services. The page itself is routed by StatementPage (a routable page); its forms
post to campaigns/urls.py.

Anonymous visitors get the statement page from the page cache, and a cached page
cannot carry a per-visitor CSRF token, so the forms post to views exempt from
Django's token check, protected the way the donate form is
(donations/giving/views.py): a signature holds no authority from cookies (it
counts only once its email is confirmed), cross-site posts are refused by their
Origin and Sec-Fetch-Site headers, and while many signatures arrive at once the
form asks the browser for ALTCHA's proof of work (donations/giving/challenge.py),
each answer taken once.
"""

import json
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import services
from campaigns.forms import ResendForm, SignatureForm
from campaigns.models import StatementPage
from campaigns.selectors import public_signatories, signature_counts
from donations.giving import challenge
from donations.giving.views import _same_origin
from home import site_cache
from solidarity.ratelimit import allow, client_ip

SIGNATORIES_PER_PAGE = 100
ATTEMPTS_KEY = "campaigns:signing-attempts"
ATTEMPTS_WINDOW = 3600


def _confirm_url_for(request, statement):
    def build(token):
        path = statement.reverse_subpage("confirm", kwargs={"token": token})
        return request.build_absolute_uri(statement.get_url(request) + path)

    return build


def _within_limits(request, scope: str, email: str | None) -> bool:
    limits = settings.SIGNING_RATE_LIMITS
    ok_ip = allow(scope=f"{scope}:ip", key=client_ip(request), **limits["ip"])
    ok_email = email is None or allow(
        scope=f"{scope}:email", key=services.normalise_email(email), **limits["email"]
    )
    return ok_ip and ok_email


def challenge_required() -> bool:
    """Across all visitors and statements, more signing attempts this hour than
    SIGNING_CHALLENGE_PER_HOUR (0: always)."""
    return cache.get(ATTEMPTS_KEY, 0) >= settings.SIGNING_CHALLENGE_PER_HOUR


def _count_attempt() -> None:
    if not cache.add(ATTEMPTS_KEY, 1, timeout=ATTEMPTS_WINDOW):
        try:
            cache.incr(ATTEMPTS_KEY)
        except ValueError:  # expired between add and incr
            cache.add(ATTEMPTS_KEY, 1, timeout=ATTEMPTS_WINDOW)


def _statement_or_404(page_id: int) -> StatementPage:
    statement = StatementPage.objects.live().public().filter(pk=page_id).first()
    if statement is None:
        raise Http404
    return statement


def statement_page(request, statement):
    if request.method == "POST":
        # A post to the page itself, as the site's forms sent before they moved to
        # `sign`: Django's CSRF check has already passed it.
        return _sign(request, statement)
    form = SignatureForm(allowed_kinds=statement.allowed_kinds)
    return _render(request, statement, form=form)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign(request, page_id: int):
    """The signing form's target (see the module's docstring)."""
    statement = _statement_or_404(page_id)
    if request.method != "POST":
        return redirect(statement.get_url(request))
    if not _same_origin(request):
        return HttpResponseForbidden(_("This form can only be sent from our site."))
    return _sign(request, statement)


def _sign(request, statement):
    if not statement.is_open:
        # The page says it is closed, and shows no form.
        return redirect(statement.get_url(request))
    required = challenge_required()
    _count_attempt()
    form = SignatureForm(
        request.POST,
        allowed_kinds=statement.allowed_kinds,
        challenge_required=required,
    )
    if form.is_bot:
        # Say what a person would hear; a bot learns nothing.
        return redirect(statement.get_url(request) + "?signed=check-email")
    if not form.is_valid():
        return _render(request, statement, form=form, status=400)
    if not _within_limits(request, "sign", form.cleaned_data["email"]):
        return _render(
            request,
            statement,
            form=form,
            status=429,
            problem=_("Too many attempts. Please wait a while and try again."),
        )
    try:
        result = services.signature_request(
            statement=statement,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            show_name=form.cleaned_data["show_name"],
            country=form.cleaned_data["country"],
            website=form.cleaned_data["website"],
            email=form.cleaned_data["email"],
            language=get_language(),
            confirm_url_for=_confirm_url_for(request, statement),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, statement, form=form, status=400)
    return redirect(f"{statement.get_url(request)}?signed={result.outcome}")


@never_cache
@require_GET
def challenge_new(request):
    """For static/js/donate-challenge.js and ALTCHA's widget on the signing form:
    whether a proof of work is needed now, and a fresh challenge if so."""
    if not challenge_required():
        return JsonResponse({"required": False})
    return JsonResponse({"required": True, **challenge.issue()})


def _render(request, statement, *, form, status=200, **extra):
    key = statement.translation_key
    signatories = Paginator(public_signatories(key), SIGNATORIES_PER_PAGE)
    page_number = request.GET.get("signatories", "1")
    generation = site_cache.generation(request)
    # The counts, the names and the blank form are the same for every visitor
    # until the next purge, as the cached page itself is: a confirmation does not
    # purge (campaigns/cache_purge.py), so a busy hour does not empty the cache.
    # The confirmation page shows the new count at once.
    asks_challenge = form.challenge_required or challenge_required()
    counts = site_cache.cached(
        f"statement-counts:{key}", lambda: signature_counts(key), request=request
    )
    context = {
        "page": statement,
        "self": statement,
        "form": form,
        "resend_form": ResendForm(),
        "counts": counts,
        # Read only when the list's fragment is not cached.
        "signatories": SimpleLazyObject(lambda: signatories.get_page(page_number)),
        "fragment_seconds": site_cache.SECONDS,
        "signatories_key": f"{generation}:{key}:{page_number[:12]}",
        # A form with what a visitor typed, or its errors, is never kept.
        "form_key": (
            f"bound:{uuid.uuid4().hex}"
            if form.is_bound
            else f"{generation}:{statement.pk}:{asks_challenge}"
        ),
        "form_seconds": 0 if form.is_bound else site_cache.SECONDS,
        "signed": request.GET.get("signed", ""),
        # Fixed for every visitor: the page may be served from the cache.
        "sign_action": reverse("campaigns:sign", kwargs={"page_id": statement.pk}),
        "resend_action": reverse("campaigns:resend", kwargs={"page_id": statement.pk}),
        "challenge_url": reverse("campaigns:challenge"),
        "challenge_required": asks_challenge,
        "challenge_strings": json.dumps(challenge.widget_strings()),
        **extra,
    }
    return TemplateResponse(
        request, statement.get_template(request), context, status=status
    )


def confirm_signature(request, statement, token):
    if request.method != "POST":
        # Email scanners open links; only a person pressing the button confirms.
        return TemplateResponse(
            request,
            "campaigns/signature_confirm.html",
            {"page": statement, "token": token, "step": "ask"},
        )
    result = services.signature_confirm(token=token)
    status = 200 if result.outcome in ("confirmed", "already_confirmed") else 400
    return TemplateResponse(
        request,
        "campaigns/signature_confirm.html",
        {
            "page": statement,
            "step": result.outcome,
            "counts": signature_counts(statement.translation_key),
        },
        status=status,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resend(request, page_id: int):
    """The "send the link again" form's target. No proof of work: it only ever
    writes to an address whose signature, made through the signing form, waits."""
    statement = _statement_or_404(page_id)
    if request.method != "POST":
        return redirect(statement.get_url(request))
    if not _same_origin(request):
        return HttpResponseForbidden(_("This form can only be sent from our site."))
    return resend_confirmation(request, statement)


def resend_confirmation(request, statement):
    if request.method != "POST":
        return redirect(statement.get_url(request))
    form = ResendForm(request.POST)
    if not form.is_valid() or form.cleaned_data.get("homepage"):
        return _render_resend_problem(
            request, statement, _("Please enter a valid email address."), status=400
        )
    email = form.cleaned_data["email"]
    if not _within_limits(request, "resend", email):
        return _render_resend_problem(
            request,
            statement,
            _("Too many attempts. Please wait a while and try again."),
            status=429,
        )
    services.signature_resend(
        statement=statement,
        email=email,
        confirm_url_for=_confirm_url_for(request, statement),
    )
    return redirect(f"{statement.get_url(request)}?signed=resent-if-waiting")


def _render_resend_problem(request, statement, problem: str, *, status: int):
    return _render(
        request,
        statement,
        form=SignatureForm(allowed_kinds=statement.allowed_kinds),
        status=status,
        resend_problem=problem,
    )
