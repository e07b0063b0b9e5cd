"""Removing a member organisation from the network: its cases go to another member
(or stay with the members already beside it), its staff lose the admin at once,
and the audit log keeps what happened. The member's row stays, with `ended_on`,
so its history remains readable; public surfaces stop naming it
(Member.objects.public())."""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .access import sync_member_access
from .models import CaseHandling, Member, MemberStaffGroup

OFFBOARD_ACTION = "network.offboard"


def case_title(case_key) -> str:
    """A case's name for messages and the log: its profile in the current language
    if there is one, else in the site's default language, else any."""
    from prisoners.models import PrisonerPage

    pages = list(
        PrisonerPage.objects.filter(translation_key=case_key)
        .select_related("locale")
        .order_by("pk")
    )
    for language in (
        (translation.get_language() or "").split("-")[0],
        settings.LANGUAGE_CODE,
    ):
        for page in pages:
            if page.locale.language_code == language:
                return page.title
    return pages[0].title if pages else str(case_key)


def orphaned_cases(member: Member) -> list:
    """The cases that nobody but `member` handles."""
    keys = set(member.handlings.values_list("case_key", flat=True))
    shared = set(
        CaseHandling.objects.filter(case_key__in=keys)
        .exclude(member=member)
        .values_list("case_key", flat=True)
    )
    return sorted(keys - shared, key=str)


def staff_of(member: Member):
    """The accounts in any of the member's staff groups."""
    return (
        get_user_model().objects.filter(groups__member_staff__member=member).distinct()
    )


def end_sessions(user_ids: set[int]) -> int:
    """Sign these accounts out everywhere now, where sessions live in the database
    (the db and cached_db engines; cached_db's cache copy goes with it, as the
    store's delete() removes both). Under other engines the sessions cannot be
    listed; deactivated accounts are signed out anyway, as Django refuses an
    inactive user on their next request. Returns how many sessions ended."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not user_ids or not hasattr(store_class, "get_model_class"):
        return 0
    wanted = {str(pk) for pk in user_ids}
    ended = 0
    sessions = store_class.get_model_class().objects.filter(
        expire_date__gt=timezone.now()
    )
    for session in sessions.iterator():
        if str(session.get_decoded().get("_auth_user_id")) in wanted:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def _move_cases(*, member: Member, reassign_to: Member | None, by) -> list[dict]:
    moved = []
    for handling in list(member.handlings.all()):
        entry = {
            "case": str(handling.case_key),
            "title": case_title(handling.case_key),
            "role": handling.role,
        }
        kept = (
            CaseHandling.objects.filter(
                member=reassign_to, case_key=handling.case_key
            ).first()
            if reassign_to
            else None
        )
        if reassign_to is None or kept is not None:
            # The other member's own row (and role) stands; this one goes.
            entry["outcome"] = "merged" if kept else "removed"
            log(instance=handling, action="wagtail.delete", user=by)
            handling.delete()
        else:
            entry["outcome"] = "moved"
            handling.member = reassign_to
            handling.save(update_fields=["member"])
            log(instance=handling, action="wagtail.edit", user=by)
        entry["to"] = reassign_to.pk if reassign_to else None
        moved.append(entry)
    return moved


def _end_staff_access(*, member: Member) -> dict:
    groups = [s.group for s in MemberStaffGroup.objects.filter(member=member)]
    group_ids = {g.pk for g in groups}
    users = list(staff_of(member))
    deactivated = []
    for user in users:
        user.groups.remove(*groups)
        in_other_groups = user.groups.exclude(pk__in=group_ids).exists()
        # A superuser's rights come from no group: never lock out an
        # administrator because they also helped one member.
        if not in_other_groups and not user.is_superuser and user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            deactivated.append(user.pk)
    user_ids = {u.pk for u in users}
    return {
        "staff": sorted(user_ids),
        "deactivated": deactivated,
        "sessions_ended": end_sessions(user_ids),
    }


@transaction.atomic
def offboard_member(
    *,
    member: Member,
    reassign_to: Member | None,
    ended_on: datetime.date,
    by,
) -> dict:
    """Remove `member` from the network on `ended_on`.

    Each case it handles moves to `reassign_to` (where that member already handles
    the case, its own row is kept). With nobody to reassign to, the member's rows
    are removed, but only if every one of its cases has another member working
    on it: otherwise nothing changes and the error names those cases. Its staff
    leave its groups and are signed out at once; accounts left in no group are
    deactivated. Returns what was done, as the audit log records it."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_current:
        raise ValidationError(
            _("%(member)s has already left the network.") % {"member": member}
        )
    if reassign_to is not None:
        if reassign_to.pk == member.pk:
            raise ValidationError(_("Choose another member to take over the cases."))
        if not reassign_to.is_current:
            raise ValidationError(
                _("%(member)s has left the network.") % {"member": reassign_to}
            )
    elif orphans := orphaned_cases(member):
        raise ValidationError(
            _("Nobody else works on %(cases)s. Choose the member who takes them over.")
            % {"cases": ", ".join(f"“{case_title(k)}”" for k in orphans)}
        )
    if ended_on < member.joined_on:
        raise ValidationError(
            _("A member cannot leave before it joined (%(date)s).")
            % {"date": member.joined_on.isoformat()}
        )

    cases = _move_cases(member=member, reassign_to=reassign_to, by=by)
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    staff = _end_staff_access(member=member)
    sync_member_access(member=member)
    if reassign_to is not None:
        sync_member_access(member=reassign_to)
    record = {
        "ended_on": ended_on.isoformat(),
        "reassigned_to": reassign_to.pk if reassign_to else None,
        "reassigned_to_name": reassign_to.name if reassign_to else "",
        "cases": cases,
        **staff,
    }
    log(instance=member, action=OFFBOARD_ACTION, user=by, data=record)
    return record
