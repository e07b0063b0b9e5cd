"""Importing a coalition's register: every row a draft, nothing published, the same
file twice updates rather than doubles, duplicates in any spelling are flagged,
bad rows change nothing, and only network-wide staff may import."""

import datetime
import io

import pytest
import tablib
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from network.models import CaseHandling, Member
from prisoners.models import PrisonerPage, RegisterImport
from prisoners.register_import.parsing import read_register
from prisoners.register_import.services import IMPORT_ACTION, run_import
from tests.conftest import add_profile, signed_in
from tests.factories import PrisonerIndexPageFactory

pytestmark = pytest.mark.django_db

HEADER = "external_id,name_uk,name_ru,name_en,language,status,detained_on,member\n"


@pytest.fixture
def registers(home_pages, prisoner_index):
    return {
        "uk": PrisonerIndexPageFactory(parent=home_pages["uk"], slug="prisoners"),
        "en": prisoner_index,
    }


@pytest.fixture
def member(db):
    return Member.objects.create(
        name="Kharkiv Aid",
        slug="kharkiv-aid",
        country="UA",
        joined_on=datetime.date(2024, 1, 1),
    )


def run(text: str, *, dry_run=False, user=None):
    rows = read_register(content=text.encode(), file_name="register.csv")
    job = RegisterImport.objects.create(
        rows=rows, dry_run=dry_run, file_name="register.csv", created_by=user
    )
    return run_import(job=job).report


def row(report, number):
    return next(r for r in report["details"] if r["row"] == number)


def test_every_row_becomes_an_unpublished_draft_with_a_revision_and_no_consent(
    registers, member
):
    report = run(
        HEADER + "A1,Сергій Петренко,Сергей Петренко,Serhii Petrenko,uk,sentenced,"
        "2022-03-14,kharkiv-aid\n"
    )
    assert report["created"] == 1
    page = PrisonerPage.objects.get(title="Сергій Петренко")
    assert not page.live and page.get_parent().specific == registers["uk"]
    assert page.revisions.count() == 1
    assert page.detained_on == datetime.date(2022, 3, 14)
    assert not (page.consent_name or page.consent_photo or page.consent_given_on)
    assert {s.name for s in page.spellings.all()} == {
        "Сергей Петренко",
        "Serhii Petrenko",
    }
    assert CaseHandling.objects.filter(
        member=member, case_key=page.translation_key
    ).exists()


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(registers):
    report = run(HEADER + "A1,Олена Коваль,,,uk,pretrial,,\n", dry_run=True)
    assert report["created"] == 1 and row(report, 2)["action"] == "create"
    assert not PrisonerPage.objects.exists()


def test_re_importing_the_same_file_updates_the_profile_as_a_new_draft(registers):
    text = HEADER + "A1,Олена Коваль,,,uk,pretrial,,\n"
    run(text)
    page = PrisonerPage.objects.get()
    # An editor records consent; only then may the profile be published.
    page.consent_given_by, page.consent_given_on = "family", datetime.date(2025, 1, 1)
    page.consent_name = True
    page.save_revision().publish()
    report = run(text.replace("pretrial", "sentenced"))
    assert report["updated"] == 1 and report["created"] == 0
    assert PrisonerPage.objects.count() == 1
    page.refresh_from_db()
    assert page.live and page.status == "pretrial"  # the live version is untouched
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().status == "sentenced"


def test_the_same_person_in_another_spelling_is_flagged_not_merged(registers):
    existing = add_profile(registers["en"], title="Serhii Petrenko")
    report = run(
        HEADER
        + "A1,Сергій Петренко,,,uk,sentenced,,\n"
        + "A2,,Сергей Петренко,,uk,sentenced,,\n"
    )
    first, second = row(report, 2), row(report, 3)
    assert {"kind": "profile", "page_id": existing.pk, "title": "Serhii Petrenko"} in (
        first["duplicates"]
    )
    assert {"kind": "row", "row": 3} in first["duplicates"]
    assert {"kind": "row", "row": 2} in second["duplicates"]
    assert report["duplicates"] == 2
    existing.refresh_from_db()
    assert existing.title == "Serhii Petrenko" and existing.revisions.count() == 1


