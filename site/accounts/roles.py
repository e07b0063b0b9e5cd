"""Who belongs to which staff role, where more than a permission decides."""

BOARD_GROUP = "Board"


def is_board_member(user) -> bool:
    """A member of the Board group: sees the finances and payees, and approves what
    a colleague drafted. Being a superuser is not enough: four eyes are the Board's."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=BOARD_GROUP).exists()
    )


def is_board_or_superuser(user) -> bool:
    """A Board member or a superuser: may see what needs attention and use the
    repairs that move no money (process Stripe events again, re-run the
    reconciliation). Approving money stays the Board's alone."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or is_board_member(user))
    )
