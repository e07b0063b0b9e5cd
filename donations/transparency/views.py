"""The network-wide transparency page, /<lang>/transparency/, and its CSV.

Both read one `NetworkMoney` and the totals of the members named in the report
(see `donations.transparency.selectors`), so the CSV always says what the page
says. The page goes through the anonymous page cache like
Wagtail's pages (it marks itself cacheable); the CSV cannot (the cache keeps no
Content-Disposition), so the figures themselves are cached for both, under the page
cache's generation: publishing or unpublishing anything refreshes them at once.
"""

import csv
import io
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from donations.transparency.selectors import (
    NetworkMoney,
    Share,
    network_csv_rows,
    network_money,
    paid_by_member,
    public_cutoff,
)
from solidarity.page_cache import current_generation, mark_cacheable

logger = logging.getLogger(__name__)
app_name = "transparency"


Figures = tuple[NetworkMoney, tuple[Share, ...]]


def _compute(language) -> Figures:
    return network_money(language=language), paid_by_member()


def _figures() -> Figures:
    """The network's figures and the totals of members named in the report."""
    language = translation.get_language()
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return _compute(language)
    try:
        # "v2": the cached value became (figures, members).
        key = f"transparency:v2:{current_generation()}:{public_cutoff()}:{language}"
        figures = cache.get(key)
    except Exception:  # a cache outage must not take the page down with it
        logger.warning("cache unavailable", exc_info=True)
        return _compute(language)
    if figures is None:
        figures = _compute(language)
        try:
            cache.set(key, figures, timeout=seconds)
        except Exception:
            logger.warning("cache unavailable", exc_info=True)
    return figures


def _cache_headers(request, response) -> None:
    # Our own page cache answers repeat visits; browsers and proxies revalidate,
    # so that an unpublished region disappears from their copies too.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)


@require_safe
def transparency_page(request):
    money, members = _figures()
    mark_cacheable(request)
    response = render(
        request, "donations/transparency.html", {"money": money, "members": members}
    )
    _cache_headers(request, response)
    return response


@require_safe
def transparency_csv(request):
    money, members = _figures()
    out = io.StringIO()
    # A byte-order mark, so that spreadsheets read the Cyrillic labels as UTF-8.
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerows(network_csv_rows(money, members))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="transparency-{money.as_of:%Y-%m}.csv"'
    )
    _cache_headers(request, response)
    return response


urlpatterns = [
    path("", transparency_page, name="page"),
    path("transparency.csv", transparency_csv, name="csv"),
]
