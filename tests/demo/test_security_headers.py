"""Every public page type carries the strict policy, and its HTML needs nothing the
policy forbids: no inline script, no inline style, nothing from another host."""

import re
from datetime import date

import pytest
from django.test import Client
from wagtail.models import Locale

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(
    r"""<(?:script|link|img|source|iframe)\b[^>]*?(?:src|href|srcset)=["']https?://"""
)
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=[\"']")
EVENT_HANDLER = re.compile(r"\son[a-z]+=[\"']")


def policy(response, header="Content-Security-Policy"):
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def first_live(model):
    return (
        model.objects.live()
        .public()
        .filter(locale=Locale.objects.get(language_code="en"))
        .first()
    )


@pytest.fixture(scope="module")
def public_paths(demo):
    from campaigns.models import (
        CampaignIndexPage,
        CampaignPage,
        StatementIndexPage,
        StatementPage,
    )
    from events.models import EventIndexPage, EventPage
    from guides.models import GuideIndexPage, GuidePage
    from network.models import Member
    from network.pages import NetworkIndexPage
    from news.models import ArticlePage, NewsIndexPage
    from prisoners.letters import letter_month_people
    from prisoners.models import PrisonerIndexPage, PrisonerPage

    english = Locale.objects.get(language_code="en")
    register = first_live(PrisonerIndexPage)
    network = first_live(NetworkIndexPage)
    member = Member.objects.filter(is_public=True).first()
    writable = next(
        person
        for month in range(1, 13)
        for person in letter_month_people(
            locale=english, month=month, today=date.today()
        )
    )
    return {
        "home": "/en/",
        "register": register.url,
        "profile": first_live(PrisonerPage).url,
        "letter month": register.url + "letters/",
        "letter sheet": writable.url + "letter/",
        "campaigns": first_live(CampaignIndexPage).url,
        "campaign": first_live(CampaignPage).url,
        "statements": first_live(StatementIndexPage).url,
        "statement": first_live(StatementPage).url,
        "network": network.url,
        "member": network.url + member.slug + "/",
        "news": first_live(NewsIndexPage).url,
        "article": first_live(ArticlePage).url,
        "events": first_live(EventIndexPage).url,
        "event": first_live(EventPage).url,
        "guides": first_live(GuideIndexPage).url,
        "guide": first_live(GuidePage).url,
        "donate": "/en/donate/",
        "transparency": "/en/transparency/",
        "report form": "/en/report/",
        "report check": "/en/report/check/",
        "sign-in": "/en/accounts/login/",
        "not found": "/en/no-such-page/",
    }


def test_every_public_page_type_has_the_strict_policy_and_needs_no_exception(
    public_paths,
):
    client = Client()
    for kind, path in public_paths.items():
        response = client.get(path)
        assert response.status_code == (404 if kind == "not found" else 200), (
            kind,
            path,
        )
        csp = policy(response)
        assert "unsafe" not in response["Content-Security-Policy"], kind
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], kind
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], (
            kind
        )
        assert csp["form-action"] == ["'self'", "https://checkout.stripe.com"], kind
        assert csp["frame-ancestors"] == ["'self'"], kind
        assert "camera=()" in response["Permissions-Policy"], kind
        assert "geolocation=()" in response["Permissions-Policy"], kind
        html = response.content.decode()
        for rule, pattern in (
            ("an inline script", INLINE_SCRIPT),
            ("an inline style", INLINE_STYLE),
            ("an inline event handler", EVENT_HANDLER),
            ("a file from another host", EXTERNAL),
        ):
            found = pattern.search(html)
            where = html[found.start() : found.start() + 120] if found else ""
            assert found is None, f"{kind} ({path}) has {rule}: {where!r}"


def test_a_page_from_the_cache_keeps_its_headers(public_paths):
    client = Client()
    first = client.get(public_paths["profile"])
    again = client.get(public_paths["profile"])
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["Permissions-Policy"] == first["Permissions-Policy"]


def test_the_admin_has_its_own_policy_with_inline_code_but_no_evaluated_script(demo):
    # Wagtail 8 starts its choosers, inline panels and date pickers with inline
    # scripts (tests/test_browser_admin_csp.py shows them working).
    response = Client().get("/admin/")
    csp = policy(response)
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["form-action"] == ["'self'"]


def test_the_admins_preview_of_a_page_keeps_the_public_policy(demo):
    from solidarity.security_headers import PREVIEW_PATH

    for path in (
        "/admin/pages/12/edit/preview/",
        "/admin/pages/add/prisoners/prisonerpage/3/preview/",
        "/admin/pages/12/revisions/40/view/",
        "/admin/snippets/network/member/preview/7/",
    ):
        assert PREVIEW_PATH.match(path), path
    assert not PREVIEW_PATH.match("/admin/pages/12/edit/")
