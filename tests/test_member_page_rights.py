"""An editor of one member works on that member's cases and nobody else's: every
way into another member's page (edit, publish, move, delete, revert, copy, bulk
actions, the admin API, admin search, choosers) is refused by Wagtail's own page
permissions, and the two-person review still holds inside a member."""

import datetime

import pytest
from wagtail.models import Page

from network.access import member_pages
from network.choices import CaseRole
from network.models import CaseHandling, Member
from network.services import handle_case, stop_handling
from network.staff import ensure_member_groups, group_name
from prisoners.models import PrisonerPage
from tests.conftest import add_profile, signed_in
from tests.factories import PrisonerPageFactory

pytestmark = pytest.mark.django_db


def make_member(name):
    member = Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        joined_on=datetime.date(2024, 1, 1),
        is_public=True,
    )
    ensure_member_groups(member=member)
    return member


@pytest.fixture
def members(prisoner_index):
    return make_member("Kharkiv Aid"), make_member("Crimea Watch")


@pytest.fixture
def cases(prisoner_index, members):
    x, y = members
    ours = add_profile(prisoner_index, title="Olena Ours")
    theirs = add_profile(prisoner_index, title="Taras Theirs")
    handle_case(member=x, case_key=ours.translation_key, role=CaseRole.LEGAL_DEFENCE)
    handle_case(member=y, case_key=theirs.translation_key, role=CaseRole.DOCUMENTS)
    return ours, theirs


def staff_of(client, django_user_model, member, kind, email):
    return signed_in(
        client, django_user_model, email=email, group=group_name(member, kind)
    )


@pytest.fixture
def our_editor(client, django_user_model, members):
    return staff_of(client, django_user_model, members[0], "editors", "x@example.org")


@pytest.fixture
def their_editor(django_user_model, members):
    from django.test import Client

    return staff_of(Client(), django_user_model, members[1], "editors", "y@example.org")


def refused(response) -> bool:
    """Wagtail answers a page action the user may not take with 403, or by sending
    them back to the admin home with a message."""
    if response.status_code == 302:
        return response["Location"] in ("/admin/", "/uk/admin/", "/en/admin/")
    return response.status_code == 403


def user_of(client):
    return client.get("/admin/").wsgi_request.user


def test_an_editor_may_edit_the_cases_their_member_handles_and_no_others(
    cases, our_editor
):
    ours, theirs = cases
    user = user_of(our_editor)

    assert ours.permissions_for_user(user).can_edit()
    assert not theirs.permissions_for_user(user).can_edit()
    assert our_editor.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    assert refused(our_editor.get(f"/admin/pages/{theirs.pk}/edit/"))


def test_a_forged_save_or_publish_of_another_members_profile_changes_nothing(
    cases, our_editor
):
    _, theirs = cases
    revisions = theirs.revisions.count()

    for action in ({}, {"action-publish": "publish"}, {"action-submit": "submit"}):
        response = our_editor.post(
            f"/admin/pages/{theirs.pk}/edit/",
            {"title": "Forged", "slug": "forged", **action},
        )
        assert refused(response)

    theirs.refresh_from_db()
    assert theirs.title == "Taras Theirs"
    assert theirs.draft_title == "Taras Theirs"
    assert theirs.revisions.count() == revisions


def test_moving_deleting_unpublishing_copying_or_reverting_another_members_profile_is_refused(  # noqa: E501
    cases, our_editor, prisoner_index
):
    _, theirs = cases
    revision = theirs.latest_revision
    forged = [
        ("get", f"/admin/pages/{theirs.pk}/move/"),
        ("post", f"/admin/pages/{theirs.pk}/move/{prisoner_index.pk}/confirm/"),
        ("post", f"/admin/pages/{theirs.pk}/delete/"),
        ("post", f"/admin/pages/{theirs.pk}/unpublish/"),
        ("post", f"/admin/pages/{theirs.pk}/copy/"),
        ("get", f"/admin/pages/{theirs.pk}/revisions/{revision.pk}/revert/"),
        ("post", f"/admin/pages/{theirs.pk}/lock/"),
    ]
    for method, url in forged:
        assert refused(getattr(our_editor, method)(url)), url

    theirs.refresh_from_db()
    assert theirs.live
    assert not theirs.locked
    assert PrisonerPage.objects.filter(title="Taras Theirs").count() == 1


@pytest.mark.parametrize("action", ["delete", "unpublish", "publish", "move"])
def test_a_bulk_action_on_another_members_profile_leaves_it_alone(
    cases, our_editor, action, prisoner_index
):
    _, theirs = cases
    data = {"move_applicable": "on", "chooser": prisoner_index.pk}
    our_editor.post(
        f"/admin/bulk/wagtailcore/page/{action}/?id={theirs.pk}&next=/admin/", data
    )

    theirs.refresh_from_db()
    assert theirs.live
    assert PrisonerPage.objects.filter(pk=theirs.pk).exists()


