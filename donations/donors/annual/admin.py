"""The Board's "Send annual receipts" action in the admin: choose the year, see how
many donors would be emailed (and what the receipts say about the organisation),
then confirm. Board members only, as the Board's dashboard; the same as
`manage.py send_annual_receipts`.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.roles import is_board_member
from donations.donors.annual.selectors import AnnualReceiptError, organisation
from donations.donors.annual.services import (
    annual_receipts_pending,
    annual_receipts_send,
    last_year,
)
from donations.models import AnnualReceiptSent


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=9999
    )


class SendForm(YearForm):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Yes, email these donors their receipt. Each donor gets it once."
        ),
        error_messages={"required": gettext_lazy("Please tick the box to confirm.")},
    )


def board_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_board_member(request.user):
            return HttpResponseForbidden(
                _("Only members of the Board may send annual receipts."),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return never_cache(require_http_methods(["GET", "POST"])(wrapped))


def _year(data) -> int | None:
    form = YearForm(data)
    return form.cleaned_data["year"] if form.is_valid() else None


@board_only
def annual_receipts_view(request):
    status = 200
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                result = annual_receipts_send(year=year)
            except AnnualReceiptError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Receipts for %(year)s: %(sent)s sent, %(skipped)s "
                        "already sent or with nothing to receipt."
                    )
                    % {"year": year, "sent": result.sent, "skipped": result.skipped},
                )
            url = reverse("board_annual_receipts") + "?" + urlencode({"year": year})
            return redirect(url)
        year, status = _year(request.POST), 400
    else:
        year = _year(request.GET or {"year": last_year()})
        form = SendForm(initial={"year": year})
    year_form = YearForm(initial={"year": year or last_year()})
    complete = year is not None and year <= last_year()
    pending = annual_receipts_pending(year=year) if complete else []
    return TemplateResponse(
        request,
        "donations/admin/annual_receipts.html",
        {
            "year_form": year_form,
            "form": form,
            "year": year,
            "complete": complete,
            "pending": len(pending),
            "sent": AnnualReceiptSent.objects.filter(year=year).count() if year else 0,
            "organisation": organisation(),
            "first_of_next_year": (year + 1) if year else None,
        },
        status=status,
    )
