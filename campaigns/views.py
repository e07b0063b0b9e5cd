"""The statement page's views: thin, they validate input, limit abuse and call the
services. Routed by StatementPage (a routable page)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns import services
from campaigns.forms import ResendForm, SignatureForm
from campaigns.selectors import public_signatories, signature_counts
from solidarity.ratelimit import allow, client_ip

SIGNATORIES_PER_PAGE = 100


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


def statement_page(request, statement):
    form = SignatureForm(allowed_kinds=statement.allowed_kinds)
    status = 200
    if request.method == "POST":
        form = SignatureForm(request.POST, allowed_kinds=statement.allowed_kinds)
        if not statement.is_open:
            messages.error(request, _("This statement is closed for signatures."))
            return redirect(statement.get_url(request))
        if form.is_bot:
            # Say what a person would hear; a bot learns nothing.
            return redirect(statement.get_url(request) + "?signed=check-email")
        if form.is_valid():
            if not _within_limits(request, "sign", form.cleaned_data["email"]):
                messages.error(
                    request,
                    _("Too many attempts. Please wait a while and try again."),
                )
                status = 429
            else:
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
                    status = 400
                else:
                    return redirect(
                        f"{statement.get_url(request)}?signed={result.outcome}"
                    )
        else:
            status = 400
    return _render(request, statement, form=form, status=status)


def _render(request, statement, *, form, status=200, **extra):
    signatories = Paginator(
        public_signatories(statement.translation_key), SIGNATORIES_PER_PAGE
    )
    page_number = request.GET.get("signatories", 1)
    context = {
        "page": statement,
        "self": statement,
        "form": form,
        "resend_form": ResendForm(),
        "counts": signature_counts(statement.translation_key),
        "signatories": signatories.get_page(page_number),
        "signed": request.GET.get("signed", ""),
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


def resend_confirmation(request, statement):
    if request.method != "POST":
        return redirect(statement.get_url(request))
    form = ResendForm(request.POST)
    if not form.is_valid() or form.cleaned_data.get("homepage"):
        messages.error(request, _("Please enter a valid email address."))
        return redirect(statement.get_url(request))
    email = form.cleaned_data["email"]
    if not _within_limits(request, "resend", email):
        messages.error(
            request, _("Too many attempts. Please wait a while and try again.")
        )
        response = redirect(statement.get_url(request))
        response.status_code = 302
        return response
    services.signature_resend(
        statement=statement,
        email=email,
        confirm_url_for=_confirm_url_for(request, statement),
    )
    return redirect(f"{statement.get_url(request)}?signed=resent-if-waiting")
