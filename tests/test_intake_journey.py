"""The whole way of a case: reported in Ukrainian without JavaScript, assigned to a
member, read by the member's triage person, answered, accepted as a draft profile,
and the reporter reads the answer with their code. The plaintext was never stored."""

import re

import pyotp
import pytest
from django.test import Client

from intake.models import Report
from prisoners.models import PrisonerPage
from tests.conftest import admin_in_english, make_user, sign_in_with_totp
from tests.intake_helpers import PASSPHRASE, appoint, recovery_key
from tests.network_factories import MemberFactory
from tests.test_intake_no_plaintext import every_stored_value

pytestmark = pytest.mark.django_db

WHAT_HAPPENED = "Мого батька Андрія затримали в Херсоні 4 травня; адвоката не пускають."


def reader(django_user_model, email, member=None):
    secret = pyotp.random_base32()
    user = admin_in_english(
        make_user(
            django_user_model, email=email, group="Moderators", totp_secret=secret
        )
    )
    return appoint(user, member=member), secret


def signed_in_and_unlocked(client, recipient, secret):
    sign_in_with_totp(client, recipient.user, secret)
    client.post("/admin/intake/key/", {"action": "unlock", "passphrase": PASSPHRASE})
    return client


def test_a_case_from_report_to_draft_profile(client, django_user_model, prisoner_index):
    recovery_key()
    member = MemberFactory(name="Lopan Legal Aid", is_public=True)
    triage, triage_secret = reader(django_user_model, "triage@example.org")
    lopan, lopan_secret = reader(django_user_model, "lopan@example.org", member=member)

    response = client.post(
        "/uk/report/",
        {
            "person": "Андрій Коваленко",
            "relation": "relative",
            "where": "Херсон",
            "what_happened": WHAT_HAPPENED,
            "persecuted_by": ["state"],
            "help_needed": ["lawyer"],
            "contact": "",
        },
    )
    assert response.status_code == 200
    code = re.search(r"<code>([0-9A-Z-]+)</code>", response.content.decode()).group(1)
    report = Report.objects.get()

    triage_client = signed_in_and_unlocked(Client(), triage, triage_secret)
    triage_client.post(
        f"/admin/intake/{report.pk}/action/", {"action": "assign", "member": member.pk}
    )
    lopan_client = signed_in_and_unlocked(Client(), lopan, lopan_secret)
    assert (
        WHAT_HAPPENED
        in lopan_client.get(f"/admin/intake/{report.pk}/").content.decode()
    )
    lopan_client.post(
        f"/admin/intake/{report.pk}/action/",
        {"action": "reply", "text": "Адвокат зв'яжеться з вами цього тижня."},
    )
    # Until a person accepts it into a draft profile, nothing held it in the clear.
    assert WHAT_HAPPENED.encode() not in every_stored_value()
    assert "Коваленко".encode() not in every_stored_value()
    response = lopan_client.post(
        f"/admin/intake/{report.pk}/action/", {"action": "accept", "title": "А. К."}
    )
    draft = PrisonerPage.objects.get(title="А. К.")
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live and draft.consent_given_on is None

    status = client.post("/uk/report/check/", {"code": code}).content.decode()
    assert "Адвокат зв&#x27;яжеться з вами цього тижня." in status
