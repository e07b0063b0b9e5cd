"""Triage reads reports with an unlocked key, assigns them to a member (sealed
again for its readers), replies, accepts one as a draft profile, and retention
destroys the rest."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from nacl.exceptions import CryptoError
from wagtail.models import ModelLogEntry

from intake import crypto, services
from intake.models import Attachment, Entry, Envelope, Recipient, Report
from intake.tasks import send_triage_count
from network.models import CaseHandling
from tests.conftest import admin_in_english, make_user, sign_in_with_totp
from tests.intake_helpers import PASSPHRASE, appoint, recovery_key
from tests.network_factories import MemberFactory

pytestmark = pytest.mark.django_db

CONTENT = {
    "person": "Nariman Dzhelyal",
    "relation": "relative",
    "where": "Simferopol",
    "what_happened": "Detained in September; charged with sabotage.",
    "persecuted_by": ["state"],
    "help_needed": ["lawyer"],
    "contact": "Signal handle nd-family",
}


def staff(django_user_model, email, totp_secret):
    return admin_in_english(
        make_user(
            django_user_model, email=email, group="Moderators", totp_secret=totp_secret
        )
    )


@pytest.fixture
def triage(django_user_model, totp_secret):
    recovery_key()
    return appoint(staff(django_user_model, "triage@example.org", totp_secret))


@pytest.fixture
def member():
    return MemberFactory(name="Lopan Legal Aid", is_public=True)


@pytest.fixture
def report(triage):
    return services.submit_report(content=CONTENT, files=[], language="en").report


def unlocked(client, recipient, secret):
    sign_in_with_totp(client, recipient.user, secret)
    response = client.post(
        "/admin/intake/key/", {"action": "unlock", "passphrase": PASSPHRASE}
    )
    assert response.status_code == 302
    return client


def key_of(recipient):
    return crypto.unwrap_private_key(
        wrapped=bytes(recipient.wrapped_private_key),
        passphrase=PASSPHRASE,
        salt=bytes(recipient.kdf_salt),
        ops=recipient.kdf_ops,
        mem=recipient.kdf_mem,
    )


def test_triage_reads_a_report_only_with_the_key_unlocked(
    client, triage, report, totp_secret
):
    sign_in_with_totp(client, triage.user, totp_secret)
    response = client.get(f"/admin/intake/{report.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/intake/key/")
    client.post(
        "/admin/intake/key/", {"action": "unlock", "passphrase": "wrong passphrase!"}
    )
    assert client.get(f"/admin/intake/{report.pk}/").status_code == 302
    client.post("/admin/intake/key/", {"action": "unlock", "passphrase": PASSPHRASE})
    response = client.get(f"/admin/intake/{report.pk}/")
    assert response.status_code == 200
    assert "Nariman Dzhelyal" in response.content.decode()


def test_every_opening_is_in_the_site_history(client, triage, report, totp_secret):
    unlocked(client, triage, totp_secret)
    client.get(f"/admin/intake/{report.pk}/")
    client.get(f"/admin/intake/{report.pk}/")
    entries = ModelLogEntry.objects.filter(
        action="intake.report.open", object_id=str(report.pk)
    )
    assert entries.count() == 2
    assert {e.user_id for e in entries} == {triage.user.pk}
    assert "Nariman" not in str(list(entries.values_list("data", "label")))


def test_the_key_cannot_be_unlocked_without_the_second_factor(triage, rf):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from intake import keys

    request = rf.post("/admin/intake/key/")
    request.user, request.session = triage.user, SessionStore()
    with pytest.raises(PermissionDenied):
        keys.unlock(
            request=request,
            response=HttpResponse(),
            recipient=triage,
            passphrase=PASSPHRASE,
        )
    assert keys.SESSION_KEY not in request.session


def test_staff_who_do_not_read_reports_are_refused(
    client, django_user_model, report, totp_secret
):
    other = staff(django_user_model, "moderator@example.org", totp_secret)
    sign_in_with_totp(client, other, totp_secret)
    for url in ("/admin/intake/", f"/admin/intake/{report.pk}/"):
        response = client.get(url)
        # Wagtail answers a refusal by sending staff back to the admin home.
        assert (response.status_code, response.get("Location")) in (
            (403, None),
            (302, "/admin/"),
        )


def test_assigning_seals_the_report_again_for_the_member_and_triage_only(
    triage, report, member, django_user_model
):
    theirs = appoint(
        make_user(django_user_model, email="lopan@example.org"), member=member
    )
    others = appoint(
        make_user(django_user_model, email="other@example.org"), member=MemberFactory()
    )
    old_key = services.report_key(report=report, recipient=triage, key=key_of(triage))
    services.assign_report(
        report=report,
        recipient=triage,
        key=key_of(triage),
        by=triage.user,
        member=member,
    )
    report.refresh_from_db()
    assert report.state == "assigned"
    readers = set(
        Envelope.objects.filter(report=report).values_list("recipient_id", flat=True)
    )
    assert readers == {triage.pk, theirs.pk, None}  # None: the recovery key
    assert not services.visible_reports(recipient=others).exists()
    opened = services.open_report(
        report=report, recipient=theirs, key=key_of(theirs), user=theirs.user
    )
    assert opened[0].content["person"] == "Nariman Dzhelyal"
    with pytest.raises(CryptoError):  # the key of before opens nothing any more
        crypto.unseal(private_key=old_key, data=bytes(report.entries.first().sealed))


def test_only_network_wide_triage_assigns(triage, report, member, django_user_model):
    theirs = appoint(
        make_user(django_user_model, email="lopan@example.org"), member=member
    )
    services.assign_report(
        report=report,
        recipient=triage,
        key=key_of(triage),
        by=triage.user,
        member=member,
    )
    with pytest.raises(Exception, match="network-wide"):
        services.assign_report(
            report=report,
            recipient=theirs,
            key=key_of(theirs),
            by=theirs.user,
            member=MemberFactory(),
        )


def test_a_member_reader_accepts_the_report_as_a_draft_profile(
    triage, report, member, django_user_model, prisoner_index
):
    from prisoners.models import PrisonerPage

    theirs = appoint(
        make_user(django_user_model, email="lopan@example.org"), member=member
    )
    services.assign_report(
        report=report,
        recipient=triage,
        key=key_of(triage),
        by=triage.user,
        member=member,
    )
    services.assess_report(
        report=report,
        recipient=theirs,
        key=key_of(theirs),
        by=theirs.user,
        criteria=["a", "e"],
        note="Charges fabricated.",
    )
    from intake.acceptance import accept_report

    page = accept_report(
        report=report,
        recipient=theirs,
        key=key_of(theirs),
        by=theirs.user,
        title="N. D.",
    )
    page = PrisonerPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.has_unpublished_changes
    assert page.consent_given_on is None and page.consent_given_by == ""
    assert not page.consent_name and page.is_pseudonym
    assert "sabotage" in page.case_summary
    assert "Signal" not in page.case_summary + page.story  # the contact stays
    assert CaseHandling.objects.filter(
        member=member, case_key=page.translation_key
    ).exists()
    report.refresh_from_db()
    assert report.state == "accepted" and report.profile_key == page.translation_key


def test_the_triage_screen_walks_a_report_to_a_member(
    client, triage, report, member, totp_secret
):
    unlocked(client, triage, totp_secret)
    response = client.post(
        f"/admin/intake/{report.pk}/action/",
        {"action": "assess", "criteria": ["b"], "note": "Purely political."},
    )
    assert response.status_code == 302
    client.post(
        f"/admin/intake/{report.pk}/action/", {"action": "assign", "member": member.pk}
    )
    client.post(
        f"/admin/intake/{report.pk}/action/",
        {"action": "reply", "text": "A lawyer will call."},
    )
    report.refresh_from_db()
    assert (report.state, report.member) == ("assigned", member)
    page = client.get(f"/admin/intake/{report.pk}/").content.decode()
    assert "Purely political." in page and "A lawyer will call." in page


def test_bad_triage_input_changes_nothing(client, triage, report, totp_secret):
    unlocked(client, triage, totp_secret)
    response = client.post(
        f"/admin/intake/{report.pk}/action/",
        {"action": "refer", "referred_to": ""},
        follow=True,
    )
    assert "Say to whom" in response.content.decode()
    response = client.post(
        f"/admin/intake/{report.pk}/action/",
        {"action": "accept", "title": " "},
        follow=True,
    )
    report.refresh_from_db()
    assert report.state == "new"


def test_reports_never_accepted_are_destroyed_after_the_retention_period(
    triage, report
):
    kept = services.submit_report(content=CONTENT, files=[], language="en").report
    Report.objects.filter(pk=report.pk).update(
        received_on=datetime.date.today() - datetime.timedelta(days=91)
    )
    destroyed = services.destroy_expired_reports(
        today=datetime.date.today(), retention_days=90
    )
    assert destroyed == 1
    assert list(Report.objects.all()) == [kept]
    assert not Entry.objects.filter(report_id=report.pk).exists()
    assert not Envelope.objects.filter(report_id=report.pk).exists()


def test_accepted_reports_go_once_the_profile_exists_and_materials_moved(
    triage, report, prisoner_index
):
    from intake.acceptance import accept_report

    key = key_of(triage)
    accept_report(
        report=report, recipient=triage, key=key, by=triage.user, title="N. D."
    )
    Report.objects.filter(pk=report.pk).update(
        received_on=datetime.date.today() - datetime.timedelta(days=400)
    )
    assert (
        services.destroy_expired_reports(today=datetime.date.today(), retention_days=90)
        == 0
    )
    services.mark_materials_moved(
        report=report, recipient=triage, key=key, by=triage.user
    )
    assert (
        services.destroy_expired_reports(today=datetime.date.today(), retention_days=90)
        == 1
    )
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_the_daily_email_says_how_many_and_nothing_else(
    triage, report, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_triage_count() == 1
    message = mail.outbox[0]
    assert message.to == ["triage@example.org"]
    assert "1 report" in message.subject
    text = message.subject + message.body
    for value in CONTENT.values():
        for word in value if isinstance(value, list) else [value]:
            assert word not in text


def test_the_admin_menu_and_home_show_the_count(client, triage, report, totp_secret):
    sign_in_with_totp(client, triage.user, totp_secret)
    page = client.get("/admin/").content.decode()
    assert "1 report waits for triage." in page
    assert "Case reports (1)" in page


def test_a_new_key_loses_old_reports_until_the_recovery_key_restores_them(
    django_user_model, totp_secret
):
    recovery = recovery_key()
    triage = appoint(staff(django_user_model, "triage@example.org", totp_secret))
    report = services.submit_report(content=CONTENT, files=[], language="en").report
    from intake import keys

    keys.create_key(recipient=triage, passphrase="a brand new passphrase")
    assert not services.visible_reports(recipient=triage).exists()
    assert keys.recover_with(recovery_private=recovery, recipient=triage) == 1
    new_key = crypto.unwrap_private_key(
        wrapped=bytes(triage.wrapped_private_key),
        passphrase="a brand new passphrase",
        salt=bytes(triage.kdf_salt),
        ops=triage.kdf_ops,
        mem=triage.kdf_mem,
    )
    opened = services.open_report(
        report=report, recipient=triage, key=new_key, user=triage.user
    )
    assert opened[0].content["person"] == "Nariman Dzhelyal"


def test_without_any_key_a_report_is_unreadable(triage, report):
    other = crypto.new_key_pair()
    for envelope in Envelope.objects.filter(report=report):
        with pytest.raises(CryptoError):
            crypto.unseal(private_key=other, data=bytes(envelope.sealed_key))


def test_a_superuser_appoints_readers_only_among_a_members_own_staff(
    client, django_user_model, totp_secret, member
):
    admin = admin_in_english(
        make_user(
            django_user_model,
            email="root@example.org",
            is_superuser=True,
            totp_secret=totp_secret,
        )
    )
    outsider = staff(django_user_model, "outsider@example.org", None)
    sign_in_with_totp(client, admin, totp_secret)
    response = client.post(
        "/admin/intake/recipients/",
        {"email": outsider.email, "member": member.pk},
        follow=True,
    )
    assert "Only Lopan Legal Aid" in response.content.decode()
    assert not Recipient.objects.exists()
    client.post("/admin/intake/recipients/", {"email": outsider.email, "member": ""})
    recipient = Recipient.objects.get()
    assert recipient.user == outsider and recipient.is_network_wide
    assert not recipient.has_key  # they choose their own passphrase


def test_an_accepted_reports_files_move_to_the_documents_without_metadata(
    triage, prisoner_index
):
    import io

    from PIL import Image
    from wagtail.documents import get_document_model

    from intake.acceptance import accept_report, move_file_to_documents
    from intake.uploads import PlainFile

    image = Image.new("RGB", (4, 4), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    report = services.submit_report(
        content=CONTENT,
        files=[
            PlainFile(name="court.jpg", content_type="image/jpeg", data=out.getvalue())
        ],
        language="en",
    ).report
    key = key_of(triage)
    attachment = Attachment.objects.get()
    with pytest.raises(ValidationError):  # not before it is accepted
        move_file_to_documents(
            report=report,
            recipient=triage,
            key=key,
            by=triage.user,
            attachment_id=attachment.pk,
        )
    accept_report(
        report=report, recipient=triage, key=key, by=triage.user, title="N. D."
    )
    report.refresh_from_db()
    document = move_file_to_documents(
        report=report,
        recipient=triage,
        key=key,
        by=triage.user,
        attachment_id=attachment.pk,
    )
    assert not Attachment.objects.exists()
    assert document.title == f"{report.reference} — court.jpg"
    assert "court" not in document.file.name  # stored under a random name
    with document.file.open() as f, Image.open(f) as stored:
        assert not stored.getexif()
    assert get_document_model().objects.count() == 1


def test_a_reader_appointed_later_gets_a_report_when_a_colleague_opens_it(
    triage, report, django_user_model
):
    newcomer = appoint(make_user(django_user_model, email="new@example.org"))
    assert not services.visible_reports(recipient=newcomer).exists()
    services.open_report(
        report=report, recipient=triage, key=key_of(triage), user=triage.user
    )
    opened = services.open_report(
        report=report, recipient=newcomer, key=key_of(newcomer), user=newcomer.user
    )
    assert opened[0].content["person"] == "Nariman Dzhelyal"


def test_a_closed_report_takes_no_more_additions(triage, report):
    services.decline_report(
        report=report, recipient=triage, key=key_of(triage), by=triage.user
    )
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.add_from_reporter(report=report, text="More.", files=[])
    assert report.entries.count() == 1
