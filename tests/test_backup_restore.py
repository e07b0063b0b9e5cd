"""Back from a loss: a backup restored into a fresh database keeps the books (the
ledger balanced, its monthly roll-ups equal to its legs, Stripe reconciled to the
cent), every row, every upload and every invoice, and the readers' keys still open
the reports. A damaged backup changes nothing; a database with data is replaced
only when asked to."""

import datetime
import io
import json
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import IntegrityError
from django.utils import timezone
from operations.backup import MEDIA_ARCHIVE, PG_DUMP, SQLITE_COPY
from PIL import Image

from campaigns.services import signature_request
from donations.ledger import services as ledger
from donations.models import AccountMonth, Donation, LedgerLeg, Payee
from donations.spending.services import (
    allocation_approve,
    allocation_draft,
    disbursement_approve,
    disbursement_draft,
    funds_for_case,
)
from donations.stripe.reconciliation import reconcile_day
from intake import crypto, services
from intake.models import Recipient, Report
from intake.uploads import PlainFile
from safeimages.models import SafeImage
from tests.conftest import add_profile, make_user
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    balances,
    fake_stripe_fixture,
    manage_links_fixture,
    process_waiting,
    receive,
    start_donation,
)
from tests.gifts import give
from tests.intake_helpers import PASSPHRASE, appoint, recovery_key
from tests.test_spending_invariants import assert_the_books_agree

# pg_dump reads committed data only, so these tests commit (and are flushed after).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPORT_MARKER = "Zoreslava-Kvitka-7731"
INVOICE = b"%PDF-1.4\nInvoice 2026-117, Fictional bureau\n%%EOF\n"


# --- A fresh database, and the ORM pointed at it --------------------------------------


@pytest.fixture(scope="module")
def restore_database(django_db_setup, django_db_blocker):
    """On PostgreSQL, a second database beside the test database, made once (making
    and dropping databases is slow: each waits for a checkpoint)."""
    with django_db_blocker.unblock():
        name = f"{connection.settings_dict['NAME']}_restore"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(restore_database, tmp_path):
    """The settings of an empty database (no table at all) beside the test one."""
    original = connection.settings_dict
    if connection.vendor == "sqlite":
        return {**original, "NAME": str(tmp_path / "restored.sqlite3")}
    fresh = {**original, "NAME": restore_database}
    with orm_on(fresh), connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    return fresh


@contextmanager
def orm_on(settings_dict):
    """Every query of the code under test goes to the database of `settings_dict`
    for a while: the invariants are checked by the project's own functions."""
    original = connections["default"]
    other = original.__class__(settings_dict, alias="default")
    connections["default"] = other
    try:
        yield other
    finally:
        other.close()
        connections["default"] = original


def files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def restore(source, settings_dict, media_root, settings, **options) -> str:
    out = io.StringIO()
    settings.MEDIA_ROOT = str(media_root)
    with orm_on(settings_dict):
        call_command("restore", source=source, stdout=out, **options)
    return out.getvalue()


def backup_bytes(backup: Path) -> bytes:
    """The database in the backup as bytes a search can read (a custom-format dump
    is compressed: pg_restore turns it back into SQL)."""
    if (backup / SQLITE_COPY).exists():
        return (backup / SQLITE_COPY).read_bytes()
    return subprocess.run(
        ["pg_restore", "--file=-", str(backup / PG_DUMP)],
        capture_output=True,
        check=True,
    ).stdout


# --- A network's data -----------------------------------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def day(fake_stripe) -> datetime.date:
    """Yesterday (UTC), on which Stripe's clock runs from 09:00."""
    yesterday = timezone.now().astimezone(datetime.UTC).date() - datetime.timedelta(
        days=1
    )
    fake_stripe.clock = int(
        datetime.datetime.combine(
            yesterday, datetime.time(9), tzinfo=datetime.UTC
        ).timestamp()
    )
    return yesterday


