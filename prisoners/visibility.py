"""What of a profile the public may see: per-field hiding and consent, in one place.

Templates, the API, feeds and the search index all ask `public_groups()`, so a field
hidden here is hidden everywhere at once.
"""

from django.utils.translation import gettext_lazy as _

# Parts of a profile an editor can hide, and the fields each part covers.
HIDEABLE_GROUPS = {
    "photo": _("Photo"),
    "birth_year": _("Year of birth"),
    "birthday": _("Birthday (day and month)"),
    "home_region": _("Home region"),
    "occupation": _("Occupation"),
    "criminal_case": _("Criminal case (articles and summary)"),
    "sentence": _("Sentence"),
    "court": _("Court and next hearing"),
    "detention_place": _("Place of detention"),
    "letters": _("How to write (address)"),
    "relatives": _("Relatives"),
    "timeline": _("Timeline"),
}

# Parts that also need the matching scope of consent.
CONSENT_FOR_GROUP = {
    "photo": "consent_photo",
    "detention_place": "consent_detention_place",
    "letters": "consent_detention_place",
    "relatives": "consent_relatives",
    "birthday": "consent_birthday",
}


def encode_hidden(groups) -> str:
    """Stored as ",a,b," so that a database LIKE can test one group portably."""
    chosen = sorted(g for g in set(groups) if g in HIDEABLE_GROUPS)
    return f",{','.join(chosen)}," if chosen else ""


def decode_hidden(value: str) -> set[str]:
    return {g for g in (value or "").split(",") if g}


def hidden_lookup(group: str) -> str:
    return f",{group},"


def public_groups(profile) -> frozenset[str]:
    hidden = decode_hidden(profile.hidden_fields)
    visible = set()
    for group in HIDEABLE_GROUPS:
        if group in hidden:
            continue
        consent_field = CONSENT_FOR_GROUP.get(group)
        if consent_field and not getattr(profile, consent_field):
            continue
        visible.add(group)
    return frozenset(visible)
