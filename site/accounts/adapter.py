from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Closes public sign-up unless ACCOUNT_SIGNUP_OPEN says otherwise.

    Staff accounts are created by an administrator, never by signing up.
    """

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN
