"""The demo data, loaded once for every module in this folder (it takes seconds)
and rolled back after the last of them; each test runs in a savepoint inside.
Visitors then see the site with DEBUG off, as in production."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo_data", "--quiet-accounts")
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def demo(demo_data):
    return demo_data
