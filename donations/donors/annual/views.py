"""A donor's annual receipts, from the manage link (or signed in): a printable
page per year with a picker of the years that have one, and the same as a PDF.
No script, nothing from another origin; nothing here is cached (see donor_view).
"""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from donations.donors.annual.pdf import annual_receipt_pdf
from donations.donors.annual.selectors import annual_receipt, annual_receipt_years
from donations.donors.annual.wording import annual_receipt_wording
from donations.donors.views import Owner, donor_view


def _year_or_404(owner: Owner, year: int | None) -> tuple[list[int], int | None]:
    years = annual_receipt_years(emails=owner.emails)
    if year is None:
        return years, years[0] if years else None
    if year not in years:
        raise Http404("no receipt for this year")
    return years, year


@require_GET
@donor_view
def annual(request, owner: Owner, year: int | None = None):
    years, year = _year_or_404(owner, year)
    receipt = words = None
    if year is not None:
        receipt = annual_receipt(emails=owner.emails, year=year)
        words = annual_receipt_wording(receipt)
    return TemplateResponse(
        request,
        "donations/annual_receipt.html",
        {
            "owner": owner,
            "back_url": owner.url(),
            "year": year,
            "years": [
                {
                    "year": y,
                    "url": owner.url("annual_year", year=y),
                    "current": y == year,
                }
                for y in years
            ],
            "receipt": receipt,
            "words": words,
            "pdf_url": owner.url("annual_pdf", year=year) if year else None,
            "this_year": timezone.localdate().year,
        },
    )


@require_GET
@donor_view
def annual_pdf(request, owner: Owner, year: int):
    _years, year = _year_or_404(owner, year)
    receipt = annual_receipt(emails=owner.emails, year=year)
    response = HttpResponse(
        annual_receipt_pdf(receipt=receipt), content_type="application/pdf"
    )
    name = annual_receipt_wording(receipt).filename
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
