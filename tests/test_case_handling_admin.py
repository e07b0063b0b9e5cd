"""Who handles which case is set in the admin by the network-wide staff only: a
member's editor who could name their member on another case would give
themselves that case's pages."""

import datetime

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from network.choices import CaseRole, StaffKind
from network.models import CaseHandling, Member
from network.services import handle_case
from network.staff import ensure_member_groups, group_name
from tests.conftest import add_profile, signed_in

pytestmark = pytest.mark.django_db


def make_member(name, *, is_public=True):
    member = Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        joined_on=datetime.date(2024, 1, 1),
        is_public=is_public,
    )
    ensure_member_groups(member=member)
    return member


@pytest.fixture
def setting(prisoner_index, django_user_model):
    ours, theirs = make_member("Kharkiv Aid"), make_member("Crimea Watch")
    their_case = add_profile(prisoner_index, title="Taras Theirs")
    handle_case(
        member=theirs, case_key=their_case.translation_key, role=CaseRole.DOCUMENTS
    )
    editor = signed_in(
        Client(),
        django_user_model,
        email="x@example.org",
        group=group_name(ours, StaffKind.EDITORS),
    )
    return {"ours": ours, "theirs": theirs, "case": their_case, "editor": editor}


@pytest.fixture
def moderator(django_user_model):
    return signed_in(
        Client(), django_user_model, email="mod@example.org", group="Moderators"
    )


def add(client, *, member, profile, role=CaseRole.LEGAL_DEFENCE, role_public=True):
    data = {"member": member.pk, "profile": profile.pk, "role": role}
    if role_public:
        data["role_public"] = "on"
    return client.post("/admin/casehandling/new/", data)


def test_a_network_moderator_names_a_member_on_a_case_and_its_staff_get_the_pages(
    setting, moderator
):
    case, ours = setting["case"], setting["ours"]

    response = add(moderator, member=ours, profile=case, role_public=False)

    assert response.status_code == 302
    handling = CaseHandling.objects.get(member=ours, case_key=case.translation_key)
    assert handling.role == CaseRole.LEGAL_DEFENCE and not handling.role_public
    editor = setting["editor"].get("/admin/").wsgi_request.user
    assert case.permissions_for_user(editor).can_edit()
    assert ModelLogEntry.objects.filter(
        object_id=str(handling.pk), action="wagtail.edit"
    ).exists()


def test_the_board_changes_a_role_and_removes_a_member_from_a_case(
    setting, django_user_model
):
    board = signed_in(
        Client(), django_user_model, email="board@example.org", group="Board"
    )
    handling = CaseHandling.objects.get(member=setting["theirs"])

    board.post(
        f"/admin/casehandling/edit/{handling.pk}/",
        {"role": CaseRole.EXPERT_OPINION, "role_public": "on"},
    )
    handling.refresh_from_db()
    assert handling.role == CaseRole.EXPERT_OPINION

    board.post(f"/admin/casehandling/delete/{handling.pk}/")
    assert not CaseHandling.objects.filter(pk=handling.pk).exists()


def test_a_member_editor_forging_a_post_cannot_add_their_member_to_another_case(
    setting,
):
    editor, case, ours = setting["editor"], setting["case"], setting["ours"]

    assert editor.get("/admin/casehandling/").status_code in (302, 403)
    response = add(editor, member=ours, profile=case)

    assert response.status_code in (302, 403)
    assert not CaseHandling.objects.filter(member=ours).exists()
    user = editor.get("/admin/").wsgi_request.user
    assert not case.permissions_for_user(user).can_edit()


def test_a_member_editor_cannot_change_or_remove_another_members_handling(setting):
    handling = CaseHandling.objects.get(member=setting["theirs"])
    editor = setting["editor"]

    editor.post(
        f"/admin/casehandling/edit/{handling.pk}/",
        {"role": CaseRole.EXPERT_OPINION, "role_public": "on"},
    )
    editor.post(f"/admin/casehandling/delete/{handling.pk}/")

    handling.refresh_from_db()
    assert handling.role == CaseRole.DOCUMENTS


def test_naming_a_member_twice_on_one_case_is_refused_with_a_message(
    setting, moderator
):
    response = add(moderator, member=setting["theirs"], profile=setting["case"])

    assert response.status_code == 200
    assert "already works on this case" in response.content.decode()
    assert CaseHandling.objects.filter(member=setting["theirs"]).count() == 1


def test_the_profile_editor_says_who_handles_the_case(setting, moderator):
    response = moderator.get(f"/admin/pages/{setting['case'].pk}/edit/")

    assert "Handled by: Crimea Watch (Documents the case)" in response.content.decode()


def test_member_staff_are_not_told_of_members_that_keep_membership_private(
    setting, prisoner_index
):
    quiet = make_member("Quiet Aid", is_public=False)
    case = add_profile(prisoner_index, title="Shared Case")
    handle_case(member=setting["ours"], case_key=case.translation_key, role="advocacy")
    handle_case(member=quiet, case_key=case.translation_key, role="documents")

    page = setting["editor"].get(f"/admin/pages/{case.pk}/edit/").content.decode()

    assert "Handled by: Kharkiv Aid (Advocacy)" in page
    assert "Quiet Aid" not in page
