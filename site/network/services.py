"""Changing who handles a case. Each change is logged and re-derives the member's
page rights in the same transaction."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .access import sync_member_access
from .choices import CaseRole
from .models import CaseHandling, Member


@transaction.atomic
def handle_case(
    *,
    member: Member,
    case_key: uuid.UUID,
    role: str,
    role_public: bool = True,
    by=None,
) -> CaseHandling:
    """Name `member` as working on the case in `role` (or change its role)."""
    if not member.is_current:
        raise ValidationError(
            _("%(member)s has left the network.") % {"member": member}
        )
    if role not in CaseRole.values:
        raise ValidationError(_("Choose a role from the list."))
    handling, _created = CaseHandling.objects.update_or_create(
        member=member,
        case_key=case_key,
        defaults={"role": role, "role_public": role_public},
    )
    log(instance=handling, action="wagtail.edit", user=by)
    sync_member_access(member=member)
    return handling


@transaction.atomic
def stop_handling(*, member: Member, case_key: uuid.UUID, by=None) -> None:
    for handling in CaseHandling.objects.filter(member=member, case_key=case_key):
        log(instance=handling, action="wagtail.delete", user=by)
        handling.delete()
    sync_member_access(member=member)
