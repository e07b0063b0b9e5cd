"""The donor's sign-in form, as allauth uses it (ACCOUNT_FORMS in settings)."""

from allauth.account.forms import RequestLoginCodeForm

from donations.donors.accounts import donor_account_ensure


class DonorRequestLoginCodeForm(RequestLoginCodeForm):
    """allauth's "email me a sign-in code" form, open to donors as well.

    allauth looks up the active account of the address (and rate-limits the
    request). When there is none, an address with gifts gets a donor account
    (`donations.donors.accounts.donor_account_ensure`), so the code is sent and the
    donor signs in to their gifts. An address without gifts gets exactly allauth's
    answer under ACCOUNT_PREVENT_ENUMERATION: the same "code sent" page, no code,
    no account. The visitor never learns which case it was.

    Staff may sign in by code too: allauth's MFA stage still asks for the TOTP
    code before the session is signed in, and StaffSecondFactorMiddleware keeps
    the admin closed to a session that has not used TOTP.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        if email and getattr(self, "_user", None) is None:
            self._user = donor_account_ensure(email=email)
        return email