@pytest.fixture
def network(
    fake_stripe, manage_links, day, media_root, prisoner_index, statement,
    django_user_model,
):  # fmt: skip
    """Gifts through Stripe (one-off, monthly, refunded), a case's
    allocation and its payment with an invoice, a photo, a signature, and a report
    of persecution with a file, sealed to a reader and the recovery key."""
    case = add_profile(prisoner_index, title="Ihar Zamkovy")
    board = [
        make_user(django_user_model, email=f"b{n}@example.org", group="Board")
        for n in range(2)
    ]

    def paid(amount, fee, **fields):
        donation = start_donation(amount=amount, **fields)
        fake_stripe.complete_checkout(
            donation.checkout_session_id, settled_amount=amount, fee=fee
        )
        receive(fake_stripe, "checkout.session.completed", donation.checkout_session_id)
        return donation

    general = paid(2500, 63)
    paid(20_000, 305, designation="case", subject_key=case.translation_key)
    monthly = start_donation(frequency="monthly", amount=1000)
    fake_stripe.complete_checkout(
        monthly.checkout_session_id, settled_amount=1000, fee=40
    )
    receive(fake_stripe, "checkout.session.completed", monthly.checkout_session_id)
    charge = fake_stripe.charge_of(general.checkout_session_id)
    fake_stripe.refund(charge["id"], amount=500)
    receive(fake_stripe, "charge.refunded", charge["id"])
    assert process_waiting() == []

    fund = next(f for f in funds_for_case(case) if f.fund_type == "case")
    allocation = allocation_approve(
        allocation=allocation_draft(
            fund=fund, case=case, category="counsel", amount=12_000,
            purpose="Appeal", drafted_by=board[0],
        ),
        approver=board[1],
    )  # fmt: skip
    disbursement_approve(
        disbursement=disbursement_draft(
            allocation=allocation,
            payee=Payee.objects.create(name="Fictional bureau", kind="lawyer"),
            paid_on=timezone.localdate(),
            amount=4_000,
            drafted_by=board[0],
            invoice=ContentFile(INVOICE, name="invoice-bureau.pdf"),
        ),
        approver=board[1],
    )
    SafeImage.objects.create(
        title="Portrait", file=ImageFile(io.BytesIO(jpeg()), name="portrait.jpg")
    )
    signature_request(
        statement=statement, kind="individual", name="Olena Kovalenko",
        show_name=True, country="PL", website="", email="olena@example.org",
        language="en", confirm_url_for=lambda token: f"http://testserver/{token}/",
    )  # fmt: skip

    recovery_key()
    reader = appoint(django_user_model.objects.create_user(username="triage"))
    services.submit_report(
        content={"person": REPORT_MARKER, "what_happened": f"{REPORT_MARKER} held."},
        files=[PlainFile(name="decision.txt", content_type="text/plain",
                         data=f"{REPORT_MARKER} court decision".encode())],
        language="en",
    )  # fmt: skip
    return {"day": day, "reader": reader}


def books() -> dict:
    """What the Board's reports are built from: every balance and the roll-ups."""
    return {
        "balances": balances(),
        "months": sorted(
            AccountMonth.objects.values_list(
                "account__code", "month", "flow", "debits", "credits"
            )
        ),
        "donations": sorted(Donation.objects.values_list("pk", "status", "amount")),
    }


# --- Backup, then restore into a fresh database ---------------------------------------


def test_a_restored_backup_keeps_the_books_the_files_and_the_readable_reports(
    network, media_root, fresh_database, settings, tmp_path
):
    before = books()
    files_before = files_under(media_root)
    assert any(name.startswith("private/invoices/") for name in files_before)
    assert any(name.startswith("original_images/") for name in files_before)
    backup = tmp_path / "backup"
    session = SessionStore()
    session["intake_sealed_key"] = "a sealed half of an unlocked key"
    session.create()

    call_command("backup", to=backup, stdout=io.StringIO())
    output = restore(backup, fresh_database, tmp_path / "restored-media", settings)

    assert "All" in output and "tables have the rows the manifest lists" in output
    assert files_under(tmp_path / "restored-media") == files_before
    with orm_on(fresh_database):
        assert connection.settings_dict["NAME"] == fresh_database["NAME"]
        assert LedgerLeg.objects.exists()
        # Balanced, roll-ups equal to legs, only approved entries posted, each
        # case's commitments equal to its allocations less its payments.
        assert_the_books_agree()
        assert ledger.rollup_mismatches() == []
        assert books() == before
        assert not Session.objects.exists()  # sessions are left out, by design
        report = reconcile_day(day=network["day"])
        assert (report.error, report.mismatches) == ("", [])
        assert report.stripe_count == report.ledger_count > 0
        # The reader's passphrase still opens their key, and it the report.
        reader = Recipient.objects.get(pk=network["reader"].pk)
        key = crypto.unwrap_private_key(
            wrapped=bytes(reader.wrapped_private_key),
            passphrase=PASSPHRASE,
            salt=bytes(reader.kdf_salt),
            ops=reader.kdf_ops,
            mem=reader.kdf_mem,
        )
        (entry,) = services.open_report(
            report=Report.objects.get(), recipient=reader, key=key, user=reader.user
        )
        assert entry.content["person"] == REPORT_MARKER


