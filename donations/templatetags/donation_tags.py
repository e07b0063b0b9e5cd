"""`{% donation_form page %}`: the donation form on a prisoner or campaign page
(designated to it), or anywhere else (where it is most needed)."""

from django import template

register = template.Library()


@register.inclusion_tag("donations/donate_form.html", takes_context=True)
def donation_form(context, page=None):
    from donations.giving.views import donation_form_context

    request = context["request"]
    return {"request": request, **donation_form_context(request, page=page)}


@register.filter
def euros(minor) -> str:
    """Euro cents as people read them: 123456 → €1 234.56."""
    from donations.ledger.money import format_money

    if minor in (None, ""):
        return "—"
    return format_money(int(minor))
