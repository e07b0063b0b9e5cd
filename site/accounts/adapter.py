from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from outbox.codec import template_header

from .second_factor import is_staff_member


class AccountAdapter(DefaultAccountAdapter):
    """Closes public sign-up unless ACCOUNT_SIGNUP_OPEN says otherwise, and sends
    each person to their own place after signing in.

    Staff accounts are created by an administrator, never by signing up; donors'
    accounts are made when they ask for a sign-in code for an address with gifts
    (donations.donors.forms.DonorRequestLoginCodeForm).
    """

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mail (sign-in codes, password resets, confirmations), named by
        its template on the outbox screen, which never shows what it says."""
        headers = {**(headers or {}), **template_header(template_prefix)}
        return super().render_mail(template_prefix, email, context, headers=headers)

    def get_login_redirect_url(self, request):
        """Staff go to the admin (LOGIN_REDIRECT_URL); everyone else, donors, to
        their gifts in the language of the page they signed in on. A `next` URL
        still wins (allauth asks this only when there is none)."""
        if is_staff_member(request.user):
            return super().get_login_redirect_url(request)
        return reverse("donations:my_gifts")
