"""Email addresses as the site compares them."""


def normalise_email(email: str | None) -> str:
    """The form in which two spellings of one address are equal: trimmed, lower
    case. None and blank give ""."""
    return (email or "").strip().lower()
