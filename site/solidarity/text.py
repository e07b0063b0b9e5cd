"""Cleaning text that the public types in: names shown on the site and in exports."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Zero-width non-joiner and joiner spell words in Persian, Arabic and the Indic
# scripts, so they stay where they join two letters; anywhere else they only hide.
_JOINERS = frozenset("\u200c\u200d")
_WHITESPACE = re.compile(r"\s+")


def _is_letter_or_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _invisible(char: str) -> bool:
    # Cc: control characters; Cf: format characters (bidi overrides, embeddings,
    # isolates and marks, zero-width spaces, the byte-order mark, tags); Cs: lone
    # surrogates. None of them belongs in a name, and bidi ones can make a name
    # read as something else.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


def clean_name(value: str) -> str:
    """`value` without control, bidi and other invisible format characters, in NFC,
    with runs of whitespace (tabs and newlines too) as one space, stripped.

    Returns "" for a name made only of such characters: callers refuse it."""
    spaced = "".join(" " if char.isspace() else char for char in value)
    kept = []
    for index, char in enumerate(spaced):
        if char in _JOINERS:
            following = spaced[index + 1 : index + 2]
            if kept and following and _is_letter_or_mark(kept[-1]):
                if _is_letter_or_mark(following):
                    kept.append(char)
            continue
        if not _invisible(char):
            kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    return _WHITESPACE.sub(" ", text).strip()


def has_invisible_characters(value: str) -> bool:
    """Whether `value` holds a control or format character: for fields such as web
    addresses that are refused rather than silently changed."""
    return any(_invisible(char) for char in value)


def typed_name(typed: str) -> str:
    """A name from a form, cleaned; one made only of invisible characters is
    refused rather than saved empty."""
    name = clean_name(typed)
    if typed.strip() and not name:
        raise ValidationError(
            _(
                "This name is made only of invisible or control characters. "
                "Please type it again."
            )
        )
    return name
