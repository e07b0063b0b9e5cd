"""`load_demo_data` never runs in production, and the demo accounts' codes work. What
it builds is tested on the shared demo, in tests/demo/test_demo_data_loading.py."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_demo_data_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("load_demo_data")

    assert not get_user_model().objects.filter(email="editor@example.org").exists()


def test_demo_totp_prints_a_code_the_demo_account_accepts(settings, capsys):
    import pyotp

    from accounts.demo import demo_secret_for

    settings.DEBUG = True
    call_command("demo_totp", "board@example.org")

    code = capsys.readouterr().out.strip().split()[-1]
    assert pyotp.TOTP(demo_secret_for("board@example.org")).verify(code)
