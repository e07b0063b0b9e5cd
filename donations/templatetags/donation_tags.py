"""What content pages show of the money, without knowing the money app:

- `{% donation_form page %}`: the donation form on a prisoner or campaign page
  (designated to it), or anywhere else (where it is most needed);
- `{% case_money page as money %}` and `{% campaign_money page as money %}`: the
  public money figures of a profile or a campaign (see
  `donations.transparency.selectors`: never a payee or a donor, nothing the
  disclosure rule holds back);
- `|euros`: euro cents as people read them."""

from django import template

register = template.Library()


@register.inclusion_tag("donations/donate_form.html", takes_context=True)
def donation_form(context, page=None):
    from donations.giving.views import donation_form_context

    request = context["request"]
    return {"request": request, **donation_form_context(request, page=page)}


@register.simple_tag
def case_money(page):
    from donations.transparency.selectors import case_money as figures

    return figures(case_key=page.translation_key)


@register.simple_tag
def campaign_money(page):
    from donations.transparency.selectors import campaign_money as figures

    return figures(campaign_key=page.translation_key)


@register.filter
def euros(minor) -> str:
    """Euro cents as people read them: 123456 → €1 234.56."""
    from donations.ledger.money import format_money

    if minor in (None, ""):
        return "—"
    return format_money(int(minor))
