"""Who may import a register: network staff who may add profiles to every
language's register through a network-wide group (Editors, Moderators), and
superusers. A member's own editors also hold "add" on the registers, so that they
can draft their cases; that right comes from a member group and does not count:
an import creates profiles for the whole network."""

from wagtail.models import GroupPagePermission

from network.models import MemberStaffGroup
from prisoners.models import PrisonerIndexPage


def may_import_register(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    member_groups = MemberStaffGroup.objects.values("group_id")
    granted = [
        permission.page.path
        for permission in GroupPagePermission.objects.filter(
            group__user=user, permission__codename="add_page"
        )
        .exclude(group_id__in=member_groups)
        .select_related("page")
    ]
    registers = list(PrisonerIndexPage.objects.values_list("path", flat=True))
    return bool(granted and registers) and all(
        any(path.startswith(prefix) for prefix in granted) for path in registers
    )
