"""Accepting a report: it becomes a draft profile, and nothing more.

The draft has no consent and a pseudonymous title: before anything about the
person is public, an editor records consent and the two-person review approves
it, as for every profile."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from nacl.public import PrivateKey
from wagtail.models import Locale

from network.choices import CaseRole
from network.services import handle_case

from . import crypto
from .models import EntryKind, Recipient, Report, ReportState
from .services import _require_open, _set_state, report_key


def _register_for(language: str):
    from prisoners.models import PrisonerIndexPage

    locale = Locale.objects.filter(language_code=language).first()
    registers = PrisonerIndexPage.objects.all()
    if locale is not None and registers.filter(locale=locale).exists():
        return registers.filter(locale=locale).first()
    return registers.first()


@sensitive_variables()
@transaction.atomic
def accept_report(
    *, report: Report, recipient: Recipient, key: PrivateKey, by, title: str
):
    """Create the draft profile from the report (never published) and mark the
    report accepted. The reporter's contact and relation stay in the report."""
    from prisoners.models import PrisonerPage

    _require_open(report)
    if not title.strip():
        raise ValidationError(
            _("Give the draft profile a title (a pseudonym for now).")
        )
    private = report_key(report=report, recipient=recipient, key=key)
    first = report.entries.filter(kind=EntryKind.REPORT).first()
    content = crypto.unseal_json(private_key=private, data=bytes(first.sealed))
    register = _register_for(report.language)
    if register is None:
        raise ValidationError(_("There is no register to add the profile to."))
    summary = "\n\n".join(
        part
        for part in (content.get("where", ""), content.get("what_happened", ""))
        if part
    )
    page = PrisonerPage(
        title=title.strip()[:255],
        is_pseudonym=True,
        case_summary=summary,
        story="".join(
            f"<p>{escape(p)}</p>"
            for p in content.get("what_happened", "").split("\n")
            if p.strip()
        ),
        live=False,
        owner=by,
    )
    register.add_child(instance=page)
    # Drafts defer the required fields (consent among them) to publishing; the
    # title and slug were checked when the page was added.
    page.save_revision(user=by, log_action=True, clean=False)
    if report.member_id:
        handle_case(
            member=report.member,
            case_key=page.translation_key,
            role=CaseRole.DOCUMENTS,
            by=by,
        )
    _set_state(
        report=report,
        state=ReportState.ACCEPTED,
        by=by,
        profile_key=page.translation_key,
    )
    return page


@sensitive_variables()
@transaction.atomic
def move_file_to_documents(
    *, report: Report, recipient: Recipient, key: PrivateKey, by, attachment_id: int
):
    """An accepted report's file becomes a document of the admin (served to the
    public only while a live page links it, under a random name), for the editors
    of the draft profile; the report keeps no copy of it."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from .models import Attachment
    from .services import open_attachment
    from .uploads import strip_for_download

    if report.state != ReportState.ACCEPTED:
        raise ValidationError(_("Only an accepted report's files move to a profile."))
    attachment = Attachment.objects.get(pk=attachment_id, entry__report=report)
    meta, data = open_attachment(
        attachment=attachment, recipient=recipient, key=key, user=by
    )
    data = strip_for_download(data=data, content_type=meta["content_type"])
    document = get_document_model()(
        title=f"{report.reference} — {meta['name']}"[:255], uploaded_by_user=by
    )
    # Assigned, not saved through the field: safedocs gives it a random name as
    # the document is saved.
    document.file = ContentFile(data, name=meta["name"])
    document.save()
    attachment.delete()
    return document
