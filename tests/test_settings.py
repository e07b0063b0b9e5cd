"""Production settings refuse to start without their secrets and pass --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solidarity.settings.production",
        DATABASE_URL=f"sqlite:///{ROOT / 'db-check.sqlite3'}",
        **env_overrides,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="solidarity.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage(
        "check", SECRET_KEY="too-short", ALLOWED_HOSTS="solidarity.example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="solidarity.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_email_provider_is_chosen_by_the_environment():
    result = run_manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings; print(settings.OUTBOX_DELIVERY_BACKEND);"
        "print(settings.ANYMAIL['MAILGUN_API_KEY'])",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="solidarity.example.org",
        EMAIL_PROVIDER="mailgun",
        ANYMAIL_MAILGUN_API_KEY="key-from-env",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "anymail.backends.mailgun.EmailBackend",
        "key-from-env",
    ]


def test_development_prints_mail_to_the_console_and_tests_keep_it_in_memory(
    settings,
):
    from solidarity.settings import dev

    console = "django.core.mail.backends.console.EmailBackend"
    assert dev.OUTBOX_DELIVERY_BACKEND == console or (
        os.environ.get("EMAIL_PROVIDER", "console") != "console"
    )
    assert settings.EMAIL_BACKEND == "outbox.backends.OutboxEmailBackend"
    assert (
        settings.OUTBOX_DELIVERY_BACKEND
        == "django.core.mail.backends.locmem.EmailBackend"
    )


def test_without_redis_tasks_run_inline_and_the_cache_is_the_shared_database_one():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from solidarity.settings import dev as s;"
            "print(s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": "", "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "True",
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_with_redis_the_cache_and_broker_use_it():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from solidarity.settings import dev as s;"
            "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL,"
            " s.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "False",
        "redis://127.0.0.1:6379/3",
        "django.core.cache.backends.redis.RedisCache",
    ]
