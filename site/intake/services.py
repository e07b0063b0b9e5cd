"""Receiving reports, reading them in triage, and destroying them.

Plaintext exists only in memory, inside these functions, for as long as a request
lasts; every function that holds it is marked with sensitive_variables so that an
error report shows none of it.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from wagtail.log_actions import log

from . import crypto
from .models import (
    CLOSED_STATES,
    Attachment,
    Entry,
    EntryKind,
    Envelope,
    Recipient,
    RecoveryKey,
    Report,
    ReportState,
)
from .uploads import PlainFile

OPEN_ACTION = "intake.report.open"
STATE_ACTION = "intake.report.state"
DESTROY_ACTION = "intake.report.destroy"


def _today() -> datetime.date:
    return timezone.localdate()


# --- Who reads what -------------------------------------------------------------------


def readers_for(*, member=None) -> tuple[list[Recipient], list[RecoveryKey]]:
    """Network-wide triage always; the member's own recipients once assigned; the
    recovery key in every case."""
    recipients = Recipient.objects.filter(public_key__isnull=False).select_related(
        "user"
    )
    recipients = recipients.filter(member__isnull=True) | (
        recipients.filter(member=member) if member is not None else recipients.none()
    )
    active = [r for r in recipients if r.user.is_active]
    recovery = list(RecoveryKey.objects.filter(retired_at__isnull=True))
    return active, recovery


def is_open_for_reports() -> bool:
    """Reports are taken only when someone can read them and the recovery key
    exists: without either, a report would be sealed to nobody."""
    recipients, recovery = readers_for()
    return bool(recipients) and bool(recovery)


def _new_reference() -> str:
    while True:
        reference = "R-" + "".join(
            secrets.choice(crypto.RECEIPT_ALPHABET) for _ in range(6)
        )
        if not Report.objects.filter(reference=reference).exists():
            return reference


@dataclass
class Receipt:
    report: Report
    code: str


def _create_report(*, public_key: bytes, language: str) -> Receipt:
    code = crypto.new_receipt_code()
    salt = crypto.new_salt()
    reporter = crypto.reporter_key_pair(code=code, salt=salt)
    today = _today()
    report = Report.objects.create(
        reference=_new_reference(),
        receipt_lookup=crypto.receipt_lookup(code),
        reporter_salt=salt,
        reporter_public_key=bytes(reporter.public_key),
        public_key=public_key,
        language=language,
        received_on=today,
        changed_on=today,
    )
    return Receipt(report=report, code=code)


def _envelopes(
    *, report: Report, secret: bytes, recipients, recovery
) -> list[Envelope]:
    return [
        Envelope(
            report=report,
            recipient=r,
            sealed_key=crypto.seal(public_key=bytes(r.public_key), data=secret),
        )
        for r in recipients
    ] + [
        Envelope(
            report=report,
            recovery_key=k,
            sealed_key=crypto.seal(public_key=bytes(k.public_key), data=secret),
        )
        for k in recovery
    ]


def _seal_envelopes(*, report: Report, private_key: PrivateKey) -> None:
    recipients, recovery = readers_for(member=report.member)
    Envelope.objects.bulk_create(
        _envelopes(
            report=report,
            secret=bytes(private_key),
            recipients=recipients,
            recovery=recovery,
        )
    )


@sensitive_variables()
def _add_entry(
    *,
    report: Report,
    kind: str,
    content: dict,
    files: list[PlainFile] = (),
    for_reporter: dict | None = None,
) -> Entry:
    public_key = bytes(report.public_key)
    entry = Entry.objects.create(
        report=report,
        kind=kind,
        sealed=crypto.seal_json(public_key=public_key, value=content),
        sealed_for_reporter=(
            crypto.seal_json(
                public_key=bytes(report.reporter_public_key), value=for_reporter
            )
            if for_reporter is not None
            else None
        ),
        created_on=_today(),
    )
    for f in files:
        body = crypto.seal(public_key=public_key, data=f.data)
        Attachment.objects.create(
            entry=entry,
            sealed_meta=crypto.seal_json(
                public_key=public_key,
                value={"name": f.name, "content_type": f.content_type},
            ),
            sealed_body=body,
            size=len(body),
        )
    return entry


@sensitive_variables()
@transaction.atomic
def submit_report(*, content: dict, files: list[PlainFile], language: str) -> Receipt:
    """A report from the form without JavaScript: sealed here, before anything is
    written, to a key pair of its own whose private half only its readers get."""
    if not is_open_for_reports():
        raise ValidationError(_("Reports cannot be received at the moment."))
    private_key = crypto.new_key_pair()
    receipt = _create_report(
        public_key=bytes(private_key.public_key), language=language
    )
    _seal_envelopes(report=receipt.report, private_key=private_key)
    _add_entry(
        report=receipt.report, kind=EntryKind.REPORT, content=content, files=files
    )
    return receipt


@dataclass(frozen=True)
class SealedFile:
    meta: bytes
    body: bytes


def _store_sealed_files(*, entry: Entry, files: list[SealedFile]) -> None:
    Attachment.objects.bulk_create(
        [
            Attachment(
                entry=entry, sealed_meta=f.meta, sealed_body=f.body, size=len(f.body)
            )
            for f in files
        ]
    )


@transaction.atomic
def submit_sealed_report(
    *,
    public_key: bytes,
    envelopes: dict[str, bytes],
    sealed_content: bytes,
    sealed_files: list[SealedFile],
    language: str,
) -> Receipt:
    """A report sealed in the browser (static/js/intake-seal.js): the server never
    sees it in the clear. `envelopes` maps "r<recipient id>" and "k<recovery key
    id>" to the report's private key sealed to each; they must be exactly the
    readers of a new report now, or the browser is told to try again."""
    if not is_open_for_reports():
        raise ValidationError(_("Reports cannot be received at the moment."))
    recipients, recovery = readers_for()
    expected = {f"r{r.pk}": r for r in recipients} | {f"k{k.pk}": k for k in recovery}
    if set(envelopes) != set(expected):
        raise ValidationError(
            _(
                "The list of people who read reports changed while you wrote. "
                "Nothing was sent; please send the report again."
            ),
            code="stale_keys",
        )
    if len(public_key) != 32 or not sealed_content:
        raise ValidationError(_("The report could not be read. Nothing was sent."))
    receipt = _create_report(public_key=public_key, language=language)
    Envelope.objects.bulk_create(
        [
            Envelope(
                report=receipt.report,
                recipient=reader if isinstance(reader, Recipient) else None,
                recovery_key=reader if isinstance(reader, RecoveryKey) else None,
                sealed_key=envelopes[name],
            )
            for name, reader in expected.items()
        ]
    )
    entry = Entry.objects.create(
        report=receipt.report,
        kind=EntryKind.REPORT,
        sealed=sealed_content,
        created_on=_today(),
    )
    _store_sealed_files(entry=entry, files=sealed_files)
    return receipt


# --- The reporter comes back ----------------------------------------------------------


@dataclass
class ReporterView:
    report: Report
    code: str
    replies: list[tuple[datetime.date, str]] = field(default_factory=list)
    additions: list[datetime.date] = field(default_factory=list)


def find_by_receipt(*, code: str) -> Report | None:
    normalised = crypto.normalise_receipt_code(code)
    if len(normalised) != crypto.RECEIPT_GROUPS * crypto.RECEIPT_GROUP_LENGTH:
        return None
    return Report.objects.filter(receipt_lookup=crypto.receipt_lookup(code)).first()


@sensitive_variables()
def reporter_view(*, code: str) -> ReporterView | None:
    """What the holder of `code` may see: the state and the network's replies,
    opened with the key their code gives. Not their own report: a code found on a
    seized phone must not give the report away."""
    report = find_by_receipt(code=code)
    if report is None:
        return None
    key = crypto.reporter_key_pair(code=code, salt=bytes(report.reporter_salt))
    view = ReporterView(report=report, code=code)
    for entry in report.entries.all():
        if entry.kind == EntryKind.REPLY and entry.sealed_for_reporter is not None:
            try:
                message = crypto.unseal_json(
                    private_key=key, data=bytes(entry.sealed_for_reporter)
                )
            except CryptoError:
                continue
            view.replies.append((entry.created_on, message["text"]))
        elif entry.kind == EntryKind.ADDITION:
            view.additions.append(entry.created_on)
    return view


@sensitive_variables()
@transaction.atomic
def add_from_reporter(*, report: Report, text: str, files: list[PlainFile]) -> Entry:
    if report.state in CLOSED_STATES:
        raise ValidationError(_("This report is closed; it cannot take additions."))
    if not text.strip() and not files:
        raise ValidationError(_("Write something or attach a file to add."))
    entry = _add_entry(
        report=report, kind=EntryKind.ADDITION, content={"text": text}, files=files
    )
    Report.objects.filter(pk=report.pk).update(
        awaiting_network=True, changed_on=_today()
    )
    return entry


@transaction.atomic
def add_sealed_from_reporter(
    *, report: Report, sealed_content: bytes, sealed_files: list[SealedFile]
) -> Entry:
    """An addition the browser sealed to the report's public key: the server only
    stores it."""
    if report.state in CLOSED_STATES:
        raise ValidationError(_("This report is closed; it cannot take additions."))
    if not sealed_content:
        raise ValidationError(_("Write something or attach a file to add."))
    entry = Entry.objects.create(
        report=report,
        kind=EntryKind.ADDITION,
        sealed=sealed_content,
        created_on=_today(),
    )
    _store_sealed_files(entry=entry, files=sealed_files)
    Report.objects.filter(pk=report.pk).update(
        awaiting_network=True, changed_on=_today()
    )
    return entry


# --- Triage ---------------------------------------------------------------------------


class ReportLocked(Exception):
    """The recipient's key is not unlocked in this session, or the report was not
    sealed to them."""


def visible_reports(*, recipient: Recipient | None):
    """The reports sealed to `recipient`; none for anyone else."""
    if recipient is None or not recipient.has_key:
        return Report.objects.none()
    return Report.objects.filter(envelopes__recipient=recipient).select_related(
        "member"
    )


def report_key(*, report: Report, recipient: Recipient, key: PrivateKey) -> PrivateKey:
    envelope = report.envelopes.filter(recipient=recipient).first()
    if envelope is None:
        raise ReportLocked
    try:
        return PrivateKey(
            crypto.unseal(private_key=key, data=bytes(envelope.sealed_key))
        )
    except CryptoError as error:
        raise ReportLocked from error


@dataclass
class OpenedEntry:
    entry: Entry
    content: dict
    files: list[tuple[Attachment, dict]]


@sensitive_variables()
def open_report(
    *, report: Report, recipient: Recipient, key: PrivateKey, user
) -> list[OpenedEntry]:
    """The report's conversation in the clear, for this request only; logged."""
    private = report_key(report=report, recipient=recipient, key=key)
    log(instance=report, action=OPEN_ACTION, user=user)
    _share_with_new_readers(report=report, private_key=private)
    opened = []
    for entry in report.entries.prefetch_related("files"):
        opened.append(
            OpenedEntry(
                entry=entry,
                content=crypto.unseal_json(
                    private_key=private, data=bytes(entry.sealed)
                ),
                files=[
                    (
                        f,
                        crypto.unseal_json(
                            private_key=private, data=bytes(f.sealed_meta)
                        ),
                    )
                    for f in entry.files.all()
                ],
            )
        )
    return opened


