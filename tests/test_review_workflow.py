"""Nothing about a person goes public without a second person: an editor submits,
a different moderator approves; scheduled publishing and unpublishing work."""

import datetime

import pyotp
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from home.tasks import publish_scheduled_pages
from prisoners.models import PrisonerPage
from tests.conftest import make_user, sign_in_with_totp
from tests.factories import PrisonerPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, email="ed@example.org", group="Editors")


@pytest.fixture
def moderators(django_user_model):
    secrets = [pyotp.random_base32(), pyotp.random_base32()]
    users = [
        make_user(
            django_user_model,
            email=f"mod{n}@example.org",
            group="Moderators",
            totp_secret=secret,
        )
        for n, secret in enumerate(secrets)
    ]
    return list(zip(users, secrets, strict=True))


@pytest.fixture
def draft(prisoner_index, editor):
    page = PrisonerPageFactory(parent=prisoner_index, title="New Person", live=False)
    page.save_revision(user=editor)
    return page


def submit(page, user):
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    state = workflow.start(page, user)
    return revision, state


def test_the_review_workflow_covers_every_page_from_a_migration(prisoner_index):
    page = PrisonerPageFactory(parent=prisoner_index)
    workflow = page.get_workflow()

    assert workflow.name == "Two-person review"
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["Moderators"]


def test_an_editor_submits_and_a_moderator_approves_and_publishes(
    draft, editor, moderators
):
    moderator, _ = moderators[0]
    _, state = submit(draft, editor)
    task = state.current_task_state.task.specific

    assert task.get_actions(draft, editor) == []
    assert [a[0] for a in task.get_actions(draft, moderator)][:2] == [
        "reject",
        "approve",
    ]
    task.on_action(state.current_task_state, moderator, "approve")

    draft.refresh_from_db()
    assert draft.live


def test_a_moderator_cannot_approve_their_own_change(draft, moderators):
    author, _ = moderators[0]
    other, _ = moderators[1]
    _, state = submit(draft, author)
    task = state.current_task_state.task.specific

    assert task.get_actions(draft, author) == []
    assert not task.get_task_states_user_can_moderate(author).exists()
    with pytest.raises(PermissionDenied):
        task.on_action(state.current_task_state, author, "approve")
    draft.refresh_from_db()
    assert not draft.live

    task.on_action(state.current_task_state, other, "approve")
    draft.refresh_from_db()
    assert draft.live


def test_a_rejected_change_stays_unpublished(draft, editor, moderators):
    moderator, _ = moderators[0]
    _, state = submit(draft, editor)

    state.current_task_state.task.specific.on_action(
        state.current_task_state, moderator, "reject"
    )

    draft.refresh_from_db()
    assert not draft.live


def test_the_editor_offers_moderators_no_direct_publish_button(
    client, draft, moderators, home_pages
):
    moderator, secret = moderators[0]
    sign_in_with_totp(client, moderator, secret)

    html = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()

    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_a_forged_publish_request_from_a_moderator_publishes_nothing(
    client, draft, moderators, home_pages
):
    moderator, secret = moderators[0]
    sign_in_with_totp(client, moderator, secret)

    response = client.post(
        f"/admin/pages/{draft.pk}/edit/", {"title": "Sneaky", "action-publish": "1"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.title == "New Person"


def test_revisions_are_kept_and_logged(draft, editor):
    draft.title = "Second draft"
    submit(draft, editor)

    assert draft.revisions.count() >= 2
    assert PageLogEntry.objects.filter(page=draft).exists()


def test_scheduled_publishing_and_unpublishing_happen_in_the_background(draft):
    now = timezone.now()
    draft.go_live_at = now + datetime.timedelta(hours=1)
    draft.expire_at = now + datetime.timedelta(hours=2)
    revision = draft.save_revision()
    revision.publish()
    draft.refresh_from_db()
    assert not draft.live and revision.approved_go_live_at

    # An hour passes: the approved time, and the page's own, are now in the past.
    past = now - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    publish_scheduled_pages.delay()
    assert Page.objects.get(pk=draft.pk).live

    PrisonerPage.objects.filter(pk=draft.pk).update(
        expire_at=now - datetime.timedelta(minutes=1)
    )
    publish_scheduled_pages.delay()
    assert not Page.objects.get(pk=draft.pk).live
