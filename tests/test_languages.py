"""The site's languages: URLs carry the language, and the switcher keeps you in
place."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def switcher_links(html: str) -> dict[str, str]:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {
        code: href for href, code in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav)
    }


def test_the_bare_address_redirects_to_the_visitors_language(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.parametrize("code", ["be", "crh"])
def test_a_belarusian_or_crimean_tatar_browser_is_sent_to_its_language(
    client, home_pages, code
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{code},ru;q=0.5")

    assert response["Location"] == f"/{code}/"


def test_ukrainian_is_the_default_language(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")

    assert response["Location"] == "/uk/"


@pytest.mark.parametrize(
    ("code", "title", "skip_link"),
    [
        ("uk", "Солідарність", "Перейти до змісту"),
        ("en", "Solidarity", "Skip to content"),
        ("ru", "Солидарность", "Перейти к содержанию"),
        ("be", "Салідарнасць", "Перайсці да зместу"),
        ("crh", "Birdemlik", "Mündericege keçmek"),
    ],
)
def test_the_home_page_is_served_in_each_language(
    client, home_pages, code, title, skip_link
):
    response = client.get(f"/{code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert f"<h1>{title}</h1>" in html
    assert skip_link in html  # interface strings come from the compiled .po files


def test_the_switcher_on_a_page_links_to_its_translations(client, home_pages):
    html = client.get("/en/").content.decode()

    assert switcher_links(html) == {code: f"/{code}/" for code in LANGUAGES}
    assert 'aria-current="true" data-language="en"' in html


def test_the_switcher_names_each_language_in_itself(client, home_pages):
    html = client.get("/crh/").content.decode()

    for name in ("Українська", "English", "Русский", "Беларуская", "Qırımtatarca"):
        assert f">{name}</a>" in html
    assert 'aria-current="true" data-language="crh"' in html


def test_the_switcher_on_a_non_page_view_keeps_the_path(client, home_pages):
    html = client.get("/en/accounts/login/").content.decode()

    assert switcher_links(html) == {
        code: f"/{code}/accounts/login/" for code in LANGUAGES
    }


def test_the_sign_in_page_speaks_the_language_of_its_url(client, home_pages):
    uk = client.get("/uk/accounts/login/").content.decode()
    ru = client.get("/ru/accounts/login/").content.decode()

    assert "Увійти" in uk
    assert "Войти" in ru


def test_every_language_has_a_compiled_catalogue_matching_its_po_file():
    import gettext
    from pathlib import Path

    import polib

    locale_dir = Path(__file__).resolve().parent.parent / "locale"
    for code in [code for code in LANGUAGES if code != "en"]:
        po = polib.pofile(str(locale_dir / code / "LC_MESSAGES" / "django.po"))
        compiled = gettext.translation("django", localedir=locale_dir, languages=[code])
        translated = po.translated_entries()
        assert len(translated) > 20, code
        for entry in translated:
            if entry.msgid_plural:
                continue
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled._catalog.get(key) == entry.msgstr, (code, entry.msgid)
