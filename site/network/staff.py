"""A member's staff groups: what its editors and moderators may do beyond the
pages of its cases (network.access gives those)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

from .access import sync_member_access
from .choices import StaffKind
from .models import Member, MemberStaffGroup

# Model rights like the network-wide groups', without the network-wide reach:
# signatures, the outbox and translations of other members' pages stay out.
MODEL_RIGHTS = {
    StaffKind.EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("prisoners", "view_region"),
        ("prisoners", "view_criminalarticle"),
        ("prisoners", "view_detentionplace"),
        ("campaigns", "view_campaigntheme"),
    ],
    StaffKind.MODERATORS: [
        ("wagtailadmin", "access_admin"),
        ("prisoners", "view_region"),
        ("prisoners", "view_criminalarticle"),
        ("prisoners", "view_detentionplace"),
        ("campaigns", "view_campaigntheme"),
    ],
}
MEDIA_RIGHTS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
KIND_NAMES = {StaffKind.EDITORS: "editors", StaffKind.MODERATORS: "moderators"}


def group_name(member: Member, kind: str) -> str:
    return f"{member.name} — {KIND_NAMES[kind]}"


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_member_groups(*, member: Member) -> dict[str, Group]:
    """The member's editors' and moderators' groups, created with their rights if
    missing. Moderators also review the member's pages in the two-person review."""
    from prisoners.models.workflow import DifferentPersonApprovalTask

    groups = {}
    root_collection = Collection.get_first_root_node()
    for kind in (StaffKind.EDITORS, StaffKind.MODERATORS):
        staff_group = (
            MemberStaffGroup.objects.filter(member=member, kind=kind)
            .select_related("group")
            .first()
        )
        if staff_group is None:
            group, _ = Group.objects.get_or_create(name=group_name(member, kind))
            MemberStaffGroup.objects.create(member=member, group=group, kind=kind)
        else:
            group = staff_group.group
        group.permissions.add(*(_permission(*r) for r in MODEL_RIGHTS[kind]))
        for app_label, codename in MEDIA_RIGHTS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(app_label, codename),
            )
        groups[kind] = group
    for task in DifferentPersonApprovalTask.objects.all():
        task.groups.add(groups[StaffKind.MODERATORS])
    sync_member_access(member=member)
    return groups
