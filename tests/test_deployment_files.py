"""The Dockerfile and docker-compose.yml name things that exist and work.

No Docker needed: these read the two files, then check that the programs, modules
and management commands they name are installed and load with production settings.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path, PurePosixPath

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
VENV_BIN = Path(sys.executable).parent

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_SERVICES = ("db", "redis", "web", "worker", "beat")
IMAGE_WORKDIR = PurePosixPath("/app")
HEALTHZ_URL = "http://127.0.0.1:8000/healthz"


# --- Reading the files ---------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def dockerfile_instructions():
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def dockerfile_arguments(keyword):
    return [args for kw, args in dockerfile_instructions() if kw == keyword]


def dockerfile_env():
    env = {}
    for arguments in dockerfile_arguments("ENV"):
        for pair in shlex.split(arguments):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def dockerfile_cmd():
    (arguments,) = dockerfile_arguments("CMD")
    return json.loads(arguments)


def dockerfile_healthcheck_cmd():
    (arguments,) = dockerfile_arguments("HEALTHCHECK")
    _, _, exec_form = arguments.partition(" CMD ")
    return json.loads(exec_form)


def as_argv(command):
    return shlex.split(command) if isinstance(command, str) else list(command)


def app_commands(services):
    """The argv of every app service, and of the image's default command."""
    return [as_argv(services[name]["command"]) for name in APP_SERVICES] + [
        dockerfile_cmd()
    ]


def production_env(**overrides):
    """The environment the image gives its processes, pointed at this checkout."""
    image_env = dockerfile_env()
    pythonpath = os.pathsep.join(
        str(ROOT / PurePosixPath(entry).relative_to(IMAGE_WORKDIR))
        for entry in image_env["PYTHONPATH"].split(":")
    )
    return {
        **os.environ,
        "PYTHONPATH": pythonpath,
        "DJANGO_SETTINGS_MODULE": image_env["DJANGO_SETTINGS_MODULE"],
        "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "ALLOWED_HOSTS": "example.org",
        **overrides,
    }


def run_python(*args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- The compose file ----------------------------------------------------------------


def test_docker_compose_file_parses_as_yaml(compose):
    assert isinstance(compose, dict)
    assert isinstance(compose.get("services"), dict)


def test_compose_defines_web_worker_beat_db_redis_and_migrate(services):
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)


# Ids that are not bare service names: conftest.py treats a "redis" or "postgres"
# keyword as a marker and would skip the test without a real server.
@pytest.mark.parametrize(
    "name", LONG_RUNNING_SERVICES, ids=lambda name: f"{name}-service"
)
def test_every_long_running_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
    test = as_argv(healthcheck.get("test", []))
    assert test and test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1, name


def test_one_shot_migrate_runs_once_and_does_not_inherit_the_web_healthcheck(
    services,
):
    migrate = services["migrate"]
    assert as_argv(migrate["command"])[-2:] == ["migrate", "--noinput"]
    assert migrate.get("restart") == "no"
    assert migrate["healthcheck"] == {"disable": True}
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["web", "worker"])
def test_app_services_wait_for_migrations_and_a_healthy_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_dockerfile_exists_and_every_app_service_builds_from_it(services):
    assert DOCKERFILE.is_file()
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build, f"{name} does not build the image"
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build["dockerfile"]
        assert (COMPOSE_FILE.parent / context / dockerfile).resolve() == DOCKERFILE


def test_app_services_refuse_to_start_without_secret_key_and_allowed_hosts(
    services,
):
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
        assert env["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?"), name
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["DATABASE_URL"].endswith("@db:5432/solidarity"), name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name


def test_healthcheck_shell_variables_are_escaped_from_compose_interpolation(
    services,
):
    # Compose replaces `$HOSTNAME` with the host's value (usually empty) before the
    # container sees it; `$$HOSTNAME` reaches the container's shell.
    for name, service in services.items():
        for part in as_argv(service.get("healthcheck", {}).get("test", [])):
            assert "$" not in part.replace("$$", ""), f"{name}: {part}"


def test_worker_healthcheck_pings_its_own_node(services):
    test = " ".join(as_argv(services["worker"]["healthcheck"]["test"]))
    assert "inspect ping" in test
    assert "celery@$$HOSTNAME" in test


# --- The Dockerfile ------------------------------------------------------------------


def test_image_runs_as_a_non_root_user():
    users = dockerfile_arguments("USER")
    assert users, "the Dockerfile never switches user"
    assert users[-1] not in {"root", "0"}


def test_image_puts_site_and_the_checkout_on_the_path_with_production_settings():
    env = dockerfile_env()
    assert env["PYTHONPATH"].split(":") == ["/app/site", "/app"]
    assert env["DJANGO_SETTINGS_MODULE"] == "solidarity.settings.production"
    assert "SECRET_KEY" not in env and "ALLOWED_HOSTS" not in env


def test_image_collects_static_files_with_a_throwaway_secret_only_for_that_step():
    (collect,) = [run for run in dockerfile_arguments("RUN") if "collectstatic" in run]
    assert "SECRET_KEY=" in collect and "ALLOWED_HOSTS=" in collect
    assert "--noinput" in collect


# --- What they run exists ------------------------------------------------------------


def test_gunicorn_and_celery_executables_named_by_the_services_are_installed(
    services,
):
    programs = {argv[0] for argv in app_commands(services)}
    assert {"gunicorn", "celery"} <= programs
    for program in programs:
        assert shutil.which(program, path=str(VENV_BIN)), f"{program} not installed"


