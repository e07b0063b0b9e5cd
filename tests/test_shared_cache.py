"""Without Redis the cache is still one for every worker: an unpublished page is
gone for all of them at once, and sign-in attempts are counted once.

The suite itself runs on per-process memory (settings/test.py, for isolation);
these tests read the embedded default from the real settings in a subprocess and
use it here, with "another worker" being another cache instance (with its own
memory, for a backend that keeps entries in process memory, as a worker has).
"""

import importlib
import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils.module_loading import import_string

from tests.conftest import PASSWORD, add_profile

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def run_python(code: str, **env_overrides) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update(
        PYTHONPATH=f"{ROOT / 'site'}:{ROOT}",
        REDIS_URL="",  # set and empty: a developer's .env cannot bring Redis in
        **env_overrides,
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def default_caches(settings_module: str) -> dict:
    return json.loads(
        run_python(
            f"import json; from solidarity.settings import {settings_module} as s;"
            "print(json.dumps(s.CACHES))",
            SECRET_KEY="x" * 20 + "-not-a-secret-only-for-reading-settings-0123",
            ALLOWED_HOSTS="localhost",
        )
    )


@pytest.fixture(scope="module")
def embedded_caches():
    return default_caches("dev")


@pytest.fixture
def embedded_cache(settings, embedded_caches):
    settings.CACHES = embedded_caches
    caches["default"].clear()
    yield
    caches["default"].clear()


def worker_cache(settings):
    """The default cache as another worker process would have it."""
    params = dict(settings.CACHES["default"])
    backend = import_string(params.pop("BACKEND"))
    location = params.pop("LOCATION", "")
    if backend.__module__.endswith("locmem"):
        location = f"another-worker-{uuid.uuid4()}"  # its own process memory
    return backend(location, params)


@contextmanager
def serving_as(worker):
    """Everything using django.core.cache.cache in here uses `worker`'s cache."""
    previous = getattr(caches._connections, "default", None)
    caches._connections.default = worker
    try:
        yield
    finally:
        caches._connections.default = previous


@pytest.mark.parametrize("settings_module", ["dev", "production"])
def test_without_redis_the_cache_is_shared_by_every_process(settings_module):
    default = default_caches(settings_module)["default"]

    assert default["BACKEND"] not in PER_PROCESS_BACKENDS
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    migration = importlib.import_module("home.migrations.0003_shared_cache_table")
    assert default["LOCATION"] == migration.CACHE_TABLE


def test_plain_migrate_creates_the_embedded_cache_table(embedded_caches):
    # The test database was built by `migrate`, as every entry point builds it.
    table = embedded_caches["default"]["LOCATION"]

    assert table in connection.introspection.table_names()


def test_a_value_one_process_caches_is_read_by_another(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "solidarity.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    }
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('createcachetable');"
        "from django.core.cache import cache;"
    )
    run_python(setup + "cache.set('written-by', 'the first process', None)", **env)

    read = run_python(setup + "print(cache.get('written-by'))", **env)

    assert read == "the first process"


def test_an_unpublished_profile_is_gone_for_every_worker_at_once(
    client, settings, embedded_cache, prisoner_index
):
    profile = add_profile(prisoner_index, title="Shared Person", occupation="Poet")
    worker_a, worker_b = worker_cache(settings), worker_cache(settings)
    with serving_as(worker_a):
        assert client.get(profile.url)["X-Page-Cache"] == "miss"
        assert client.get(profile.url)["X-Page-Cache"] == "hit"

    with serving_as(worker_b):  # the moderator's request
        profile.unpublish()

    with serving_as(worker_a):
        response = client.get(profile.url)
    assert response.status_code == 404
    assert "Shared Person" not in response.content.decode()


def test_sign_in_attempts_are_counted_once_for_every_worker(
    client, settings, embedded_cache, donor
):
    workers = [worker_cache(settings), worker_cache(settings)]
    for attempt in range(settings.LOGIN_ATTEMPTS_LIMIT):
        with serving_as(workers[attempt % 2]):
            client.post(
                "/en/accounts/login/", {"login": donor.email, "password": "wrong"}
            )

    with serving_as(workers[0]):
        response = client.post(
            "/en/accounts/login/", {"login": donor.email, "password": PASSWORD}
        )

    assert response.status_code != 302
    assert "_auth_user_id" not in client.session
