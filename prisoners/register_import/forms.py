from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .parsing import read_register

MAX_BYTES = 20 * 1024 * 1024


class RegisterUploadForm(forms.Form):
    register_file = forms.FileField(
        label=_("Register file"),
        help_text=_("CSV (UTF-8) or XLSX, with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would be created or updated"),
        required=False,
        initial=True,
    )

    def clean_register_file(self):
        upload = self.cleaned_data["register_file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        self.rows = read_register(content=upload.read(), file_name=upload.name)
        if not self.rows:
            raise ValidationError(_("The file has no rows under its header."))
        return upload