@sensitive_variables()
def open_attachment(
    *, attachment: Attachment, recipient: Recipient, key: PrivateKey, user
) -> tuple[dict, bytes]:
    report = attachment.entry.report
    private = report_key(report=report, recipient=recipient, key=key)
    log(
        instance=report,
        action=OPEN_ACTION,
        user=user,
        data={"attachment": attachment.pk},
    )
    meta = crypto.unseal_json(private_key=private, data=bytes(attachment.sealed_meta))
    return meta, crypto.unseal(private_key=private, data=bytes(attachment.sealed_body))


def _share_with_new_readers(*, report: Report, private_key: PrivateKey) -> None:
    """Someone appointed after a report arrived gets it the next time an existing
    reader opens it."""
    recipients, recovery = readers_for(member=report.member)
    have = set(report.envelopes.values_list("recipient_id", "recovery_key_id"))
    Envelope.objects.bulk_create(
        _envelopes(
            report=report,
            secret=bytes(private_key),
            recipients=[r for r in recipients if (r.pk, None) not in have],
            recovery=[k for k in recovery if (None, k.pk) not in have],
        )
    )


def _set_state(*, report: Report, state: str, by, **changes) -> None:
    previous = report.state
    report.state = state
    report.changed_on = _today()
    for name, value in changes.items():
        setattr(report, name, value)
    report.save()
    log(
        instance=report,
        action=STATE_ACTION,
        user=by,
        data={"from": previous, "to": state},
    )


