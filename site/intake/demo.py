"""Demo readers of reports and two fictional reports (DEBUG only, through
load_demo_data). The demo passphrase is published in the README, like the demo
passwords: a real network never has one."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.demo import DEMO_TRIAGE_STAFF, ensure_demo_account
from network.models import Member

from . import keys, services
from .models import Recipient, RecoveryKey, Report

DEMO_PASSPHRASE = "demo passphrase for reports"
MEMBER_READERS = [("kharkiv.moderator@example.org", "lopan-legal-aid")]

REPORTS = [
    (
        "uk",
        {
            "person": "Остап Вигаданий (вигадана особа)",
            "relation": "relative",
            "where": "Джанкой, окупований Крим",
            "what_happened": (
                "Вигаданий демо-випадок. Брата затримали вдома о шостій ранку, "
                "обшук тривав чотири години. Адвоката не допустили. Звинувачують за "
                "статтею про «диверсію»."
            ),
            "persecuted_by": ["state", "court"],
            "help_needed": ["lawyer", "family"],
            "contact": "",
        },
        None,
    ),
    (
        "ru",
        {
            "person": "Лейла Придуманная (вымышленное лицо)",
            "relation": "self",
            "where": "Вильнюс; красное уведомление Интерпола",
            "what_happened": (
                "Вымышленный демо-случай. Меня задержали на границе по красному "
                "уведомлению, которое Россия выдала после моих публикаций."
            ),
            "persecuted_by": ["interpol", "extradition"],
            "help_needed": ["ccf", "asylum"],
            "contact": "Signal: demo-only",
        },
        "lopan-legal-aid",
    ),
]


def _reader(email: str, member: Member | None) -> Recipient:
    user = get_user_model().objects.get(email=email)
    recipient, created = Recipient.objects.get_or_create(
        user=user, defaults={"member": member}
    )
    if created or not recipient.has_key:
        keys.create_key(recipient=recipient, passphrase=DEMO_PASSPHRASE)
    return recipient


@transaction.atomic
def load_intake() -> dict:
    created = []
    for email, group, secret in DEMO_TRIAGE_STAFF:
        if ensure_demo_account(
            email=email, secret=secret, group=Group.objects.get(name=group)
        ):
            created.append(email)
    if not RecoveryKey.objects.exists():
        keys.create_recovery_key()  # the demo's private half is not kept anywhere
    triage = [_reader(email, None) for email, _, _ in DEMO_TRIAGE_STAFF]
    for email, slug in MEMBER_READERS:
        _reader(email, Member.objects.get(slug=slug))
    if not Report.objects.exists():
        for language, content, member_slug in REPORTS:
            report = services.submit_report(
                content=content, files=[], language=language
            ).report
            if member_slug:
                key = keys.crypto.unwrap_private_key(
                    wrapped=bytes(triage[0].wrapped_private_key),
                    passphrase=DEMO_PASSPHRASE,
                    salt=bytes(triage[0].kdf_salt),
                    ops=triage[0].kdf_ops,
                    mem=triage[0].kdf_mem,
                )
                common = {"report": report, "recipient": triage[0], "key": key}
                by = triage[0].user
                services.assess_report(
                    **common,
                    by=by,
                    criteria=["a", "e"],
                    note="Демо: публикации журналистки.",
                )
                services.assign_report(
                    **common, by=by, member=Member.objects.get(slug=member_slug)
                )
                report.refresh_from_db()
                services.reply_to_reporter(
                    **{**common, "report": report},
                    by=by,
                    text="Спасибо. С вами свяжется юрист организации-участницы.",
                )
    return {"reports": Report.objects.count(), "staff": created}
