from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from campaigns.choices import SignerKind
from donations.giving import challenge
from solidarity import text


class SignatureForm(forms.Form):
    """Signing a statement. Works without JavaScript; errors name the field."""

    kind = forms.ChoiceField(
        label=_("I sign as"),
        choices=SignerKind.choices,
        widget=forms.RadioSelect,
        initial=SignerKind.INDIVIDUAL,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("An organisation's full name, or your own name."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name in the public list"),
        required=False,
        initial=True,
        help_text=_("Untick to be counted without being named (individuals only)."),
    )
    country = LazyTypedChoiceField(
        label=_("Country"),
        choices=lambda: [("", _("Choose a country"))] + list(countries),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        help_text=_("Organisations only."),
        assume_scheme="https",
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send a link to confirm it; it is never shown publicly."),
    )
    # A field people never see (hidden by CSS): bots fill it in.
    homepage = forms.CharField(required=False, label=_("Leave this empty"))
    # ALTCHA's widget adds this hidden field itself while many signatures arrive
    # (static/js/donate-challenge.js); not rendered by the template.
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, allowed_kinds=None, challenge_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_required = challenge_required
        if allowed_kinds:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in SignerKind.choices
                if value in allowed_kinds
            ]
            self.fields["kind"].initial = allowed_kinds[-1]

    def clean_name(self):
        return text.typed_name(self.cleaned_data["name"])

    def clean_website(self):
        website = self.cleaned_data["website"]
        if text.has_invisible_characters(website):
            raise forms.ValidationError(
                _("This address holds invisible characters. Please type it again.")
            )
        return website

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # A name refused already says why; asking for one again would not.
        missing_name = not data.get("name") and "name" not in self.errors
        if kind == SignerKind.ORGANISATION:
            if missing_name:
                self.add_error("name", _("Please give the organisation's name."))
            if not data.get("website"):
                self.add_error("website", _("Please give the organisation's website."))
            data["show_name"] = True
        elif kind == SignerKind.INDIVIDUAL:
            data["website"] = ""
            if data.get("show_name") and missing_name:
                self.add_error(
                    "name",
                    _(
                        "Please give your name, or untick “Show my name” to sign "
                        "without it."
                    ),
                )
        if data.get("name") and len(data["name"]) < 2:
            self.add_error("name", _("This name is too short."))
        # Checked last, once all else is right: an answer is good only once, and a
        # typing slip must not spend it.
        if self.challenge_required and not self.errors:
            self._check_challenge(data.get("altcha"))
        return data

    def _check_challenge(self, payload: str) -> None:
        if not payload:
            self.add_error(
                None,
                _(
                    "Many people are signing right now, so the form asks your "
                    "browser for a short calculation first. It needs JavaScript: "
                    "please turn it on, or try again in an hour. Nothing was saved."
                ),
            )
        elif not challenge.verify(payload):
            self.add_error(
                None,
                _(
                    "We could not check your browser. Nothing was saved. Please "
                    "press “Sign” again."
                ),
            )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("homepage"))


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    homepage = forms.CharField(required=False)
