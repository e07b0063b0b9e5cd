"""`{% donation_form page %}`: the donation form on a prisoner or campaign page
(designated to it), or anywhere else (where it is most needed)."""

from django import template

register = template.Library()


@register.inclusion_tag("donations/donate_form.html", takes_context=True)
def donation_form(context, page=None):
    from donations.views_donate import donation_form_context

    request = context["request"]
    return {"request": request, **donation_form_context(request, page=page)}
