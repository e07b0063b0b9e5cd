"""Two web nodes, one database and one cache, as two machines behind a load balancer
have them: a page that one node cached is served by the other, and a change
published anywhere (a moderator in one node's admin, the scheduled publisher in a
third process) is gone from every node by the next request.

Each node is a real gunicorn process; the suite's own settings keep the cache in
process memory, so the nodes get the shared cache the deployment has: Redis, or
without Redis the cache table in the database. On SQLite the test database lives in
memory, which no other process can open: the nodes get a file copy of it, made
after the content is in place.
"""

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
import requests
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from prisoners.models import PrisonerPage
from tests.conftest import PASSWORD, add_profile, make_user

# serialized_rollback: the flush after each test would drop the migrations' rows
# (groups, the page tree's root) that the tests after this module need.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parent.parent
# The promise of issue 16: a purge reaches every web node within a second.
PURGE_SECONDS = 1.0
NODE_SETTINGS = """
import json, os
from solidarity.settings.test import *  # noqa: F403
DATABASES = {"default": {**DATABASES["default"], **json.loads(os.environ["NODE_DB"])}}
CACHES = {"default": json.loads(os.environ["NODE_CACHE"])}
"""
# Both nodes are asked under the site's one address, as a load balancer passes it on.
SITE = {"Host": "solidarity.test"}
OLD_OCCUPATION, NEW_OCCUPATION = "Bookbinder", "Lighthouse keeper"


@dataclass
class Node:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, session=None) -> requests.Response:
        response = (session or requests).get(
            self.url + path, headers=SITE, allow_redirects=False, timeout=60
        )
        assert response.status_code < 500, self.log.read_text()[-3000:]
        return response


@pytest.fixture
def content(prisoner_index, django_user_model):
    """Two live profiles, a moderator with an authenticator, and a change to the
    second profile scheduled for a moment that has already passed: the scheduled
    publisher will publish it when it next runs. (A scheduled page is locked, so
    the moderator unpublishes the first.)"""
    add_profile(prisoner_index, title="Scheduled Person", occupation=OLD_OCCUPATION)
    scheduled = PrisonerPage.objects.get(title="Scheduled Person")
    scheduled.occupation = NEW_OCCUPATION
    scheduled.go_live_at = timezone.now() + timedelta(hours=1)
    scheduled.save_revision().publish()  # a go-live time ahead only schedules it
    # ...and its time comes: a second ago.
    revision, moment = (
        scheduled.scheduled_revision,
        timezone.now() - timedelta(seconds=1),
    )
    revision.content["go_live_at"] = moment.isoformat()
    revision.approved_go_live_at = moment
    revision.save()
    scheduled.refresh_from_db()
    assert scheduled.occupation == OLD_OCCUPATION

    secret = pyotp.random_base32()
    moderator = make_user(
        django_user_model,
        email="moderator@example.org",
        group="Moderators",
        totp_secret=secret,
    )
    return {
        "profile": add_profile(prisoner_index, title="Two Nodes Person"),
        "scheduled": scheduled,
        "moderator": moderator,
        "secret": secret,
    }


def shared_cache(kind: str) -> dict:
    if kind == "redis":
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Its own keys: other runs may use the same Redis database.
            "KEY_PREFIX": f"two-nodes-{uuid.uuid4().hex}",
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "solidarity_cache",
    }


def cache_from(params: dict):
    params = dict(params)
    backend = import_string(params.pop("BACKEND"))
    return backend(params.pop("LOCATION"), params)


def database_for_nodes(tmp_path) -> dict:
    """The test database as another process can open it."""
    params = connection.settings_dict
    if connection.vendor != "sqlite":
        keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
        return {key: params[key] for key in keys}
    copy = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return {"ENGINE": params["ENGINE"], "NAME": str(copy), "OPTIONS": {}}


@pytest.fixture
def node_env(request, content, tmp_path):
    kind = request.param
    cache = shared_cache(kind)
    if kind != "redis":
        cache_from(cache).clear()  # a reused database keeps a last run's pages
    (tmp_path / "node_settings.py").write_text(NODE_SETTINGS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "node_settings",
        "PYTHONPATH": f"{tmp_path}:{ROOT / 'site'}:{ROOT}",
        "NODE_DB": json.dumps(database_for_nodes(tmp_path)),
        "NODE_CACHE": json.dumps(cache),
    }
    yield env
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(cache["LOCATION"])
        for key in client.scan_iter(f"{cache['KEY_PREFIX']}:*"):
            client.delete(key)


def start_node(env: dict, log: Path) -> Node:
    # The socket is bound and listening before gunicorn starts: a request made
    # meanwhile waits in the queue until the worker is up, so nothing polls.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "solidarity.wsgi:application",
                f"--bind=fd://{listener.fileno()}",
                "--workers=1",
                "--threads=2",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            pass_fds=(listener.fileno(),),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    port = listener.getsockname()[1]
    listener.close()
    return Node(url=f"http://127.0.0.1:{port}", process=process, log=log)


