"""Names people type in lose control, bidi and other invisible characters; a name
made only of them is refused with a clear message."""

import pytest
from django.core import mail

from campaigns.models import Signature
from donations.giving.forms import DonationForm
from solidarity.text import clean_name

pytestmark = pytest.mark.django_db

INDIVIDUAL = {
    "kind": "individual",
    "show_name": "on",
    "country": "PL",
    "email": "olena@example.org",
}


@pytest.fixture
def sign(client, statement, django_capture_on_commit_callbacks):
    def do(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(statement.url, data)

    return do


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Olena\u202e Kovalenko", "Olena Kovalenko"),  # right-to-left override
        ("\u2067Olena\u2069 \u202aK\u202c", "Olena K"),  # isolates, embeddings
        ("\u200eOlena\u200f\u061c", "Olena"),  # direction marks
        ("Ol\u200bena\ufeff", "Olena"),  # zero-width space, byte-order mark
        ("Olena\x00\x07\x1b[31m", "Olena[31m"),  # NUL, bell, escape
        ("  Olena\tK.\n\r\u2028Kovalenko  ", "Olena K. Kovalenko"),
        ("Zoe\u0308", "Zoë"),  # decomposed: stored as NFC
    ],
)
def test_a_name_loses_invisible_characters_and_extra_whitespace(typed, kept):
    assert clean_name(typed) == kept


def test_joiners_inside_a_word_stay_for_the_scripts_that_spell_with_them():
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"

    assert clean_name(persian) == persian
    assert clean_name("\u200cOlena\u200d \u200d") == "Olena"


def test_a_signature_is_saved_with_its_name_cleaned(sign):
    response = sign({**INDIVIDUAL, "name": "\u202eOlena\x07 Kovalenko\u200b"})

    assert response.status_code == 302
    assert Signature.objects.get().name == "Olena Kovalenko"


@pytest.mark.parametrize("kind", ["individual", "organisation"])
def test_a_name_made_only_of_invisible_characters_is_refused_and_nothing_saved(
    sign, kind
):
    response = sign(
        {
            **INDIVIDUAL,
            "kind": kind,
            "name": "\u202e\u200b\u2066\x07",
            "website": "https://example.org",
        }
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["name"]
    assert errors == [
        "This name is made only of invisible or control characters. "
        "Please type it again."
    ]
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_an_organisations_website_with_a_bidi_override_is_refused(sign):
    response = sign(
        {
            **INDIVIDUAL,
            "kind": "organisation",
            "name": "Crimean Human Rights Group",
            "website": "https://exa\u202emple.org",
        }
    )

    assert response.status_code == 400
    assert "invisible characters" in " ".join(
        response.context["form"].errors["website"]
    )
    assert not Signature.objects.exists()


def test_a_donors_public_name_is_cleaned_too():
    form = DonationForm(data={"show_name": "on", "public_name": "\u202eAnn\x07a"})
    form.is_valid()

    assert form.cleaned_data["public_name"] == "Anna"


def test_a_donors_public_name_of_only_invisible_characters_is_refused():
    form = DonationForm(data={"show_name": "on", "public_name": "\u2066\u200b"})

    assert not form.is_valid()
    assert form.errors["public_name"] == [
        "This name is made only of invisible or control characters. "
        "Please type it again."
    ]
