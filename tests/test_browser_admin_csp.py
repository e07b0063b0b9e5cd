"""The site's real Content-Security-Policy, in headless Chromium: an editor works in
the Wagtail admin (dashboard, explorer, editing, preview, choosers, saving a draft),
a Board member reads the plotly dashboard, and a visitor solves ALTCHA's check on
the donate and report forms, and the browser refuses nothing on the way.

Every frame reports each `securitypolicyviolation` event to the test through an
exposed binding, so the preview's iframe is watched as well as the admin around it."""

import re

import pyotp
import pytest

from accounts.roles import BOARD_GROUP
from donations.dashboard import selectors
from donations.models import Designation
from tests.browser import chromium_page
from tests.conftest import PASSWORD, add_profile, admin_in_english, make_user
from tests.factories import CampaignPageFactory
from tests.test_board_dashboard_totals import at, give
from tests.test_browser_intake import fill_in, receipt_code
from tests.test_browser_intake import triage as triage  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.pathname,
  });
});
"""


class Watch:
    """What the browser refused under the policy, and what it logged as an error,
    in every frame of `page`."""

    def __init__(self, page):
        self.violations: list[dict] = []
        self.errors: list[str] = []
        page.context.expose_binding(
            "reportCspViolation",
            lambda _source, violation: self.violations.append(violation),
        )
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._keep_error)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _keep_error(self, message) -> None:
        # Wagtail's accessibility checker reports what it finds in the preview as a
        # console error; that is a finding about content, not a broken page.
        if message.type == "error" and not message.text.startswith("axe.run"):
            self.errors.append(f"{message.text} ({message.location['url']})")

    def assert_nothing_refused(self, page) -> None:
        page.wait_for_timeout(200)  # the event follows the refusal
        assert self.violations == [], self.violations
        assert self.errors == [], self.errors


def sign_in(page, live_server, *, path: str, email: str, secret: str) -> None:
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_url(f"**{path}")


def chooser_modal(page):
    """The chooser modal Wagtail opened, once its content has loaded."""
    modal = page.locator(".modal:visible .modal-content").first
    modal.wait_for(state="visible")
    return modal


def close_modal(page) -> None:
    page.locator(".modal:visible [data-dismiss]").first.click()
    page.locator(".modal:visible").first.wait_for(state="hidden")


def test_an_editor_works_in_the_admin_and_the_preview_under_the_admin_policy(
    live_server, prisoner_index, django_user_model
):
    secret = pyotp.random_base32()
    admin_in_english(
        make_user(
            django_user_model,
            email="csp-editor@example.org",
            group="Editors",
            totp_secret=secret,
        )
    )
    profile = add_profile(prisoner_index, title="Server Mustafayev")

    with chromium_page() as page:
        watch = Watch(page)
        sign_in(
            page,
            live_server,
            path="/admin/",
            email="csp-editor@example.org",
            secret=secret,
        )
        assert page.locator(".w-dashboard, main").first.is_visible()
        watch.assert_nothing_refused(page)

        page.goto(f"{live_server.url}/admin/pages/{prisoner_index.pk}/")
        assert page.get_by_role("link", name="Server Mustafayev").first.is_visible()
        watch.assert_nothing_refused(page)

        page.goto(f"{live_server.url}/admin/pages/{profile.pk}/edit/")
        page.fill("#id_title", "Server Mustafayev (draft)")

        # The preview renders the public template, under /admin/, in an iframe.
        page.locator('[data-side-panel-toggle="preview"]').click()
        preview = page.frame_locator("#w-preview-iframe")
        preview.get_by_role(
            "heading", level=1, name="Server Mustafayev (draft)"
        ).wait_for()
        watch.assert_nothing_refused(page)
        page.locator('[data-side-panel-toggle="preview"]').click()  # closes it

        # Wagtail starts its date pickers and choosers with inline scripts.
        page.locator("#id_detained_on").click()
        page.locator(".xdsoft_datetimepicker:visible").first.wait_for()
        page.keyboard.press("Escape")
        page.locator("#id_photo").locator("xpath=..").get_by_role(
            "button", name=re.compile("Choose an image")
        ).click()
        modal = chooser_modal(page)
        assert modal.get_by_role("tab", name=re.compile("Upload")).count() >= 1
        close_modal(page)
        watch.assert_nothing_refused(page)

        # No edit form of ours has a document chooser; open Wagtail's as its
        # widget does, through the admin's ModalWorkflow.
        page.evaluate(
            "url => window.ModalWorkflow({url: url})", "/admin/documents/chooser/"
        )
        modal = chooser_modal(page)
        assert modal.get_by_role("tab", name=re.compile("Upload")).count() >= 1
        close_modal(page)
        watch.assert_nothing_refused(page)

        page.get_by_role("button", name="Save draft").click()
        page.locator(".messages").get_by_text(re.compile("updated")).wait_for()
        watch.assert_nothing_refused(page)

    profile.refresh_from_db()
    assert profile.get_latest_revision().content["title"] == "Server Mustafayev (draft)"
    assert profile.title == "Server Mustafayev"  # a draft, not published


def test_the_board_dashboard_draws_its_plotly_charts_under_the_admin_policy(
    live_server, prisoner_index, django_user_model
):
    secret = pyotp.random_base32()
    make_user(
        django_user_model,
        email="csp-board@example.org",
        group=BOARD_GROUP,
        totp_secret=secret,
    )
    case = add_profile(prisoner_index, title="Nariman Dzhelialov")
    give(
        designation=Designation.CASE,
        subject_key=case.translation_key,
        amount=2500,
        when=at(selectors.add_months(selectors.current_month(), -1)),
    )

    with chromium_page() as page:
        watch = Watch(page)
        sign_in(
            page,
            live_server,
            path="/admin/board/",
            email="csp-board@example.org",
            secret=secret,
        )
        chart = page.locator('[data-figure="flow"]')
        chart.locator("svg.main-svg").first.wait_for(state="attached")
        page.locator('[data-figure][data-drawn="true"]').first.wait_for(
            state="attached"
        )
        assert chart.locator(".sankey-node").count() >= 2
        watch.assert_nothing_refused(page)


@pytest.fixture
def challenged(settings):
    """The donate form asks every browser for a quick proof of work."""
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "always": True,
        "cost": 10,
        "maxnumber": 200,
    }
    settings.INTAKE_RATE_LIMITS = {
        **settings.INTAKE_RATE_LIMITS,
        "busy": {"limit": 0, "window": 3600},
    }
    return settings


def test_a_visitor_solves_altchas_check_on_the_donate_page_under_the_public_policy(
    live_server, challenged, campaign_index
):
    campaign = CampaignPageFactory(
        parent=campaign_index, title="Free the Crimean Tatars"
    )
    campaign.save_revision().publish()
    with chromium_page() as page:
        watch = Watch(page)
        page.goto(f"{live_server.url}/en/donate/")
        csp = page.context.request.get(f"{live_server.url}/en/donate/").headers[
            "content-security-policy"
        ]
        assert "style-src 'self';" in csp and "unsafe" not in csp
        form = page.locator("form.donate-form")
        widget = form.locator("altcha-widget")
        widget.wait_for()
        assert "I'm not a robot" in widget.inner_text()
        form.get_by_label("Other amount").fill("12.50")
        form.get_by_role("button", name="Continue to payment").click()
        page.wait_for_url("**/donate/simulated/**")
        assert "€12.50" in page.locator(".facts").inner_text()
        watch.assert_nothing_refused(page)


def test_a_reporter_solves_altchas_check_on_the_report_form_under_the_public_policy(
    live_server,
    challenged,
    triage,  # noqa: F811
):
    from intake.models import Report

    with chromium_page() as page:
        watch = Watch(page)
        page.goto(f"{live_server.url}/en/report/")
        csp = page.context.request.get(f"{live_server.url}/en/report/").headers[
            "content-security-policy"
        ]
        assert "style-src 'self';" in csp and "unsafe" not in csp
        page.locator("form.intake-form altcha-widget").wait_for()
        fill_in(page)
        page.locator("form.intake-form button[type=submit]").click()
        receipt_code(page)
        watch.assert_nothing_refused(page)

    # The server refuses a busy form's report without a valid proof of work.
    assert Report.objects.get().language == "en"