def test_the_admin_api_and_the_explorer_show_only_our_member_s_pages(
    cases, our_editor, prisoner_index
):
    ours, theirs = cases

    listing = our_editor.get(
        f"/admin/api/main/pages/?child_of={prisoner_index.pk}&for_explorer=1"
    ).json()
    ids = {item["id"] for item in listing["items"]}
    assert ours.pk in ids
    assert theirs.pk not in ids
    detail = our_editor.get(f"/admin/api/main/pages/{theirs.pk}/", follow=True)
    assert detail.status_code == 404

    explorer = our_editor.get(f"/admin/pages/{prisoner_index.pk}/").content.decode()
    assert "Olena Ours" in explorer
    assert "Taras Theirs" not in explorer


def test_admin_search_and_the_page_chooser_show_nothing_of_another_members_drafts(
    cases, our_editor, their_editor, prisoner_index, members
):
    _, theirs = cases
    draft = PrisonerPageFactory(
        parent=prisoner_index, title="Secret Draft Person", live=False
    )
    handle_case(member=members[1], case_key=draft.translation_key, role="documents")
    draft.save_revision(user=user_of(their_editor))

    for client, sees in ((their_editor, True), (our_editor, False)):
        search = client.get("/admin/pages/search/?q=Secret").content.decode()
        assert ("Secret Draft Person" in search) is sees
        chooser = client.get("/admin/choose-page/search/?q=Secret").content.decode()
        assert ("Secret Draft Person" in chooser) is sees

    # Published pages of other members may still be linked to.
    chooser = our_editor.get("/admin/choose-page/search/?q=Taras").content.decode()
    assert "Taras Theirs" in chooser


def test_a_profile_drafted_by_a_members_editor_is_attributed_to_the_member(
    our_editor,
    members,
    prisoner_index,
    their_editor,
    django_capture_on_commit_callbacks,
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = nested_form_data(
        {
            "title": "New Case Person",
            "slug": "new-case-person",
            "is_pseudonym": "on",
            "status": "sentenced",
            "consent_given_by": "family",
            "consent_given_on": "2025-01-01",
            "meets_pace_criteria": "on",
            "spellings": inline_formset([]),
            "timeline_events": inline_formset([]),
            "pace_criteria": inline_formset([]),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = our_editor.post(
            f"/admin/pages/add/prisoners/prisonerpage/{prisoner_index.pk}/", data
        )
    assert response.status_code == 302, response.content.decode()[:3000]

    page = PrisonerPage.objects.get(slug="new-case-person")
    handling = CaseHandling.objects.get(case_key=page.translation_key)
    assert handling.member == members[0]
    assert page.pk in member_pages(members[0])
    assert our_editor.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert refused(their_editor.get(f"/admin/pages/{page.pk}/edit/"))


def test_rights_follow_the_case_when_it_changes_hands(cases, members, our_editor):
    x, y = members
    ours, theirs = cases

    handle_case(member=x, case_key=theirs.translation_key, role=CaseRole.ADVOCACY)
    assert our_editor.get(f"/admin/pages/{theirs.pk}/edit/").status_code == 200

    stop_handling(member=x, case_key=ours.translation_key)
    assert refused(our_editor.get(f"/admin/pages/{ours.pk}/edit/"))


def test_a_new_language_version_of_a_case_is_the_members_at_once(
    cases, members, our_editor, home_pages, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    ours, _ = cases
    ru_index = ours.get_parent().copy_for_translation(
        Locale.objects.get(language_code="ru")
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation = ours.copy_for_translation(Locale.objects.get(language_code="ru"))
    assert ru_index.pk
    assert our_editor.get(f"/admin/pages/{translation.pk}/edit/").status_code == 200


def test_a_members_moderator_reviews_their_members_cases_only_and_never_their_own(
    cases, members, django_user_model
):
    from django.core.exceptions import PermissionDenied

    from tests.conftest import make_user

    x, _ = members
    ours, theirs = cases
    editor = make_user(
        django_user_model, email="ed@x.org", group=group_name(x, "editors")
    )
    moderator = make_user(
        django_user_model, email="mod@x.org", group=group_name(x, "moderators")
    )
    states = {}
    for page in (ours, theirs):
        page.save_revision(user=editor)
        states[page.pk] = page.get_workflow().start(page, editor)
    task = states[ours.pk].current_task_state.task.specific

    assert [a[0] for a in task.get_actions(ours, moderator)][:2] == [
        "reject",
        "approve",
    ]
    assert task.get_actions(theirs, moderator) == []
    moderating = task.get_task_states_user_can_moderate(moderator)
    assert {s.workflow_state.object_id for s in moderating} == {str(ours.pk)}
    with pytest.raises(PermissionDenied):
        task.on_action(states[theirs.pk].current_task_state, moderator, "approve")

    # The author, even as a moderator of the member, cannot approve their own work.
    editor.groups.add(*moderator.groups.all())
    assert task.get_actions(ours, editor) == []


def test_the_network_wide_moderators_still_review_every_case(cases, django_user_model):
    from tests.conftest import make_user

    ours, theirs = cases
    editor = make_user(django_user_model, email="e@n.org", group="Editors")
    moderator = make_user(django_user_model, email="m@n.org", group="Moderators")
    for page in (ours, theirs):
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
    task = Page.objects.get(pk=ours.pk).get_workflow().tasks.get().specific

    moderating = task.get_task_states_user_can_moderate(moderator)
    assert {s.workflow_state.object_id for s in moderating} == {
        str(ours.pk),
        str(theirs.pk),
    }