def test_the_manifest_counts_rows_and_checksums_every_file_and_holds_no_secret(
    network, settings, tmp_path
):
    call_command("backup", to=tmp_path / "backup", stdout=io.StringIO())

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["key_rows"]["donations"] == Donation.objects.count() == 3
    assert manifest["key_rows"]["ledger legs"] == LedgerLeg.objects.count()
    assert manifest["key_rows"]["signatures"] == 1
    assert manifest["key_rows"]["reports"] == 1
    assert manifest["migrations"]["donations"].startswith("00")
    assert manifest["private"]["files"] == 1
    assert set(manifest["files"]) == {
        SQLITE_COPY if connection.vendor == "sqlite" else PG_DUMP,
        "media.tar.gz",
        "private.tar.gz",
    }
    text = json.dumps(manifest)
    for secret in (settings.SECRET_KEY, settings.STRIPE_SECRET_KEY):
        assert secret not in text
    if connection.settings_dict.get("PASSWORD"):
        assert connection.settings_dict["PASSWORD"] not in text
    # Reports are ciphertext in the backup too: neither a word nor a file is there.
    stored = backup_bytes(tmp_path / "backup")
    for encoding in (REPORT_MARKER.encode(), REPORT_MARKER.encode().hex().encode()):
        assert encoding not in stored


# --- What a restore refuses -----------------------------------------------------------


@pytest.fixture
def small_backup(media_root, tmp_path):
    give(amount=2500, fee=60)
    (media_root / "private" / "invoices").mkdir(parents=True)
    (media_root / "private" / "invoices" / "a.pdf").write_bytes(INVOICE)
    call_command("backup", to=tmp_path / "small", stdout=io.StringIO())
    return tmp_path / "small"


def test_a_damaged_backup_is_refused_and_the_fresh_database_stays_empty(
    small_backup, fresh_database, settings, tmp_path
):
    archive = small_backup / MEDIA_ARCHIVE
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="media.tar.gz does not match its SHA-256"):
        restore(small_backup, fresh_database, tmp_path / "restored", settings)

    with orm_on(fresh_database):
        assert connection.introspection.table_names() == []
    assert files_under(tmp_path / "restored") == {}


def test_a_database_with_data_is_replaced_only_with_force(
    small_backup, fresh_database, settings, tmp_path
):
    restore(small_backup, fresh_database, tmp_path / "one", settings)
    with orm_on(fresh_database):
        give(amount=999)  # written after the restore
        assert Donation.objects.count() == 2

    with pytest.raises(CommandError, match="already has .* tables"):
        restore(small_backup, fresh_database, tmp_path / "two", settings)
    with orm_on(fresh_database):
        assert Donation.objects.count() == 2

    output = restore(
        small_backup, fresh_database, tmp_path / "two", settings, force=True
    )
    assert "tables have the rows the manifest lists" in output
    with orm_on(fresh_database):
        assert list(Donation.objects.values_list("amount", flat=True)) == [2500]
        assert ledger.rollup_mismatches() == []
    assert files_under(tmp_path / "two") == {"private/invoices/a.pdf": INVOICE}


def test_a_backup_never_overwrites_another(small_backup):
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", to=small_backup, stdout=io.StringIO())


@pytest.mark.postgres
def test_the_restored_postgres_database_still_refuses_to_alter_a_posting(
    small_backup, fresh_database, settings, tmp_path
):
    restore(small_backup, fresh_database, tmp_path / "restored", settings)

    with orm_on(fresh_database):
        leg = LedgerLeg.objects.first()
        with pytest.raises(IntegrityError, match="immutable"):
            LedgerLeg.objects.filter(pk=leg.pk).update(amount=1)
        with pytest.raises(IntegrityError, match="unbalanced"):
            with transaction.atomic():
                LedgerLeg.objects.create(
                    transaction=leg.transaction, account=ledger.fees_account(), amount=5
                )
