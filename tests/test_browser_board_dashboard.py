"""A Board member signs in (password, then TOTP) and opens the dashboard in headless
Chromium: the charts render, and nothing loads from any host but ours."""

import pyotp
import pytest

from accounts.roles import BOARD_GROUP
from donations.dashboard import selectors
from donations.models import Designation
from tests.browser import chromium_page
from tests.conftest import PASSWORD, add_profile, make_user
from tests.test_board_dashboard_totals import at, give

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_board_member_opens_the_dashboard_and_its_charts_render_from_our_server(
    live_server, prisoner_index, django_user_model
):
    secret = pyotp.random_base32()
    make_user(
        django_user_model,
        email="browser-board@example.org",
        group=BOARD_GROUP,
        totp_secret=secret,
    )
    case = add_profile(prisoner_index, title="Nariman Dzhelialov")
    for months_ago in (3, 2, 1):
        give(
            designation=Designation.CASE,
            subject_key=case.translation_key,
            amount=2500 * months_ago,
            when=at(selectors.add_months(selectors.current_month(), -months_ago)),
        )
    give(
        designation=Designation.GENERAL,
        amount=10000,
        when=at(selectors.current_month(), 1),
    )

    requested: list[str] = []
    with chromium_page() as page:
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{live_server.url}/admin/board/")
        assert "/accounts/login/" in page.url

        page.fill("input[name=login]", "browser-board@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_url("**/admin/board/**")

        assert page.get_by_role("heading", name="Board dashboard").is_visible()
        for figure in ("raised-by-fund", "flow", "donors", "categories"):
            chart = page.locator(f'[data-figure="{figure}"]')
            chart.locator("svg.main-svg").first.wait_for(state="attached")
            assert chart.get_attribute("data-drawn") == "true" or (
                chart.locator("svg.main-svg").count() >= 1
            )
        # The flow diagram draws its boxes; the table holds the same numbers.
        assert page.locator('[data-figure="flow"] .sankey-node').count() >= 3
        assert page.locator("#table-cases").get_by_text("Nariman Dzhelialov").count()
        total = page.locator('[data-total="gross"]').first.inner_text()
        assert total == "€250"

        # The filters work without a script: a GET form.
        page.select_option("select[name=category]", "counsel")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**category=counsel**")
        page.locator('[data-figure="flow"] svg.main-svg').first.wait_for(
            state="attached"
        )

    assert requested, "the browser made no request at all"
    foreign = [
        url
        for url in requested
        if not url.startswith(live_server.url)
        and not url.startswith(("data:", "blob:"))
    ]
    assert foreign == [], foreign
    assert any(url.endswith("/static/vendor/plotly.min.js") for url in requested)
