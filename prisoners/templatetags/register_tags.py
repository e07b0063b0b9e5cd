from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def filter_url(filters, **overrides):
    """The list's URL with one filter changed and the page number reset."""
    query = filters.as_query(**overrides)
    return f"?{urlencode(query)}" if query else "?"


@register.simple_tag
def page_url(filters, number):
    query = filters.as_query(page=number if number > 1 else "")
    return f"?{urlencode(query)}" if query else "?"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0
