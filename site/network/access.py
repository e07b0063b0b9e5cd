"""What a member's staff may touch in the admin, enforced by Wagtail's own page
permissions: one GroupPagePermission row per member group and page, recomputed
from the cases the member handles. Because the rows are Wagtail's, every path
(edit, publish, move, delete, revert, bulk actions, the admin API, admin search)
asks the same question and gets the same answer."""

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from .choices import StaffKind
from .models import CaseHandling, Member, MemberStaffGroup

# Per page the member works on. "add" is given on the index pages instead, so that
# a member's editor can draft a new profile, campaign or statement (and, as its
# owner, go on editing it) without reaching anyone else's.
PAGE_RIGHTS = {
    StaffKind.EDITORS: ("change_page", "lock_page"),
    StaffKind.MODERATORS: ("change_page", "lock_page", "publish_page", "unlock_page"),
}
INDEX_RIGHTS = ("add_page",)
INDEX_MODELS = (
    ("prisoners", "prisonerindexpage"),
    ("campaigns", "campaignindexpage"),
    ("campaigns", "statementindexpage"),
)


def handled_case_keys(member: Member) -> set:
    return set(
        CaseHandling.objects.filter(member=member).values_list("case_key", flat=True)
    )


def member_pages(member: Member) -> set[int]:
    """Every language version of the profiles the member handles, of the campaigns
    about them and of those campaigns' statements (statements under a campaign
    follow from the campaign: Wagtail's rights reach a page's descendants)."""
    from campaigns.models import CampaignPage, CampaignPrisoner
    from prisoners.models import PrisonerPage

    keys = handled_case_keys(member)
    if not keys:
        return set()
    profiles = PrisonerPage.objects.filter(translation_key__in=keys)
    campaign_keys = set(
        CampaignPage.objects.filter(
            pk__in=CampaignPrisoner.objects.filter(prisoner__in=profiles).values(
                "campaign_id"
            )
        ).values_list("translation_key", flat=True)
    )
    campaigns = CampaignPage.objects.filter(translation_key__in=campaign_keys)
    statement_keys = set(
        Page.objects.filter(
            pk__in=campaigns.exclude(statement__isnull=True).values("statement_id")
        ).values_list("translation_key", flat=True)
    )
    pages = set(profiles.values_list("pk", flat=True))
    pages |= set(campaigns.values_list("pk", flat=True))
    pages |= set(
        Page.objects.filter(translation_key__in=statement_keys).values_list(
            "pk", flat=True
        )
    )
    return pages


def index_pages() -> set[int]:
    from django.contrib.contenttypes.models import ContentType

    types = [ContentType.objects.get_by_natural_key(*key) for key in INDEX_MODELS]
    return set(Page.objects.filter(content_type__in=types).values_list("pk", flat=True))


def _permissions(codenames) -> dict[str, Permission]:
    return {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        )
    }


@transaction.atomic
def sync_member_access(*, member: Member) -> None:
    """Make the member groups' page rights exactly what the member's cases give:
    new rows for new pages, none left for cases it no longer handles. A member that
    has left the network keeps no rights at all."""
    groups = list(
        MemberStaffGroup.objects.filter(member=member).select_related("group")
    )
    pages = member_pages(member) if member.is_current else set()
    indexes = index_pages() if member.is_current else set()
    for staff_group in groups:
        rights = PAGE_RIGHTS[staff_group.kind]
        permissions = _permissions((*rights, *INDEX_RIGHTS))
        wanted = {(page, permissions[c].pk) for page in pages for c in rights}
        wanted |= {(page, permissions[c].pk) for page in indexes for c in INDEX_RIGHTS}
        existing = GroupPagePermission.objects.filter(group=staff_group.group)
        have = set(existing.values_list("page_id", "permission_id"))
        stale = have - wanted
        for page_id, permission_id in stale:
            existing.filter(page_id=page_id, permission_id=permission_id).delete()
        GroupPagePermission.objects.bulk_create(
            [
                GroupPagePermission(
                    group=staff_group.group, page_id=page_id, permission_id=perm_id
                )
                for page_id, perm_id in sorted(wanted - have)
            ]
        )


def sync_all_member_access() -> None:
    for member in Member.objects.all():
        sync_member_access(member=member)


def members_of(user) -> list[Member]:
    """The members a staff account works for (usually one)."""
    if not user or not user.is_authenticated:
        return []
    return list(
        Member.objects.current()
        .filter(staff_groups__group__user=user)
        .distinct()
        .order_by("name")
    )


def is_member_staff(user) -> bool:
    return bool(members_of(user))


def member_moderator_groups():
    return MemberStaffGroup.objects.filter(kind=StaffKind.MODERATORS)
