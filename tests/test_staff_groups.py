"""The staff groups exist from the first migration, with what each role needs."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_editors_moderators_and_board_groups_are_created_by_a_migration():
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Editors", "Moderators", "Board"} <= names
    for name in ("Editors", "Moderators", "Board"):
        assert (
            Group.objects.get(name=name)
            .permissions.filter(codename="access_admin")
            .exists()
        )


def test_editors_can_edit_pages_but_not_publish_them(django_user_model):
    editor = make_user(django_user_model, email="e@example.org", group="Editors")
    home = Page.objects.get(depth=2)

    permissions = home.permissions_for_user(editor)

    assert permissions.can_edit()
    assert not permissions.can_publish()


def test_moderators_can_publish_pages(django_user_model):
    moderator = make_user(django_user_model, email="m@example.org", group="Moderators")
    home = Page.objects.get(depth=2)

    assert home.permissions_for_user(moderator).can_publish()


def test_the_board_can_open_the_admin_but_not_edit_pages(django_user_model):
    board = make_user(django_user_model, email="b@example.org", group="Board")
    home = Page.objects.get(depth=2)

    assert board.has_perm("wagtailadmin.access_admin")
    assert not home.permissions_for_user(board).can_edit()
