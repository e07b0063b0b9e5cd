"""Every public page type, in English and in Ukrainian, in Debian's Chromium:
axe-core finds no WCAG 2.2 A/AA violation, the strict Content-Security-Policy
stands and refuses nothing, the page works without JavaScript, and by keyboard.

The demo data is loaded once for the module and committed, because the live server
answers from another thread (on PostgreSQL it would not see a transaction of ours);
the database is put back as the migrations left it when the module ends.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer
from wagtail.models import Locale, Page

from tests.browser import chromium_page

# Each test only reads, inside a transaction of its own; the module's committed demo
# data lies underneath. serialized_rollback has the migrations' rows saved at set-up,
# so that the module can put them back when it empties the tables.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]

WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ["en", "uk"]

# (kind, app label, model) of the pages found in the demo page tree.
TREE_PAGES = [
    ("home", "home", "HomePage"),
    ("register", "prisoners", "PrisonerIndexPage"),
    ("profile", "prisoners", "PrisonerPage"),
    ("campaigns", "campaigns", "CampaignIndexPage"),
    ("campaign", "campaigns", "CampaignPage"),
    ("statements", "campaigns", "StatementIndexPage"),
    ("statement", "campaigns", "StatementPage"),
    ("network", "network", "NetworkIndexPage"),
    ("news", "news", "NewsIndexPage"),
    ("article", "news", "ArticlePage"),
    ("events", "events", "EventIndexPage"),
    ("event", "events", "EventPage"),
    ("guides", "guides", "GuideIndexPage"),
    ("guide", "guides", "GuidePage"),
]
KINDS = [
    "home",
    "register",
    "register filtered",
    "profile",
    "letter month",
    "letter sheet",
    "campaigns",
    "campaign",
    "statements",
    "statement",
    "network",
    "member",
    "news",
    "article",
    "events",
    "event",
    "guides",
    "guide",
    "donate",
    "transparency",
    "report form",
    "report check",
    "sign-in",
    "not found",
]
# Page types allowed to be missing from the demo (skipped, not failed): none.
NOT_YET_IN_THE_DEMO: set[str] = set()

# Collects what the page's policy refused, from before the page's first script.
LISTEN_FOR_REFUSALS = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
    ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


def _migrated_state_back(migrated: str) -> None:
    """Empty the tables, then put back what the migrations wrote (locales, the
    root page, groups, the review workflow), as Django's serialized rollback does:
    the modules after this one expect the database as migrate left it."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(migrated)
    # The rows came back with their ids, which PostgreSQL's sequences don't see.
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    # The ids of content types are the migrated ones again, not those this process
    # cached while the demo was loaded.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        migrated = connection.creation.serialize_db_to_string()
        try:
            with override_settings(DEBUG=True):
                call_command("load_demo_data", "--quiet-accounts")
            server = LiveServer("localhost")
            # A key makes the donate page offer its form; nothing here calls Stripe.
            with override_settings(STRIPE_SECRET_KEY="sk_test_accessibility"):
                yield server.url
            server.stop()
        finally:
            _migrated_state_back(migrated)


def _first_url(app_label, model_name, locale):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    page = Page.objects.live().public().type(model).filter(locale=locale).first()
    return page.url if page else None


@pytest.fixture(scope="module")
def paths(site):
    """Where each kind of page is, per language, found in the demo data."""
    from network.models import Member
    from prisoners.letters import letter_month_people

    found = {}
    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        here = {kind: _first_url(app, model, locale) for kind, app, model in TREE_PAGES}
        writable = next(
            person
            for month in range(1, 13)
            for person in letter_month_people(
                locale=locale, month=month, today=date.today()
            )
        )
        member = Member.objects.filter(is_public=True).order_by("pk").first()
        here.update(
            {
                "register filtered": here["register"] + "?status=sentenced",
                "letter month": here["register"] + "letters/",
                "letter sheet": writable.url + "letter/",
                "member": here["network"] + member.slug + "/",
                "donate": f"/{language}/donate/",
                "transparency": f"/{language}/transparency/",
                "report form": f"/{language}/report/",
                "report check": f"/{language}/report/check/",
                "sign-in": f"/{language}/accounts/login/",
                "not found": f"/{language}/no-such-page/",
            }
        )
        found[language] = here
    return found


def path_of(paths, language, kind):
    path = paths[language][kind]
    if path is None:
        if kind in NOT_YET_IN_THE_DEMO:
            pytest.skip(f"the demo data has no {kind} page yet (section being built)")
        pytest.fail(f"the demo data has no {kind} page in {language}")
    return path