def _require_network_wide(recipient: Recipient) -> None:
    if not recipient.is_network_wide:
        raise ValidationError(_("Only network-wide triage can do this."))


def _require_open(report: Report) -> None:
    if report.state in CLOSED_STATES:
        raise ValidationError(_("This report is already closed."))


@sensitive_variables()
@transaction.atomic
def assess_report(
    *,
    report: Report,
    recipient: Recipient,
    key: PrivateKey,
    by,
    criteria: list[str],
    note: str,
) -> None:
    """An assessment against PACE 1900's criteria a–e, sealed like the report."""
    report_key(report=report, recipient=recipient, key=key)
    _require_open(report)
    _add_entry(
        report=report,
        kind=EntryKind.ASSESSMENT,
        content={"criteria": sorted(criteria), "note": note, "by": by.get_username()},
    )
    if report.state == ReportState.NEW:
        _set_state(report=report, state=ReportState.ASSESSED, by=by)


@sensitive_variables()
@transaction.atomic
def assign_report(
    *, report: Report, recipient: Recipient, key: PrivateKey, by, member
) -> None:
    """Hand the report to `member`. It is sealed again, to a new key pair, for the
    member's recipients and network-wide triage only: whoever read it before
    without being among them cannot read what comes next."""
    _require_network_wide(recipient)
    _require_open(report)
    if not member.is_current:
        raise ValidationError(
            _("%(member)s has left the network.") % {"member": member}
        )
    old = report_key(report=report, recipient=recipient, key=key)
    new = crypto.new_key_pair()
    new_public = bytes(new.public_key)
    for entry in report.entries.prefetch_related("files"):
        entry.sealed = crypto.seal(
            public_key=new_public,
            data=crypto.unseal(private_key=old, data=bytes(entry.sealed)),
        )
        entry.save(update_fields=["sealed"])
        for f in entry.files.all():
            f.sealed_meta = crypto.seal(
                public_key=new_public,
                data=crypto.unseal(private_key=old, data=bytes(f.sealed_meta)),
            )
            f.sealed_body = crypto.seal(
                public_key=new_public,
                data=crypto.unseal(private_key=old, data=bytes(f.sealed_body)),
            )
            f.size = len(f.sealed_body)
            f.save(update_fields=["sealed_meta", "sealed_body", "size"])
    report.envelopes.all().delete()
    report.public_key = new_public
    report.member = member
    _set_state(report=report, state=ReportState.ASSIGNED, by=by)
    _seal_envelopes(report=report, private_key=new)


