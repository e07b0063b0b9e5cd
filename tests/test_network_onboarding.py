"""The Board adds a member in one step (member, groups, first editor, invitation)
and removes one in one step (cases moved on, staff signed out and deactivated,
all in the audit log)."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from network.choices import CaseRole, StaffKind
from network.models import CaseHandling, Member, MemberInvitation, MemberStaffGroup
from network.offboarding import offboard_member
from network.onboarding import onboard_member
from network.services import handle_case
from network.staff import ensure_member_groups, group_name
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from tests.conftest import PASSWORD, add_profile, signed_in

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2024, 1, 1)


@pytest.fixture
def board(django_user_model):
    return signed_in(
        Client(), django_user_model, email="board@example.org", group="Board"
    )


def user_of(client):
    return client.get("/admin/").wsgi_request.user


def onboard(by=None, **overrides):
    fields = {
        "name": "Kharkiv Aid",
        "slug": "kharkiv-aid",
        "country": "UA",
        "joined_on": JOINED,
        "is_public": True,
        "first_editor_email": "First.Editor@Example.org",
        "by": by,
        "language": "en",
        **overrides,
    }
    return onboard_member(**fields)


def invitation_link(email):
    rows = OutboxMessage.objects.filter(template="network/email/invitation")
    for row in rows:
        message = outbox_open(message=row)
        if message.to == [email]:
            return re.search(r"https?://\S+", message.body).group(0)
    raise AssertionError(f"no invitation to {email}")


def make_member(name, **fields):
    member = Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        joined_on=JOINED,
        is_public=True,
        **fields,
    )
    ensure_member_groups(member=member)
    return member


# --- Onboarding -----------------------------------------------------------------


def test_onboarding_creates_the_member_its_groups_its_editor_and_the_invitation():
    member = onboard()

    assert member.is_current and member.is_public
    kinds = set(MemberStaffGroup.objects.filter(member=member).values_list("kind"))
    assert kinds == {(StaffKind.EDITORS,), (StaffKind.MODERATORS,)}
    editor = User.objects.get(username="first.editor@example.org")
    assert editor.email == "first.editor@example.org"
    assert editor.is_active and not editor.has_usable_password()
    assert list(editor.groups.values_list("name", flat=True)) == [
        group_name(member, StaffKind.EDITORS)
    ]
    assert EmailAddress.objects.filter(user=editor, verified=True).exists()
    assert MemberInvitation.objects.filter(member=member, user=editor).exists()
    assert "/accounts/password/reset/key/" in invitation_link(editor.email)
    assert ModelLogEntry.objects.filter(
        object_id=str(member.pk), action="network.onboard"
    ).exists()


def test_an_address_that_already_has_an_account_is_refused_and_nothing_is_created(
    donor,
):
    with pytest.raises(ValidationError, match="already exists"):
        onboard(first_editor_email=" DONOR@example.org ")

    assert not Member.objects.exists()
    assert not Group.objects.filter(name__startswith="Kharkiv Aid").exists()
    assert not MemberInvitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_invited_editor_sets_a_password_then_must_set_up_totp_before_the_admin(
    client,
):
    onboard()
    link = invitation_link("first.editor@example.org")

    response = client.get(link)  # allauth moves the key out of the address
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    client.post(
        "/en/accounts/login/",
        {"login": "first.editor@example.org", "password": PASSWORD},
    )
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/2fa/totp/activate/" in response["Location"]


def test_only_the_board_and_superusers_may_open_the_onboarding_form(
    board, django_user_model
):
    editor = signed_in(
        Client(), django_user_model, email="ed@example.org", group="Editors"
    )
    moderator = signed_in(
        Client(), django_user_model, email="mod@example.org", group="Moderators"
    )

    assert board.get("/admin/member/new/").status_code == 200
    for client in (editor, moderator):
        assert client.get("/admin/member/new/").status_code in (302, 403)
        client.post(
            "/admin/member/new/",
            {
                "name": "Forged",
                "slug": "forged",
                "country": "UA",
                "joined_on": "2024-01-01",
                "first_editor_email": "forged@example.org",
            },
        )
    assert not Member.objects.exists()


def test_the_board_onboards_a_member_through_the_admin_form(board):
    response = board.post(
        "/admin/member/new/",
        {
            "name": "Crimea Watch",
            "slug": "crimea-watch",
            "country": "UA",
            "joined_on": "2024-03-01",
            "is_public": "on",
            "first_editor_email": "lead@crimea.example",
        },
    )

    assert response.status_code == 302
    member = Member.objects.get(slug="crimea-watch")
    invitation = MemberInvitation.objects.get(member=member)
    assert invitation.user.email == "lead@crimea.example"
    assert invitation.invited_by == user_of(board)


def test_the_admin_form_says_when_the_address_is_taken(board, donor):
    response = board.post(
        "/admin/member/new/",
        {
            "name": "Crimea Watch",
            "slug": "crimea-watch",
            "country": "UA",
            "joined_on": "2024-03-01",
            "first_editor_email": "donor@example.org",
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Member.objects.exists()


# --- Offboarding ----------------------------------------------------------------


@pytest.fixture
def leaving(prisoner_index, django_user_model):
    """A member with two cases, one shared with the staying member, and an editor
    signed in to the admin."""
    leaving, staying = make_member("Leaving Aid"), make_member("Staying Aid")
    alone = add_profile(prisoner_index, title="Olena Alone")
    shared = add_profile(prisoner_index, title="Taras Shared")
    handle_case(member=leaving, case_key=alone.translation_key, role=CaseRole.ADVOCACY)
    handle_case(
        member=leaving, case_key=shared.translation_key, role=CaseRole.DOCUMENTS
    )
    handle_case(
        member=staying, case_key=shared.translation_key, role=CaseRole.LEGAL_DEFENCE
    )
    editor = signed_in(
        Client(),
        django_user_model,
        email="leaving-editor@example.org",
        group=group_name(leaving, StaffKind.EDITORS),
    )
    return {
        "member": leaving,
        "staying": staying,
        "alone": alone,
        "shared": shared,
        "editor": editor,
    }


def test_offboarding_moves_the_cases_and_keeps_the_other_members_own_rows(leaving):
    record = offboard_member(
        member=leaving["member"],
        reassign_to=leaving["staying"],
        ended_on=datetime.date(2025, 6, 1),
        by=None,
    )

    staying = leaving["staying"]
    roles = dict(
        CaseHandling.objects.filter(member=staying).values_list("case_key", "role")
    )
    assert roles == {
        leaving["alone"].translation_key: CaseRole.ADVOCACY,
        leaving["shared"].translation_key: CaseRole.LEGAL_DEFENCE,
    }
    assert not CaseHandling.objects.filter(member=leaving["member"]).exists()
    assert {c["outcome"] for c in record["cases"]} == {"moved", "merged"}
    leaving["member"].refresh_from_db()
    assert leaving["member"].ended_on == datetime.date(2025, 6, 1)
    assert not Member.objects.public().filter(pk=leaving["member"].pk).exists()
    assert (
        leaving["alone"]
        .permissions_for_user(User.objects.get(email="leaving-editor@example.org"))
        .can_edit()
        is False
    )


def test_offboarding_signs_the_staff_out_at_once_and_deactivates_them(leaving):
    editor_client = leaving["editor"]
    assert editor_client.get("/admin/").status_code == 200

    offboard_member(
        member=leaving["member"],
        reassign_to=leaving["staying"],
        ended_on=datetime.date(2025, 6, 1),
        by=None,
    )

    response = editor_client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    editor = User.objects.get(email="leaving-editor@example.org")
    assert not editor.is_active
    assert not editor.groups.exists()


def test_staff_who_also_belong_to_another_group_keep_their_account(leaving):
    editor = User.objects.get(email="leaving-editor@example.org")
    editor.groups.add(Group.objects.get(name="Editors"))

    offboard_member(
        member=leaving["member"],
        reassign_to=leaving["staying"],
        ended_on=datetime.date(2025, 6, 1),
        by=None,
    )

    editor.refresh_from_db()
    assert editor.is_active
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert leaving["editor"].get("/admin/").status_code == 302  # signed out


def test_offboarding_without_a_target_is_refused_when_a_case_would_be_orphaned(
    leaving,
):
    with pytest.raises(ValidationError, match="Olena Alone"):
        offboard_member(
            member=leaving["member"],
            reassign_to=None,
            ended_on=datetime.date(2025, 6, 1),
            by=None,
        )

    leaving["member"].refresh_from_db()
    assert leaving["member"].is_current
    assert CaseHandling.objects.filter(member=leaving["member"]).count() == 2
    assert User.objects.get(email="leaving-editor@example.org").is_active
    assert leaving["editor"].get("/admin/").status_code == 200


def test_offboarding_without_a_target_removes_rows_where_others_carry_on(leaving):
    alone = leaving["alone"]
    CaseHandling.objects.filter(case_key=alone.translation_key).delete()

    offboard_member(
        member=leaving["member"],
        reassign_to=None,
        ended_on=datetime.date(2025, 6, 1),
        by=None,
    )

    assert list(
        CaseHandling.objects.filter(
            case_key=leaving["shared"].translation_key
        ).values_list("member__name", flat=True)
    ) == ["Staying Aid"]


def test_offboarding_is_in_the_audit_log_with_where_each_case_went(leaving, board):
    board.post(
        f"/admin/member/offboard/{leaving['member'].pk}/",
        {
            "reassign_to": leaving["staying"].pk,
            "ended_on": "2025-06-01",
            "confirm": "on",
        },
    )

    entry = ModelLogEntry.objects.get(
        object_id=str(leaving["member"].pk), action="network.offboard"
    )
    assert entry.user == user_of(board)
    assert entry.data["reassigned_to"] == leaving["staying"].pk
    assert {c["title"]: c["outcome"] for c in entry.data["cases"]} == {
        "Olena Alone": "moved",
        "Taras Shared": "merged",
    }


def test_the_offboarding_form_asks_whom_to_reassign_to_when_cases_would_be_orphaned(
    leaving, board
):
    response = board.post(
        f"/admin/member/offboard/{leaving['member'].pk}/",
        {"reassign_to": "", "ended_on": "2025-06-01", "confirm": "on"},
    )

    assert response.status_code == 200
    assert "Choose the member who takes them over" in response.content.decode()
    leaving["member"].refresh_from_db()
    assert leaving["member"].is_current


def test_only_the_board_and_superusers_may_offboard(leaving, django_user_model):
    moderator = signed_in(
        Client(), django_user_model, email="mod@example.org", group="Moderators"
    )
    for client in (moderator, leaving["editor"]):
        response = client.post(
            f"/admin/member/offboard/{leaving['member'].pk}/",
            {
                "reassign_to": leaving["staying"].pk,
                "ended_on": "2025-06-01",
                "confirm": "on",
            },
        )
        assert response.status_code in (302, 403)
    leaving["member"].refresh_from_db()
    assert leaving["member"].is_current


def test_members_cannot_be_deleted_from_the_admin(board):
    member = make_member("Kept Aid")

    response = board.post(f"/admin/member/delete/{member.pk}/")

    assert response.status_code in (302, 404)  # no such admin page
    with pytest.raises(NoReverseMatch):
        reverse("member:delete", args=[member.pk])
    assert Member.objects.filter(pk=member.pk).exists()