@pytest.fixture
def nodes(node_env, tmp_path):
    started = [start_node(node_env, tmp_path / f"node-{n}.log") for n in "ab"]
    yield started
    for node in started:
        node.process.terminate()
    for node in started:
        with contextlib.suppress(subprocess.TimeoutExpired):
            node.process.wait(timeout=10)
        if node.process.poll() is None:
            node.process.kill()


def both_serve_it_from_the_cache(node_a: Node, node_b: Node, path: str) -> None:
    first = node_a.get(path)
    assert first.status_code == 200
    assert first.headers["X-Page-Cache"] == "miss"
    # Node B has never rendered it: it answers with what node A stored.
    assert node_b.get(path).headers["X-Page-Cache"] == "hit"
    assert node_a.get(path).headers["X-Page-Cache"] == "hit"


def first_fresh_answer(node: Node, path: str, *, is_stale, since: float):
    """Asks `node` for `path` until it stops answering with the old page, for at
    most PURGE_SECONDS from `since`. Returns the fresh answer, how long after
    `since` the request for it was sent, and the stale answers before it."""
    stale = []
    while True:
        sent = time.monotonic()
        response = node.get(path)
        if not is_stale(response):
            return response, sent - since, stale
        stale.append(response)
        if sent - since > PURGE_SECONDS:
            return None, sent - since, stale
        time.sleep(0.05)


def sign_in(node: Node, *, email: str, secret: str) -> requests.Session:
    """A staff member's session in `node`, through the sign-in and TOTP forms."""
    session = requests.Session()
    session.headers.update(SITE)
    node.get("/en/accounts/login/", session)
    csrf = {"X-CSRFToken": session.cookies["csrftoken"]}
    response = session.post(
        f"{node.url}/en/accounts/login/",
        {"login": email, "password": PASSWORD},
        headers=csrf,
        allow_redirects=False,
    )
    assert "/2fa/authenticate/" in response.headers["Location"], response.text
    step = node.url + response.headers["Location"]
    for _attempt in range(2):  # the code's 30 seconds may run out in between
        response = session.post(
            step,
            {"code": pyotp.TOTP(secret).now()},
            headers={"X-CSRFToken": session.cookies["csrftoken"]},
            allow_redirects=False,
        )
        if response.status_code == 302:
            return session
    raise AssertionError(response.text)


CACHES = [
    pytest.param("database", id="database-cache"),
    pytest.param("redis", id="redis", marks=pytest.mark.redis),
]


def assert_purged_for(node: Node, path: str, *, since: float, is_stale) -> str:
    """The node's first answer after the change is already the new one."""
    answer, delay, stale = first_fresh_answer(
        node, path, is_stale=is_stale, since=since
    )
    assert answer is not None, f"still the old page {delay:.2f} s after the change"
    assert delay <= PURGE_SECONDS
    assert stale == []
    assert answer.headers.get("X-Page-Cache") != "hit"
    # For the report: how long after the change the fresh request was sent, and
    # how long the node took to render it.
    print(
        f"{path}: fresh {delay:.3f} s after, in {answer.elapsed.total_seconds():.3f} s"
    )
    return answer.text


@pytest.mark.parametrize("node_env", CACHES, indirect=True)
def test_a_change_published_anywhere_is_gone_from_every_node_by_the_next_request(
    nodes, node_env, content
):
    node_a, node_b = nodes
    scheduled, unpublished = content["scheduled"].url, content["profile"].url
    both_serve_it_from_the_cache(node_a, node_b, scheduled)
    both_serve_it_from_the_cache(node_a, node_b, unpublished)

    # What Celery beat runs every minute (home.tasks), in a process of its own.
    subprocess.run(
        [sys.executable, "manage.py", "publish_scheduled"],
        cwd=ROOT,
        env=node_env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    published = time.monotonic()

    page = assert_purged_for(
        node_b, scheduled, since=published, is_stale=lambda r: OLD_OCCUPATION in r.text
    )
    assert NEW_OCCUPATION in page
    assert NEW_OCCUPATION in node_a.get(scheduled).text

    # A moderator unpublishes the other profile in node A's admin.
    moderator = sign_in(
        node_a, email=content["moderator"].email, secret=content["secret"]
    )
    response = moderator.post(
        f"{node_a.url}/admin/pages/{content['profile'].pk}/unpublish/",
        headers={"X-CSRFToken": moderator.cookies["csrftoken"]},
        allow_redirects=False,
    )
    unpublished_at = time.monotonic()
    assert response.status_code == 302, node_a.log.read_text()[-3000:]
    assert response.headers["Location"] != "/admin/", "refused: no right to unpublish"

    page = assert_purged_for(
        node_b,
        unpublished,
        since=unpublished_at,
        is_stale=lambda r: r.status_code == 200,
    )
    assert "Two Nodes Person" not in page
    assert node_b.get(unpublished).status_code == 404
