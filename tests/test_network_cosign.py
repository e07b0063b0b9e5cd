"""A member's staff co-sign a joint statement for their organisation from the
admin: once, counted at once, and nobody else may sign in its name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.choices import SignatureStatus, SignerKind, WhoMaySign
from campaigns.models import Signature
from campaigns.selectors import public_signatories, signature_counts
from network.choices import StaffKind
from network.cosign import AlreadySigned, member_cosign, member_digest
from network.models import Member
from network.staff import ensure_member_groups, group_name
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def make_member(name, *, is_public=True):
    member = Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        website="https://example.org/",
        joined_on=datetime.date(2024, 1, 1),
        is_public=is_public,
    )
    ensure_member_groups(member=member)
    return member


@pytest.fixture
def member():
    return make_member("Kharkiv Aid")


@pytest.fixture
def member_editor(django_user_model, member):
    return signed_in(
        Client(),
        django_user_model,
        email="x@example.org",
        group=group_name(member, StaffKind.EDITORS),
    )


def user_of(client):
    return client.get("/admin/").wsgi_request.user


def cosign(client, statement, member):
    return client.post(f"/admin/network/cosign/{statement.pk}/", {"member": member.pk})


def test_member_staff_co_sign_once_and_it_counts_at_once(
    statement, member, member_editor
):
    response = cosign(member_editor, statement, member)

    assert response.status_code == 302
    signature = Signature.objects.get(statement_key=statement.translation_key)
    assert signature.kind == SignerKind.ORGANISATION
    assert signature.name == "Kharkiv Aid"
    assert signature.status == SignatureStatus.CONFIRMED
    assert signature.approved and signature.email == ""
    assert signature_counts(statement.translation_key).organisations == 1
    assert [s.name for s in public_signatories(statement.translation_key)] == [
        "Kharkiv Aid"
    ]
    assert ModelLogEntry.objects.filter(
        action="network.cosign", object_id=str(signature.pk)
    ).get().user == user_of(member_editor)


def test_a_second_co_signature_is_refused_with_a_message_and_counts_once(
    statement, member, member_editor
):
    cosign(member_editor, statement, member)

    response = cosign(member_editor, statement, member)
    page = member_editor.get(response["Location"]).content.decode()

    assert "already signed" in page
    assert Signature.objects.count() == 1
    assert signature_counts(statement.translation_key).total == 1
    with pytest.raises(AlreadySigned):
        member_cosign(statement=statement, member=member, by=user_of(member_editor))


def test_the_database_refuses_a_double_even_past_the_service(
    statement, member, member_editor
):
    cosign(member_editor, statement, member)
    twin = Signature.objects.get()
    twin.pk = None

    with pytest.raises(IntegrityError):
        twin.save()


def test_the_member_key_cannot_be_an_email_digest(statement, member):
    from campaigns.services import email_digest

    assert member_digest(
        statement_key=statement.translation_key, member=member
    ) != email_digest(statement_key=statement.translation_key, email="x@example.org")


def test_staff_of_another_member_or_network_staff_cannot_sign_for_a_member(
    statement, member, django_user_model
):
    other = make_member("Crimea Watch")
    other_editor = signed_in(
        Client(),
        django_user_model,
        email="y@example.org",
        group=group_name(other, StaffKind.EDITORS),
    )
    network_editor = signed_in(
        Client(), django_user_model, email="ed@example.org", group="Editors"
    )

    # The admin answers a refusal by sending them back to its home page.
    refused = (302, 403)
    assert cosign(other_editor, statement, member).status_code in refused
    url = f"/admin/network/cosign/{statement.pk}/"
    assert network_editor.get(url).status_code in refused
    assert cosign(network_editor, statement, member).status_code in refused
    assert not Signature.objects.exists()
    with pytest.raises(PermissionDenied):
        member_cosign(statement=statement, member=member, by=user_of(other_editor))


def test_a_closed_or_unpublished_statement_cannot_be_co_signed(
    statement, member, member_editor
):
    statement.closes_at = timezone.now() - datetime.timedelta(days=1)
    statement.save()
    response = cosign(member_editor, statement, member)
    assert "closed" in member_editor.get(response["Location"]).content.decode()

    statement.closes_at = None
    statement.who_may_sign = WhoMaySign.INDIVIDUALS
    statement.save()
    cosign(member_editor, statement, member)

    statement.who_may_sign = WhoMaySign.BOTH
    statement.save()
    statement.unpublish()
    cosign(member_editor, statement, member)

    assert not Signature.objects.exists()


def test_a_member_that_keeps_its_membership_private_is_counted_but_not_named(
    statement, django_user_model
):
    private = make_member("Quiet Aid", is_public=False)
    editor = signed_in(
        Client(),
        django_user_model,
        email="q@example.org",
        group=group_name(private, StaffKind.EDITORS),
    )

    cosign(editor, statement, private)

    assert signature_counts(statement.translation_key).organisations == 1
    assert not public_signatories(statement.translation_key).exists()


def test_member_staff_see_the_open_statements_and_the_button(
    statement, member, member_editor
):
    page = member_editor.get("/admin/network/cosign/").content.decode()

    assert statement.title in page
    assert "Co-sign for Kharkiv Aid" in page