def test_bad_rows_are_reported_one_by_one_and_change_nothing(registers):
    report = run(
        HEADER
        + "A1,Олена Коваль,,,uk,jailed,14/14/2022,Nobody Org\n"
        + "A2,Ірина Бондар,,,uk,released,,\n"
        + "A2,Ірина Бондар,,,uk,released,,\n"
    )
    errors = " ".join(row(report, 2)["errors"])
    assert "status: “jailed”" in errors
    assert "“14/14/2022” is not a date" in errors
    assert "no member organisation is called “Nobody Org”" in errors
    assert "also on row 3" in " ".join(row(report, 4)["errors"])
    assert list(PrisonerPage.objects.values_list("title", flat=True)) == [
        "Ірина Бондар"
    ]


def test_an_xlsx_register_is_read_with_its_dates(registers):
    data = tablib.Dataset(headers=["ID", "Name (uk)", "Status", "Detained on"])
    data.append(["X1", "Тарас Мельник", "Sentenced", datetime.date(2021, 5, 6)])
    rows = read_register(content=data.export("xlsx"), file_name="r.xlsx")
    assert rows == [
        {
            "external_id": "X1",
            "name_uk": "Тарас Мельник",
            "status": "Sentenced",
            "detained_on": "2021-05-06",
        }
    ]


def test_the_import_is_in_the_audit_log_without_names(registers):
    run(HEADER + "A1,Олена Коваль,,,uk,pretrial,,\n")
    entry = ModelLogEntry.objects.get(action=IMPORT_ACTION)
    assert entry.data["created"] == 1 and "Коваль" not in str(entry.data)


def test_the_management_command_imports_a_file(registers, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "A1,Олена Коваль,,,uk,pretrial,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_register", str(path), "--dry-run", stdout=out)
    assert "1 new drafts" in out.getvalue() and not PrisonerPage.objects.exists()
    call_command("import_register", str(path), stdout=out)
    assert PrisonerPage.objects.filter(live=False).count() == 1


def test_network_editors_import_through_the_admin_with_a_dry_run_first(
    registers, client, django_user_model, django_capture_on_commit_callbacks
):
    signed_in(client, django_user_model, email="e@example.org", group="Editors")
    assert client.get("/admin/register-import/").status_code == 200
    upload = io.BytesIO((HEADER + "A1,Олена Коваль,,,uk,pretrial,,\n").encode())
    upload.name = "register.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/register-import/", {"register_file": upload, "dry_run": "on"}
        )
    job = RegisterImport.objects.get()
    assert response["Location"] == f"/admin/register-import/{job.pk}/"
    assert "Import these rows as drafts" in client.get(response["Location"]).text
    assert not PrisonerPage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/register-import/{job.pk}/confirm/")
    progress = client.get(f"/admin/register-import/{job.pk}/progress/").json()
    assert progress["state"] == "done" and progress["created"] == 1
    assert PrisonerPage.objects.filter(live=False).count() == 1


def test_member_editors_and_the_board_may_not_import(
    registers, client, django_user_model
):
    from network.staff import ensure_member_groups, group_name

    member = Member.objects.create(
        name="Crimea Watch", slug="crimea-watch", country="UA",
        joined_on=datetime.date(2024, 1, 1),
    )  # fmt: skip
    ensure_member_groups(member=member)
    signed_in(
        client, django_user_model, email="m@example.org",
        group=group_name(member, "editors"),
    )  # fmt: skip
    for url in ("/admin/register-import/", "/admin/register-import/sample.csv"):
        response = client.get(url)
        # Wagtail answers a refused admin view by sending the user home.
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
