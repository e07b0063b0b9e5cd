"""The admin's document upload form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a file whose
metadata cannot be removed with certainty is refused before anything is stored."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from .metadata import EncryptedPDF, UnreadableDocument, check_document


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file  # the stored file, unchanged by this edit
        extension = file.name.rsplit(".", 1)[-1] if "." in file.name else ""
        file.seek(0)
        data = file.read()
        file.seek(0)
        try:
            check_document(data, extension)
        except EncryptedPDF as error:
            raise ValidationError(
                _(
                    "This PDF is protected by a password, so its author and other "
                    "hidden details cannot be removed. Save it without the password "
                    "and upload it again."
                ),
                code="encrypted_document",
            ) from error
        except UnreadableDocument as error:
            raise ValidationError(
                _(
                    "This file is damaged or is not really a .%(extension)s file, so "
                    "its author and other hidden details cannot be removed. Open it, "
                    "save it again (or export it as PDF) and upload the new file."
                ),
                code="unreadable_document",
                params={"extension": extension.lower()},
            ) from error
        return file

    def _post_clean(self):
        # The model's own check would look at the refused file again, as an empty
        # one, and add "File extension “” is not allowed" under our message.
        if self.has_error("file"):
            return
        super()._post_clean()
