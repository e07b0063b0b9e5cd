"""The admin's forms for members and the cases they handle."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminPageChooser

from .choices import Activity, CaseRole, WorkLanguage
from .models import CaseHandling, Member
from .onboarding import check_new_staff_email


class ChoiceListField(forms.MultipleChoiceField):
    """A JSON list of choice values as ticks; only values of the list are taken."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return list(value or [])


SLUG_HELP = _("The end of its page's web address, e.g. kharkiv-aid.")


class MemberForm(WagtailAdminModelForm):
    """A member's details, as the Board edits them. Leaving the network is not here:
    it is its own action, which also moves the member's cases."""

    activities = ChoiceListField(
        label=_("What it does"), choices=Activity.choices, required=False
    )
    work_languages = ChoiceListField(
        label=_("Works in"), choices=WorkLanguage.choices, required=False
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "slug",
            "logo",
            "country",
            "activities",
            "work_languages",
            "description_uk",
            "description_en",
            "description_ru",
            "description_be",
            "description_crh",
            "website",
            "contact_email",
            "joined_on",
            "is_public",
            "named_in_transparency",
        ]
        help_texts = {"slug": SLUG_HELP}


class OnboardingForm(WagtailAdminModelForm):
    """Adding a member: what it is, and who its first editor is."""

    first_editor_email = forms.EmailField(
        label=_("First editor's email"),
        max_length=150,
        help_text=_(
            "They get an email with a link to choose a password, and set up an "
            "authenticator app at first sign-in."
        ),
    )

    class Meta:
        model = Member
        fields = ["name", "slug", "country", "joined_on", "is_public"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate
        self.fields["slug"].help_text = SLUG_HELP

    def clean_first_editor_email(self):
        return check_new_staff_email(self.cleaned_data["first_editor_email"])


class OffboardingForm(forms.Form):
    """Removing a member: who takes over its cases, and from when."""

    reassign_to = forms.ModelChoiceField(
        label=_("Its cases go to"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Nobody: the other members on each case carry on"),
    )
    ended_on = forms.DateField(
        label=_("Left the network on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: its staff lose the admin now and are signed out, and "
            "the member no longer appears on the site."
        )
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].queryset = Member.objects.current().exclude(
            pk=member.pk
        )


def _prisoner_page_model():
    from prisoners.models import PrisonerPage

    return PrisonerPage


class CaseHandlingForm(WagtailAdminModelForm):
    """Who works on a case, in which role. The case is chosen as a profile; every
    language version of it is the same case."""

    profile = forms.ModelChoiceField(
        label=_("Profile"),
        queryset=None,
        widget=AdminPageChooser(target_models=["prisoners.PrisonerPage"]),
    )

    class Meta:
        model = CaseHandling
        fields = ["member", "role", "role_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = _prisoner_page_model().objects.all()
        self.fields["member"].queryset = Member.objects.current()
        self.fields["role"].choices = CaseRole.choices
        if self.instance.pk:
            # Changing whose row this is would be another handling: remove it
            # and add the new one instead.
            self.fields["profile"].disabled = True
            self.fields["member"].disabled = True
            self.fields["profile"].initial = (
                _prisoner_page_model()
                .objects.filter(translation_key=self.instance.case_key)
                .order_by("pk")
                .first()
            )

    def clean(self):
        cleaned = super().clean()
        profile, member = cleaned.get("profile"), cleaned.get("member")
        if (
            not self.instance.pk
            and profile is not None
            and member is not None
            and CaseHandling.objects.filter(
                member=member, case_key=profile.translation_key
            ).exists()
        ):
            raise ValidationError(
                _("%(member)s already works on this case: change its role there.")
                % {"member": member}
            )
        return cleaned
