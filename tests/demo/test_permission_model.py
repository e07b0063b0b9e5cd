"""The README's permission model, proven URL by URL: every admin screen, snippet,
report, export and admin API belongs to an area of tests/demo/permission_model.py,
and every role opens exactly the areas the table gives it, without a server error.
The public API and media paths follow at the end."""

import re
from pathlib import Path

import pyotp
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from wagtail.models import Collection, Locale, Page, Revision, Site, Workflow

from accounts.demo import DEMO_PASSWORD, DEMO_STAFF
from tests.demo.permission_model import (
    AREAS,
    NOT_VISITED,
    ROLES,
    SIGN_IN,
    STAFF_ROLES,
    area_of,
)

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
DEMO_ACCOUNT = {"Editor": "Editors", "Moderator": "Moderators", "Board": "Board"}
# Admin URLs without a name: Wagtail's redirect of its old sign-in address, its
# 404 test page and its catch-all "not found" page.
UNNAMED = {"admin/login/", "admin/test404/", "admin/^.*/$"}
# Visited last: they end the session.
SESSION_ENDING = ("wagtailadmin_logout",)


def admin_urls():
    """(route, name, callback) of every URL under admin/."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (
                    f"{pattern.namespace}:" if pattern.namespace else ""
                )
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            else:
                name = namespace + pattern.name if pattern.name else None
                yield prefix + str(pattern.pattern), name, pattern.callback

    return [u for u in walk(get_resolver().url_patterns) if u[0].startswith("admin/")]


def url_arguments(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


MODEL_BY_PREFIX = {
    "wagtailusers_users": get_user_model,
    "wagtailusers_groups": lambda: Group,
    "wagtailsites": lambda: Site,
    "wagtaillocales": lambda: Locale,
    "wagtailadmin_collections": lambda: Collection,
    "wagtailadmin_workflows": lambda: Workflow,
}


SAMPLES_BY_PREFIX = {
    "wagtailsettings": {"app_name": "home", "model_name": "sitesettings"},
    "wagtailadmin_workflows": {
        "app_label": "wagtailcore",
        "model_name": "groupapprovaltask",
    },
    "wagtail_localize": {"app_label": "prisoners", "model_name": "region"},
}
# Screens that need a query to show anything.
QUERIES = {"disbursement:add": "allocation"}


def sample_url(route, name, callback, samples) -> str | None:
    """The URL filled with demo objects, or None when the demo has nothing to
    fill it with (an upload in progress, a password-reset token, a translation)."""
    model = getattr(callback, "view_initkwargs", {}).get("model")
    if isinstance(model, str):
        model = apps.get_model(model)
    if model is None:
        prefix = name.split(":")[0]
        model = MODEL_BY_PREFIX.get(prefix, lambda: None)()
    samples = {**samples, **SAMPLES_BY_PREFIX.get(name.split(":")[0], {})}
    kwargs = {}
    for key in url_arguments(route):
        if key in ("pk", "object_id") and model is not None:
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                return None
            kwargs[key] = obj.pk
        elif samples.get(key) is not None:
            kwargs[key] = samples[key]
        else:
            return None
    if "^" in route and not kwargs:
        return None
    url = reverse(name, kwargs=kwargs)
    if name in QUERIES:
        url += f"?{QUERIES[name]}={samples[QUERIES[name]]}"
    return url


@pytest.fixture(scope="module")
def samples(demo, django_db_blocker):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from donations.models import Allocation
    from prisoners.models import PrisonerPage

    with django_db_blocker.unblock():
        page = PrisonerPage.objects.live().order_by("pk").first()
        image = get_image_model().objects.order_by("pk").first()
        document = get_document_model().objects.order_by("pk").first()
        revision = Revision.page_revisions.filter(object_id=str(page.pk)).first()
        approved = Allocation.objects.filter(status="approved").order_by("pk").first()
        return {
            "allocation": approved.pk if approved else None,
            "page_id": page.pk,
            "page_pk": page.pk,
            "page_to_move_id": page.pk,
            "destination_id": page.get_parent().pk,
            "parent_page_id": page.get_parent().pk,
            "image_id": image.pk if image else None,
            "document_id": document.pk if document else None,
            "doc_id": document.pk if document else None,
            "collection_id": Collection.get_first_root_node().pk,
            "revision_id": revision.pk,
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
            "content_type_app_name": "prisoners",
            "content_type_model_name": "prisonerpage",
            "app_label": "prisoners",
            "model_name": "prisonerpage",
            "app_name": "home",
        }


def signed_in(role: str, django_db_blocker) -> Client:
    client = Client()
    if role == "Anonymous":
        return client
    if role == "Donor":
        with django_db_blocker.unblock():
            donor, _ = get_user_model().objects.get_or_create(
                username="permission-model-donor",
                defaults={"email": "donor-permissions@example.net"},
            )
        client.force_login(donor)
        return client
    group = DEMO_ACCOUNT.get(role)
    email, _, secret = next(
        account
        for account in DEMO_STAFF
        if account[1] == group and (group or account[0] == "admin@example.org")
    )
    response = client.post(
        "/en/accounts/login/", {"login": email, "password": DEMO_PASSWORD}
    )
    assert "/2fa/authenticate/" in response["Location"], response
    response = client.post(response["Location"], {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response
    return client


def visit(client, url: str, method: str = "get") -> str:
    """What a visit shows, redirects followed: "open", "denied", "error" or
    "post-only"."""
    for _ in range(5):
        try:
            response = getattr(client, method)(url)
        except Exception as error:  # the test client re-raises a view's exception
            return f"error ({error.__class__.__name__}: {error})"
        status = response.status_code
        if status >= 500:
            return f"error ({status})"
        if status in (401, 403, 404):
            return "denied"
        if status == 405:
            return "post-only"
        if status not in (301, 302):
            return "open"
        location = response["Location"]
        path = location.split("?")[0]
        if path.endswith("/accounts/login/") or "/2fa/" in path:
            return "denied"
        # Wagtail's answer to a missing permission: back to the admin home,
        # with a message.
        if path == "/admin/":
            return "denied"
        # A signed-in donor who opens the admin is sent to their own gifts.
        if url.startswith("/admin/") and path.endswith("/donate/my-gifts/"):
            return "denied"
        url, method = location, "get"
    return "open"


def test_every_admin_url_belongs_to_an_area():
    unplaced = sorted(
        name or route
        for route, name, _ in admin_urls()
        if (name is None and route not in UNNAMED)
        or (
            name
            and area_of(name) is None
            and not any(re.fullmatch(p.replace("*", ".*"), name) for p in SIGN_IN)
            and name not in NOT_VISITED
        )
    )
    assert unplaced == [], (
        "These admin URLs are in no area of the permission model "
        "(tests/demo/permission_model.py and the README's table):\n"
        + "\n".join(unplaced)
    )


def readme_table() -> dict[str, set[str]]:
    text = README.read_text()
    table = text.split("<!-- permission-model -->")[1]
    rows: dict[str, set[str]] = {}
    header: list[str] = []
    for line in table.strip().splitlines():
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not header:
            header = cells
        elif not set(cells[0]) <= set("-: "):
            rows[cells[0]] = {
                role
                for role, cell in zip(header[1:], cells[1:], strict=True)
                if cell == "yes"
            }
    return rows


def test_the_readme_table_is_the_permission_model():
    expected = {area.label: set(area.roles) for area in AREAS}
    assert readme_table() == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_areas(role, demo, samples, django_db_blocker):
    client = signed_in(role, django_db_blocker)
    urls = sorted(admin_urls(), key=lambda u: u[1] in SESSION_ENDING)
    wrong, visited = [], 0
    for route, name, callback in urls:
        area = area_of(name) if name else None
        if area is None or name in NOT_VISITED:
            continue
        url = sample_url(route, name, callback, samples)
        if url is None:
            continue
        seen = visit(client, url)
        if seen == "post-only":
            if role in area.roles:
                continue
            seen = visit(client, url, "post")
            if seen == "post-only":
                continue
        should = "open" if role in area.roles else "denied"
        seen_urls = [(url, seen)]
        if getattr(callback, "view_initkwargs", {}).get("list_export"):
            seen_urls.append((f"{url}?export=csv", visit(client, f"{url}?export=csv")))
        for seen_url, seen in seen_urls:
            visited += 1
            if seen != should:
                wrong.append(
                    f"{seen_url} ({name}, {area.label}): {seen}, expected {should}"
                )
    assert visited > 200
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_admin_each_role_gets_public_pages_and_only_staff_originals(
    role, demo, django_db_blocker
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    client = signed_in(role, django_db_blocker)
    with django_db_blocker.unblock():
        from prisoners.models import PrisonerPage

        # A profile taken down (this test's savepoint undoes it).
        withdrawn = PrisonerPage.objects.live().order_by("pk").first()
        Page.objects.filter(pk=withdrawn.pk).update(live=False)
        public = set(Page.objects.live().public().values_list("pk", flat=True))

    original = default_storage.save(
        "original_images/permission-model.txt", ContentFile(b"x")
    )

    listed, offset = [], 0
    while page := client.get("/api/v2/pages/", {"offset": offset}).json()["items"]:
        listed += page
        offset += len(page)
    assert {item["id"] for item in listed} <= public
    assert withdrawn.pk not in {item["id"] for item in listed}
    detail = client.get(f"/api/v2/pages/{withdrawn.pk}/", follow=True)
    assert detail.status_code == 404

    try:
        media = visit(client, f"/media/{original}")
    finally:
        default_storage.delete(original)
    assert media == ("open" if role in STAFF_ROLES else "denied")