def test_web_and_image_serve_the_same_wsgi_application(services):
    def wsgi_target(argv):
        assert argv[0] == "gunicorn"
        return next(arg for arg in argv[1:] if not arg.startswith("-"))

    assert wsgi_target(as_argv(services["web"]["command"])) == wsgi_target(
        dockerfile_cmd()
    )
    assert wsgi_target(dockerfile_cmd()) == "solidarity.wsgi:application"


def test_wsgi_application_imports_with_production_settings():
    module, _, attribute = dockerfile_cmd()[1].partition(":")
    result = run_python(
        "-c",
        f"import importlib; assert callable(importlib.import_module({module!r})"
        f".{attribute})",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr


def test_wsgi_import_fails_without_a_secret_key():
    # The check above can fail: production settings insist on their secret.
    module = dockerfile_cmd()[1].partition(":")[0]
    result = run_python(
        "-c", f"import {module}", env=production_env(SECRET_KEY="too-short")
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_celery_app_named_by_worker_and_beat_loads_with_production_settings(
    services,
):
    apps = set()
    for name in ("worker", "beat"):
        argv = as_argv(services[name]["command"])
        assert argv[0] == "celery"
        apps.add(argv[argv.index("-A") + 1])
    assert apps == {"solidarity"}
    redis_url = services["worker"]["environment"]["REDIS_URL"]
    result = run_python(
        "-m",
        "celery",
        "-A",
        apps.pop(),
        "report",
        env=production_env(REDIS_URL=redis_url),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "transport:redis" in output


def test_manage_py_commands_named_in_compose_and_dockerfile_are_django_commands(
    services,
):
    named = set()
    for name in APP_SERVICES:
        argv = as_argv(services[name]["command"])
        if "manage.py" in argv:
            named.add(argv[argv.index("manage.py") + 1])
    for run in dockerfile_arguments("RUN"):
        named.update(re.findall(r"manage\.py\s+([\w-]+)", run))
    assert {"migrate", "collectstatic"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


# --- The web healthcheck -------------------------------------------------------------


def probe_against_stub_server(probe_argv, allowed_hosts):
    """Run a healthcheck's python code against a stub of /healthz; return the Host."""
    seen = {}

    class Healthz(BaseHTTPRequestHandler):
        def do_GET(self):
            seen["path"], seen["host"] = self.path, self.headers["Host"]
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Healthz)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert probe_argv[:2] == ["python", "-c"]
        code = probe_argv[2]
        assert HEALTHZ_URL in code
        code = code.replace(
            HEALTHZ_URL, f"http://127.0.0.1:{server.server_port}/healthz"
        )
        env = {**os.environ, "ALLOWED_HOSTS": allowed_hosts}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, timeout=30
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert seen["path"] == "/healthz"
    return seen["host"]


@pytest.mark.parametrize(
    ("allowed_hosts", "expected_host"),
    [
        ("solidarity.example.org,www.example.org", "solidarity.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
    ],
)
def test_web_healthchecks_send_a_host_that_django_allows(
    services, allowed_hosts, expected_host
):
    # Django answers 400 to a Host outside ALLOWED_HOSTS, so probing 127.0.0.1
    # bare would mark a working site unhealthy.
    compose_probe = as_argv(services["web"]["healthcheck"]["test"])[1:]
    image_probe = dockerfile_healthcheck_cmd()
    for probe in (compose_probe, image_probe):
        assert probe_against_stub_server(probe, allowed_hosts) == expected_host


# --- How the web server is sized ----------------------------------------------------


def gunicorn_settings(argv, **env):
    """What gunicorn makes of the given command line: its printed configuration."""
    result = subprocess.run(
        [str(VENV_BIN / "gunicorn"), *argv[1:], "--print-config"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            printed[name.strip()] = value.strip()
    return printed


def test_web_and_image_read_the_same_gunicorn_configuration_from_the_repository(
    services,
):
    web = as_argv(services["web"]["command"])
    assert web == dockerfile_cmd()
    assert web[web.index("--config") + 1] == "python:solidarity.gunicorn_conf"


def test_gunicorn_runs_threaded_preloaded_workers_sized_by_the_cores():
    from solidarity.gunicorn_conf import available_cores, sizing

    printed = gunicorn_settings(dockerfile_cmd())
    workers, threads = sizing(cores=available_cores(), database_on_host=True)
    assert printed["worker_class"] == "gthread"
    assert printed["preload_app"] == "True"
    assert int(printed["workers"]) == workers
    assert int(printed["threads"]) == threads
    assert printed["max_requests"] == "1000"


def test_the_environment_overrides_gunicorns_sizing():
    printed = gunicorn_settings(dockerfile_cmd(), WEB_CONCURRENCY="7", WEB_THREADS="2")
    assert (printed["workers"], printed["threads"]) == ("7", "2")


@pytest.mark.parametrize(
    ("cores", "database_on_host", "expected"),
    [
        (1, True, (2, 4)),
        (2, True, (2, 4)),
        (8, True, (8, 4)),
        (8, False, (16, 4)),
        (32, False, (64, 4)),
    ],
)
def test_sizing_gives_a_worker_per_core_beside_postgresql_and_two_without(
    cores, database_on_host, expected
):
    from solidarity.gunicorn_conf import sizing

    assert sizing(cores=cores, database_on_host=database_on_host) == expected


def test_production_keeps_database_connections_and_checks_them_before_use():
    result = run_python(
        "-c",
        "from django.conf import settings; import django; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]
