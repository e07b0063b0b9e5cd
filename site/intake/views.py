"""The public side: report, keep the receipt code, come back with it.

No view here logs, stores or passes on anything a reporter typed: the form's
values go straight into services.submit_report, which seals them. Uploads stay in
memory (uploads.MemoryOnlyUploadHandler), error reports hide every POST value and
file name (sensitive_post_parameters, solidarity.errors), and no address or user
agent is kept: rate limits count hashed addresses in the cache for an hour.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from donations.giving import challenge
from solidarity.ratelimit import allow, client_ip

from . import crypto, services
from .forms import AdditionForm, ReceiptForm, ReportForm
from .uploads import MemoryOnlyUploadHandler, check_files

NOT_FOUND = _(
    "This code does not open a report. Check it and try again; if you still cannot, "
    "send a new report."
)


def _limited(request, scope: str) -> bool:
    return not allow(
        scope=f"intake:{scope}",
        key=client_ip(request),
        **settings.INTAKE_RATE_LIMITS[scope],
    )


def _busy() -> bool:
    """Across all visitors, more reports this hour than triage ever expects."""
    from django.core.cache import cache

    return (
        cache.get("intake:busy-count", 0)
        >= settings.INTAKE_RATE_LIMITS["busy"]["limit"]
    )


def _count_submission() -> None:
    from django.core.cache import cache

    window = settings.INTAKE_RATE_LIMITS["busy"]["window"]
    if not cache.add("intake:busy-count", 1, timeout=window):
        try:
            cache.incr("intake:busy-count")
        except ValueError:
            cache.add("intake:busy-count", 1, timeout=window)


def readers_json() -> str:
    """The public keys the browser seals a new report to (intake-seal.js)."""
    recipients, recovery = services.readers_for()
    return json.dumps(
        [{"id": f"r{r.pk}", "key": crypto.b64(bytes(r.public_key))} for r in recipients]
        + [{"id": f"k{k.pk}", "key": crypto.b64(bytes(k.public_key))} for k in recovery]
    )


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@sensitive_post_parameters()
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    # Before anything reads the body: uploads must never reach a temporary file.
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _report_form(request)


@csrf_protect
@sensitive_variables()
def _report_form(request):
    context = {
        "open": services.is_open_for_reports(),
        "challenge_required": _busy(),
        "challenge_url": reverse("intake:challenge"),
        "challenge_strings": json.dumps(challenge.widget_strings()),
        "retention_days": settings.INTAKE_RETENTION_DAYS,
    }
    if not context["open"]:
        return _no_store(render(request, "intake/report_form.html", context))
    context["readers"] = readers_json()
    context["file_limits"] = settings.INTAKE_FILE_LIMITS
    # A sealed post has no plaintext fields to bind: an unbound form, not one
    # that says every field is missing.
    sealed = request.POST.get("sealed") == "1"
    form = ReportForm(
        None if sealed else (request.POST or None),
        None if sealed else (request.FILES or None),
    )
    context["form"] = form
    if request.method != "POST":
        return _no_store(render(request, "intake/report_form.html", context))
    if _limited(request, "submit"):
        context["refusal"] = _(
            "Too many reports were sent from your connection within the hour. "
            "Nothing was sent; please try again later."
        )
        return _no_store(
            render(request, "intake/report_form.html", context, status=429)
        )
    if context["challenge_required"] and not challenge.verify(
        request.POST.get("altcha")
    ):
        context["refusal"] = _(
            "Many reports are arriving right now, so the form asks your browser for "
            "a short calculation first. Turn JavaScript on, or try again in an hour. "
            "Nothing was sent."
        )
        return _no_store(
            render(request, "intake/report_form.html", context, status=400)
        )
    try:
        if sealed:
            receipt = _receive_sealed(request)
        else:
            receipt = _receive_plain(request, form)
    except ValidationError as error:
        context["refusal"] = " ".join(error.messages)
        return _no_store(
            render(request, "intake/report_form.html", context, status=400)
        )
    if receipt is None:
        return _no_store(
            render(request, "intake/report_form.html", context, status=400)
        )
    _count_submission()
    return _no_store(
        render(request, "intake/receipt.html", {"code": receipt.code, "fresh": True})
    )


@sensitive_variables()
def _receive_plain(request, form):
    if not form.is_valid():
        return None
    files = check_files(form.cleaned_data["files"])
    return services.submit_report(
        content=form.content(), files=files, language=request.LANGUAGE_CODE
    )


def _receive_sealed(request):
    post = request.POST
    try:
        envelopes = {
            name: crypto.unb64(value)
            for name, value in json.loads(post.get("envelopes", "{}")).items()
        }
        files = _sealed_files(request)
        return services.submit_sealed_report(
            public_key=crypto.unb64(post.get("public_key", "")),
            envelopes=envelopes,
            sealed_content=crypto.unb64(post.get("sealed_content", "")),
            sealed_files=files,
            language=request.LANGUAGE_CODE,
        )
    except (ValueError, TypeError, AttributeError) as error:
        raise ValidationError(
            _("The encrypted report could not be read. Nothing was sent.")
        ) from error


def _sealed_files(request) -> list:
    metas = request.POST.getlist("sealed_meta")
    bodies = request.FILES.getlist("sealed_files")
    if len(metas) != len(bodies):
        raise ValueError("files and their names differ in number")
    limits = settings.INTAKE_FILE_LIMITS
    if len(bodies) > limits["count"] or any(
        b.size > limits["bytes"] + 64 for b in bodies
    ):
        raise ValidationError(_("Too many files, or a file too large."))
    return [
        services.SealedFile(meta=crypto.unb64(m), body=b.read())
        for m, b in zip(metas, bodies, strict=True)
    ]


def _add_sealed(request, report) -> None:
    """An addition sealed in the browser to the report's public key (shown on
    the status page), as intake-seal.js sends it."""
    try:
        services.add_sealed_from_reporter(
            report=report,
            sealed_content=crypto.unb64(request.POST.get("sealed_content", "")),
            sealed_files=_sealed_files(request),
        )
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("The encrypted addition could not be read. Nothing was added.")
        ) from error


@sensitive_post_parameters()
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def check_report(request):
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _check_report(request)


@csrf_protect
@sensitive_variables()
def _check_report(request):
    if request.method != "POST":
        return _no_store(render(request, "intake/check.html", {"form": ReceiptForm()}))
    sealed = request.POST.get("sealed") == "1"
    adding = sealed or "text" in request.POST or "files" in request.FILES
    form = (ReceiptForm if sealed or not adding else AdditionForm)(
        request.POST, request.FILES or None
    )
    if _limited(request, "receipt"):
        return _no_store(
            render(
                request,
                "intake/check.html",
                {
                    "form": ReceiptForm(),
                    "refusal": _(
                        "Too many tries from your connection within the hour. "
                        "Please wait and try again."
                    ),
                },
                status=429,
            )
        )
    if not form.is_valid():
        return _no_store(
            render(request, "intake/check.html", {"form": form}, status=400)
        )
    code = form.cleaned_data["code"]
    view = services.reporter_view(code=code)
    if view is None:
        # Same work as for a real code, so the answer's time says nothing either.
        crypto.reporter_key_pair(code=code, salt=crypto.new_salt())
        return _no_store(
            render(
                request,
                "intake/check.html",
                {"form": ReceiptForm(), "refusal": NOT_FOUND},
                status=404,
            )
        )
    context = {"view": view, "addition_form": AdditionForm(initial={"code": code})}
    context["report_key"] = crypto.b64(bytes(view.report.public_key))
    context["file_limits"] = settings.INTAKE_FILE_LIMITS
    if adding:
        try:
            if sealed:
                _add_sealed(request, view.report)
            else:
                files = check_files(form.cleaned_data["files"])
                services.add_from_reporter(
                    report=view.report, text=form.cleaned_data["text"], files=files
                )
        except ValidationError as error:
            context["addition_errors"] = error.messages
            if not sealed:
                context["addition_form"] = form
        else:
            context["added"] = True
            view = services.reporter_view(code=code)
            context["view"] = view
            context["report_key"] = crypto.b64(bytes(view.report.public_key))
    return _no_store(render(request, "intake/status.html", context))


@never_cache
def challenge_new(request):
    """For ALTCHA's widget on the report form: a challenge only when busy."""
    if not _busy():
        return JsonResponse({"required": False})
    return JsonResponse({"required": True, **challenge.issue()})
