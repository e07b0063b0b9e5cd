"""The Open Graph image of a page: its share card, by the address the page has."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def share_card_url(context, page) -> str:
    """The absolute address of `page`'s share card, or "" for a page that has none
    (not live, or not a Wagtail page)."""
    if not getattr(page, "pk", None) or not getattr(page, "live", False):
        return ""
    path = reverse("share_card", args=[page.pk])
    site = page.get_site()
    if site is not None:
        return site.root_url + path
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
