"""Template tags for letters: a profile's public birthday and whether it offers a
printable letter sheet (see prisoners/letters.py)."""

from django import template

from prisoners.letters import birthday_label, has_letter_sheet

register = template.Library()


@register.simple_tag
def birthday(page) -> str:
    """The public birthday, "7 December", or "" when it is hidden or unknown."""
    shown = page.public_birthday
    return birthday_label(*shown) if shown else ""


@register.simple_tag(name="has_letter_sheet")
def has_letter_sheet_tag(page) -> bool:
    return has_letter_sheet(page)