@pytest.fixture(scope="module")
def browser_page(site):
    with chromium_page() as page:
        page.add_init_script(LISTEN_FOR_REFUSALS)
        refused_on_console = []
        page.on(
            "console",
            lambda message: (
                refused_on_console.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.refused_on_console = refused_on_console
        yield page


@pytest.fixture(scope="module")
def no_script_page(browser_page):
    context = browser_page.context.browser.new_context(
        java_script_enabled=False, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def visit(page, url, *, status=200):
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    return response


def status_for(kind):
    return 404 if kind == "not found" else 200


every_page = pytest.mark.parametrize(
    "language,kind",
    [(language, kind) for language in LANGUAGES for kind in KINDS],
    ids=[f"{language}-{kind}" for language in LANGUAGES for kind in KINDS],
)


def violation_report(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"{violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
    return "\n".join(lines)


@every_page
def test_axe_finds_no_wcag_22_a_or_aa_violation(
    site, paths, browser_page, language, kind
):
    from axe_playwright_python.sync_playwright import Axe

    path = path_of(paths, language, kind)
    visit(browser_page, site + path, status=status_for(kind))
    results = Axe().run(
        browser_page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_22_A_AA},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert violations == [], f"{path}:\n{violation_report(violations)}"


@every_page
def test_the_strict_policy_stands_and_refuses_nothing(
    site, paths, browser_page, language, kind
):
    path = path_of(paths, language, kind)
    browser_page.refused_on_console.clear()
    response = visit(browser_page, site + path, status=status_for(kind))
    browser_page.wait_for_load_state("load")

    policy = response.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy and "'unsafe" not in policy, path
    assert browser_page.evaluate("window.__refused") == [], path
    assert browser_page.refused_on_console == [], path


@every_page
def test_the_page_reads_without_javascript(site, paths, no_script_page, language, kind):
    page = no_script_page
    path = path_of(paths, language, kind)
    visit(page, site + path, status=status_for(kind))

    assert page.locator("main").count() == 1, path
    assert page.locator("main h1").first.is_visible(), path
    assert page.locator("main h1").first.inner_text().strip(), path
    nav_links = page.locator(".site-nav a")
    assert nav_links.count() >= 3, path
    for href in nav_links.evaluate_all("links => links.map(link => link.href)"):
        assert href.startswith(f"{site}/{language}/"), (path, href)


@every_page
def test_the_first_tab_reaches_a_visible_skip_link_that_moves_focus_to_main(
    site, paths, browser_page, language, kind
):
    page = browser_page
    path = path_of(paths, language, kind)
    visit(page, site + path, status=status_for(kind))
    page.locator("body").focus()

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("link => link === document.activeElement"), path
    assert skip.is_visible() and _in_viewport(page, skip), path
    assert (
        skip.inner_text()
        == {"en": "Skip to content", "uk": "Перейти до змісту"}[language]
    )

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", path


def _in_viewport(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["x"] >= 0


def _focus_ring(element):
    return element.evaluate(
        """element => {
          const style = getComputedStyle(element);
          const outline = style.outlineStyle !== "none" &&
            parseFloat(style.outlineWidth) > 0;
          return outline || style.boxShadow !== "none";
        }"""
    )


def test_tabbing_through_the_home_page_reaches_the_header_with_a_visible_ring(
    site, paths, browser_page
):
    page = browser_page
    visit(page, site + paths["en"]["home"])
    page.locator("body").focus()

    reached = set()
    without_ring = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.count() == 0:
            break
        where = focused.evaluate(
            """element => [
              element.closest(".language-switcher") ? "language switcher" :
              element.closest(".site-nav") ? "main nav" :
              element.matches(".site-header__donate") ? "donate" : "",
              element.tagName + (element.className ? "." + element.className : "") +
                " " + (element.textContent || "").trim().slice(0, 40),
              element.matches("a, button"),
            ]"""
        )
        area, description, is_control = where
        if area:
            reached.add(area)
        if is_control and not _focus_ring(focused):
            without_ring.append(description)

    assert reached == {"language switcher", "main nav", "donate"}
    assert without_ring == []


def test_the_register_filter_works_without_javascript(site, paths, no_script_page):
    page = no_script_page
    visit(page, site + paths["en"]["register"])
    everyone = page.locator(".card").count()

    page.select_option("#f-status", "sentenced")
    page.click("form.register-search button[type=submit]")
    page.wait_for_url("**status=sentenced**")

    sentenced = page.locator(".card").count()
    assert 0 < sentenced < everyone
    statuses = page.locator(".card").all_inner_texts()
    assert all("Sentenced" in card for card in statuses), statuses


def test_the_statement_sign_form_and_the_donate_form_are_there_without_javascript(
    site, paths, no_script_page
):
    page = no_script_page
    visit(page, site + paths["en"]["statement"])
    sign = page.locator("form.sign-form")
    assert sign.is_visible()
    assert sign.locator("button[type=submit]").is_visible()

    visit(page, site + paths["en"]["donate"])
    donate = page.locator("form.donate-form")
    assert donate.get_by_role("button", name="Continue to payment").is_visible()
    # With the card-testing check off, the form posts without ALTCHA's widget.
    assert not page.get_by_text("needs JavaScript").is_visible()


def test_the_donate_page_says_so_when_the_card_testing_check_needs_javascript(
    site, paths, no_script_page, settings
):
    settings.DONATION_CHALLENGE = {**settings.DONATION_CHALLENGE, "always": True}
    page = no_script_page
    visit(page, site + paths["en"]["donate"])
    warning = page.locator("main .banner--warning", has_text="needs JavaScript")
    assert warning.is_visible()
