"""The Open Graph image of a page: its share card, by the address the page has."""

from django import template
from django.urls import reverse

from home.site_cache import site_by_id

register = template.Library()


@register.simple_tag(takes_context=True)
def share_card_url(context, page) -> str:
    """The absolute address of `page`'s share card, or "" for a page that has none
    (not live, or not a Wagtail page)."""
    if not getattr(page, "pk", None) or not getattr(page, "live", False):
        return ""
    path = reverse("share_card", args=[page.pk])
    request = context.get("request")
    # Page.get_site() asks the database for the Site on every page view.
    url_parts = page.get_url_parts(request)
    if url_parts is not None:
        return site_by_id(url_parts[0], request=request).root_url + path
    return request.build_absolute_uri(path) if request else path
