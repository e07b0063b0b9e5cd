"""A reporter sends a case from a real browser: sealed there when JavaScript is on,
so the server only ever receives ciphertext, and still sent when it is off."""

import contextlib
import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image

from intake import crypto, services
from intake.models import Attachment, Report
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.intake_helpers import PASSPHRASE, appoint, recovery_key

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = {
    "person": "Ільмі Умеров",
    "where": "Сімферополь, СІЗО-1",
    "what_happened": "Затримали 12 березня, стаття 280. Обшук уночі.",
    "contact": "Signal +380501234567",
}
PHOTO_NAME = "арешт-біля-суду.jpg"


@pytest.fixture
def triage(django_user_model):
    user = django_user_model.objects.create_user(
        username="triage@example.org", email="triage@example.org"
    )
    recovery_key()
    return appoint(user)


def triage_key(recipient):
    return crypto.unwrap_private_key(
        wrapped=bytes(recipient.wrapped_private_key),
        passphrase=PASSPHRASE,
        salt=bytes(recipient.kdf_salt),
        ops=recipient.kdf_ops,
        mem=recipient.kdf_mem,
    )


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (24, 16), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 27.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@contextlib.contextmanager
def browser_page(*, javascript: bool = True):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                locale="uk-UA", java_script_enabled=javascript
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()