@sensitive_variables()
@transaction.atomic
def reply_to_reporter(
    *, report: Report, recipient: Recipient, key: PrivateKey, by, text: str
) -> Entry:
    """A reply the reporter reads with their code; the network keeps its own copy."""
    report_key(report=report, recipient=recipient, key=key)
    if not text.strip():
        raise ValidationError(_("The reply is empty."))
    entry = _add_entry(
        report=report,
        kind=EntryKind.REPLY,
        content={"text": text, "by": by.get_username()},
        for_reporter={"text": text},
    )
    Report.objects.filter(pk=report.pk).update(
        awaiting_network=False, changed_on=_today()
    )
    return entry


def mark_seen(*, report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(awaiting_network=False)


@transaction.atomic
def decline_report(
    *, report: Report, recipient: Recipient, key: PrivateKey, by, referred_to: str = ""
) -> None:
    """Declined, or referred to another organisation when `referred_to` names one;
    the reporter is told through a reply, if triage writes one."""
    report_key(report=report, recipient=recipient, key=key)
    _require_open(report)
    if referred_to:
        _add_entry(
            report=report,
            kind=EntryKind.NOTE,
            content={"text": _("Referred to %(to)s") % {"to": referred_to}},
        )
        _set_state(report=report, state=ReportState.REFERRED, by=by)
    else:
        _set_state(report=report, state=ReportState.DECLINED, by=by)


def mark_materials_moved(*, report: Report, recipient: Recipient, key: PrivateKey, by):
    report_key(report=report, recipient=recipient, key=key)
    if report.state != ReportState.ACCEPTED:
        raise ValidationError(_("Only an accepted report has materials to move."))
    report.materials_moved_on = _today()
    report.save(update_fields=["materials_moved_on"])


# --- Retention ------------------------------------------------------------------------


def destroy_report(*, report: Report, reason: str) -> None:
    """Gone: the rows and their ciphertext are deleted, not flagged. The site
    history keeps that a report of this reference existed and why it went."""
    log(
        instance=report,
        action=DESTROY_ACTION,
        data={"reason": reason, "reference": report.reference},
    )
    report.delete()


def destroy_expired_reports(*, today: datetime.date, retention_days: int) -> int:
    """Reports never accepted, `retention_days` after they arrived; accepted ones
    once their draft profile exists and their materials were moved to it."""
    from prisoners.models import PrisonerPage

    destroyed = 0
    cutoff = today - datetime.timedelta(days=retention_days)
    for report in Report.objects.exclude(state=ReportState.ACCEPTED).filter(
        received_on__lte=cutoff
    ):
        destroy_report(report=report, reason="retention")
        destroyed += 1
    for report in Report.objects.filter(
        state=ReportState.ACCEPTED, materials_moved_on__isnull=False
    ):
        if PrisonerPage.objects.filter(translation_key=report.profile_key).exists():
            destroy_report(report=report, reason="moved to profile")
            destroyed += 1
    return destroyed