class Traffic:
    """Every request the page makes, and the bodies of the posts it sends."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.posts: list[bytes] = []
        page.on("request", lambda request: self.urls.append(request.url))

        def keep_body(route):
            if route.request.method == "POST":
                self.posts.append(route.request.post_data_buffer or b"")
            route.continue_()

        page.route("**/*", keep_body)


def fill_in(page, *, photo: bool = True):
    page.fill("#id_person", TYPED["person"])
    page.check("input[name=relation][value=relative]")
    page.fill("#id_where", TYPED["where"])
    page.fill("#id_what_happened", TYPED["what_happened"])
    page.check("input[name=persecuted_by][value=state]")
    page.check("input[name=persecuted_by][value=court]")
    page.check("input[name=help_needed][value=lawyer]")
    page.fill("#id_contact", TYPED["contact"])
    if photo:
        page.set_input_files(
            "#id_files",
            {"name": PHOTO_NAME, "mimeType": "image/jpeg", "buffer": photo_with_gps()},
        )


def receipt_code(page) -> str:
    text = page.locator("#receipt-code").inner_text(timeout=30_000)
    return re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}", text).group(0)


def opened_report(triage):
    report = Report.objects.get()
    opened = services.open_report(
        report=report, recipient=triage, key=triage_key(triage), user=triage.user
    )
    return report, opened[0]


def test_with_javascript_the_browser_seals_the_report_and_the_server_sees_no_plaintext(
    live_server, triage
):
    with browser_page() as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        code = receipt_code(page)

    assert len(code.replace("-", "")) == 32
    [body] = traffic.posts
    assert b'name="sealed"\r\n\r\n1' in body
    assert b'name="sealed_files"' in body
    for typed in [*TYPED.values(), PHOTO_NAME, "relative", "lawyer"]:
        assert typed.encode() not in body, typed
    assert b"PhoneMaker" not in body and b"\xff\xd8\xff" not in body
    assert not re.search(rb'name="(person|where|what_happened|contact|files)"', body)

    report, entry = opened_report(triage)
    assert report.language == "uk"
    assert entry.content == {
        "person": TYPED["person"],
        "relation": "relative",
        "where": TYPED["where"],
        "what_happened": TYPED["what_happened"],
        "persecuted_by": ["state", "court"],
        "help_needed": ["lawyer"],
        "contact": TYPED["contact"],
    }
    meta, data = services.open_attachment(
        attachment=Attachment.objects.get(),
        recipient=triage,
        key=triage_key(triage),
        user=triage.user,
    )
    assert meta == {"name": PHOTO_NAME, "content_type": "image/jpeg"}
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (24, 16)
        assert not image.getexif()
    assert b"PhoneMaker" not in data


def test_the_page_asks_nothing_of_any_other_host(live_server, triage):
    with browser_page() as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        receipt_code(page)

    ours = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in traffic.urls} == {ours}, traffic.urls
    assert any(url.endswith("/vendor/libsodium/libsodium.js") for url in traffic.urls)


def test_missing_answers_are_shown_in_the_page_and_nothing_is_sent(live_server, triage):
    with browser_page() as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        page.fill("#id_where", TYPED["where"])
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        summary = page.locator(".intake-errors[role=alert]")
        summary.wait_for()
        marked = page.locator(".field--error")
        assert marked.count() == 3  # who, who you are to them, what happened
        assert page.locator("#intake-error-person").is_visible()
        assert page.locator("#id_person").get_attribute("aria-invalid") == "true"
        assert summary.locator("li").count() == 3
        page.wait_for_timeout(300)
        assert page.url.endswith("/uk/report/")

    assert traffic.posts == []
    assert Report.objects.count() == 0


def test_a_file_of_another_type_is_refused_beside_the_field(live_server, triage):
    with browser_page() as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page, photo=False)
        page.set_input_files(
            "#id_files",
            {"name": "run.exe", "mimeType": "application/pdf", "buffer": b"MZ\x90rest"},
        )
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        error = page.locator("#intake-error-files")
        error.wait_for()
        assert "run.exe" in error.inner_text()

    assert traffic.posts == []
    assert Report.objects.count() == 0


def test_without_libsodium_the_form_is_sent_as_it_is_and_sealed_on_arrival(
    live_server, triage
):
    with browser_page() as page:
        page.route("**/vendor/libsodium/**", lambda route: route.abort())
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        receipt_code(page)

    _report, entry = opened_report(triage)
    assert entry.content["person"] == TYPED["person"]


def test_without_javascript_the_report_is_sealed_on_arrival(live_server, triage):
    with browser_page(javascript=False) as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        code = receipt_code(page)

    assert len(code.replace("-", "")) == 32
    assert not any("libsodium" in url for url in traffic.urls)
    # The same capture sees plaintext when there is some: the test above can fail.
    [body] = traffic.posts
    assert TYPED["person"].encode() in body and b"PhoneMaker" in body
    _report, entry = opened_report(triage)
    assert entry.content["what_happened"] == TYPED["what_happened"]
    assert entry.files[0][1]["content_type"] == "image/jpeg"


# The site's own policy has no 'wasm-unsafe-eval': intake-seal.js makes libsodium
# take its asm.js copy, so the report is still sealed, with no refusal. The test
# sets the policy itself, stricter still (base-uri 'none'), and with WebAssembly
# allowed as well, so that either way the browser seals.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'{wasm}; style-src 'self'; "
    "worker-src 'self'; connect-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'"
)


@pytest.mark.parametrize(
    "wasm", [" 'wasm-unsafe-eval'", ""], ids=["wasm-allowed", "no-unsafe-at-all"]
)
def test_under_a_strict_policy_the_report_is_sealed_in_the_browser(
    live_server, triage, wasm
):
    policy = STRICT_CSP.format(wasm=wasm)
    refused: list[str] = []
    with browser_page() as page:
        posts: list[bytes] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: refused.append(str(error)))

        def add_policy(route):
            if route.request.method == "POST":
                posts.append(route.request.post_data_buffer or b"")
            if route.request.resource_type != "document":
                route.continue_()
                return
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": policy}
            route.fulfill(response=response, headers=headers)

        page.route(f"{live_server.url}/**", add_policy)
        page.goto(f"{live_server.url}/uk/report/")
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        receipt_code(page)

    [body] = posts
    assert b'name="sealed"\r\n\r\n1' in body
    assert TYPED["person"].encode() not in body
    assert refused == []
    _report, entry = opened_report(triage)
    assert entry.content["person"] == TYPED["person"]


@pytest.fixture
def busy(settings):
    """More reports this hour than triage expects: the form asks for a proof."""
    settings.INTAKE_RATE_LIMITS = {
        **settings.INTAKE_RATE_LIMITS,
        "busy": {"limit": 0, "window": 3600},
    }
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "cost": 10,
        "maxnumber": 200,
    }
    return settings


def test_when_busy_the_browser_solves_the_proof_of_work_and_still_seals(
    live_server, triage, busy
):
    with browser_page() as page:
        traffic = Traffic(page)
        page.goto(f"{live_server.url}/uk/report/")
        page.locator("form.intake-form altcha-widget").wait_for()
        fill_in(page)
        page.get_by_role("button", name=re.compile("Send|Надіслати")).click()
        receipt_code(page)

    [body] = traffic.posts
    assert b'name="sealed"\r\n\r\n1' in body
    assert re.search(rb'name="altcha"\r\n\r\n[A-Za-z0-9+/=]{20,}', body)
    assert TYPED["person"].encode() not in body
    assert Report.objects.count() == 1


# --- Coming back with the receipt code: additions ----------------------------------

ADDED = "Суд призначено на 3 квітня, адвокат Курбедінов."
ADDED_PHOTO = "повістка-до-суду.jpg"


def reported(triage) -> str:
    """A report already in, as from the form; its receipt code."""
    receipt = services.submit_report(
        content={"person": TYPED["person"], "what_happened": TYPED["what_happened"]},
        files=[],
        language="uk",
    )
    return receipt.code


def add_in_the_browser(page, live_server, code: str):
    page.goto(f"{live_server.url}/uk/report/check/")
    page.fill("#id_code", code)
    page.locator("form.intake-form button[type=submit]").click()
    page.locator("form.intake-form #id_text").wait_for()
    page.fill("#id_text", ADDED)
    page.set_input_files(
        "#id_files",
        {"name": ADDED_PHOTO, "mimeType": "image/jpeg", "buffer": photo_with_gps()},
    )
    page.locator("form.intake-form button[type=submit]").click()
    page.locator(".banner--success[role=status]").wait_for(timeout=30_000)


def opened_addition(triage):
    report = Report.objects.get()
    key = triage_key(triage)
    opened = services.open_report(
        report=report, recipient=triage, key=key, user=triage.user
    )
    [added] = [o for o in opened if o.entry.kind == "addition"]
    [(attachment, meta)] = added.files
    _meta, data = services.open_attachment(
        attachment=attachment, recipient=triage, key=key, user=triage.user
    )
    return added.content, meta, data


def test_with_javascript_an_addition_is_sealed_in_the_browser_to_the_reports_key(
    live_server, triage
):
    code = reported(triage)
    with browser_page() as page:
        traffic = Traffic(page)
        add_in_the_browser(page, live_server, code)

    [_opening, body] = traffic.posts
    assert b'name="sealed"\r\n\r\n1' in body
    assert b'name="sealed_files"' in body
    assert code.encode() in body  # only to find the report
    for typed in [ADDED, ADDED_PHOTO]:
        assert typed.encode() not in body, typed
    assert b"PhoneMaker" not in body and b"\xff\xd8\xff" not in body
    assert not re.search(rb'name="(text|files)"', body)

    content, meta, data = opened_addition(triage)
    assert content == {"text": ADDED}
    assert meta == {"name": ADDED_PHOTO, "content_type": "image/jpeg"}
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (24, 16)
        assert not image.getexif()


def test_without_javascript_an_addition_is_sealed_on_arrival(live_server, triage):
    code = reported(triage)
    with browser_page(javascript=False) as page:
        traffic = Traffic(page)
        add_in_the_browser(page, live_server, code)

    # The same capture sees plaintext when there is some: the test above can fail.
    [_opening, body] = traffic.posts
    assert ADDED.encode() in body and b"PhoneMaker" in body
    content, meta, _data = opened_addition(triage)
    assert content == {"text": ADDED}
    assert meta["content_type"] == "image/jpeg"


def test_without_libsodium_an_addition_is_sent_as_it_is(live_server, triage):
    code = reported(triage)
    with browser_page() as page:
        page.route("**/vendor/libsodium/**", lambda route: route.abort())
        add_in_the_browser(page, live_server, code)

    content, _meta, _data = opened_addition(triage)
    assert content == {"text": ADDED}


def test_an_empty_addition_is_refused_in_the_page_and_nothing_is_sent(
    live_server, triage
):
    code = reported(triage)
    with browser_page() as page:
        page.goto(f"{live_server.url}/uk/report/check/")
        page.fill("#id_code", code)
        page.locator("form.intake-form button[type=submit]").click()
        page.locator("form.intake-addition").wait_for()
        traffic = Traffic(page)
        page.locator("form.intake-addition button[type=submit]").click()
        page.locator("#intake-error-text").wait_for()

    assert traffic.posts == []
    assert not Report.objects.get().entries.filter(kind="addition").exists()
