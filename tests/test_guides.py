"""The guides: the list of each language grouped by topic, its topic filter and
search, a guide's blocks, its documents (downloadable only while a live guide links
them), the "last reviewed" warning, the API and the sitemap. Drafts never show."""

import datetime

import pytest
from django.core.files.base import ContentFile
from fpdf import FPDF
from wagtail.documents import get_document_model

from guides.choices import GuideTopic
from guides.models import GuideIndexPage, GuidePage

pytestmark = pytest.mark.django_db


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # some kilobytes, for the size shown in KB
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in range(40):
        pdf.cell(
            text=f"Checklist for the CCF, item {line}.", new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())


def guide_index(home):
    index = GuideIndexPage(title="Guides", slug="guides")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_guide(index, *, title, live=True, **fields):
    fields.setdefault("summary", f"About {title}.")
    fields.setdefault("topic", GuideTopic.INTERPOL)
    guide = GuidePage(title=title, **fields)
    index.add_child(instance=guide)
    revision = guide.save_revision()
    if live:
        revision.publish()
    else:
        guide.unpublish()
    return guide


def document_block(document, **value):
    return {
        "type": "document",
        "value": {
            "document": document.pk,
            "title": value.get("title", "CCF checklist"),
            "description": "What to attach.",
            "language": value.get("language", "en"),
        },
    }


@pytest.fixture
def document(db):
    return get_document_model().objects.create(
        title="CCF checklist", file=ContentFile(a_pdf(), name="ccf.pdf")
    )


@pytest.fixture
def guides(home_pages):
    en = guide_index(home_pages["en"])
    return {
        "en": en,
        "ccf": add_guide(
            en,
            title="Challenging a Red Notice",
            summary="How to ask the CCF to delete a notice.",
        ),
        "letters": add_guide(
            en, title="Writing to a prisoner", topic=GuideTopic.WRITING
        ),
        "draft": add_guide(en, title="Unreleased Red Notice guide", live=False),
        "ukrainian": add_guide(guide_index(home_pages["uk"]), title="Листи в'язням"),
    }


def test_the_list_groups_live_guides_of_its_language_by_topic(client, guides):
    html = client.get(guides["en"].url).content.decode()

    assert "Challenging a Red Notice" in html
    assert "Writing to a prisoner" in html
    assert str(GuideTopic.WRITING.label) in html
    assert html.index("Writing to a prisoner") < html.index("Challenging a Red Notice")
    assert "Unreleased Red Notice guide" not in html
    assert "Листи в'язням" not in html


def test_the_list_filters_by_topic(client, guides):
    html = client.get(guides["en"].url, {"topic": "writing"}).content.decode()

    assert "Writing to a prisoner" in html
    assert "Challenging a Red Notice" not in html


def test_an_unknown_topic_shows_every_guide(client, guides):
    html = client.get(guides["en"].url, {"topic": "made-up"}).content.decode()

    assert "Writing to a prisoner" in html
    assert "Challenging a Red Notice" in html


def test_search_finds_a_live_guide_but_not_a_draft(client, guides):
    html = client.get(guides["en"].url, {"q": "Red Notice"}).content.decode()

    assert "Challenging a Red Notice" in html
    assert "Writing to a prisoner" not in html
    assert "Unreleased Red Notice guide" not in html


def test_a_document_block_shows_type_size_and_language_and_downloads(
    client, guides, document
):
    guide = add_guide(
        guides["en"], title="CCF with a checklist", body=[document_block(document)]
    )
    kilobytes = round(document.get_file_size() / 1024)
    assert kilobytes >= 2

    html = client.get(guide.url).content.decode()
    response = client.get(document.url)

    assert f'href="{document.url}"' in html
    assert f"PDF, {kilobytes} KB" in html
    assert "Language: English" in html
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_only_a_draft_guide_links_is_not_served(client, guides, document):
    add_guide(
        guides["en"],
        title="Draft with a checklist",
        body=[document_block(document)],
        live=False,
    )

    assert client.get(document.url).status_code == 404


def test_a_guides_document_stops_being_served_when_the_guide_is_unpublished(
    client, guides, document
):
    guide = add_guide(guides["en"], title="Soon gone", body=[document_block(document)])
    assert client.get(document.url).status_code == 200

    guide.unpublish()

    assert client.get(document.url).status_code == 404


def test_a_guide_reviewed_over_a_year_ago_says_it_may_be_out_of_date(client, guides):
    old = add_guide(
        guides["en"],
        title="Old asylum guide",
        last_reviewed=datetime.date.today() - datetime.timedelta(days=400),
    )

    stale = client.get(old.url).content.decode()
    fresh = client.get(guides["ccf"].url).content.decode()

    assert "This guide may be out of date." in stale
    assert old.last_reviewed.isoformat() in stale
    assert "Last reviewed" in fresh
    assert "This guide may be out of date." not in fresh


def test_the_api_gives_a_guides_public_fields_but_not_the_review_note(client, guides):
    guide = add_guide(
        guides["en"], title="Reviewed guide", review_note="Checked by lawyer Ivanova"
    )

    data = client.get(f"/api/v2/pages/{guide.pk}/").json()

    assert data["summary"] == "About Reviewed guide."
    assert data["topic"] == "interpol"
    assert "last_reviewed" in data
    assert "review_note" not in data
    assert "Ivanova" not in str(data)
    draft = client.get(f"/api/v2/pages/{guides['draft'].pk}/")
    assert draft.status_code == 404


def test_the_sitemap_lists_live_guides_but_not_drafts(client, guides):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert guides["ccf"].slug in sitemap
    assert guides["draft"].slug not in sitemap


def test_related_guides_show_their_live_version_only(client, guides):
    from guides.models import RelatedGuide

    guide = guides["ccf"]
    guide.related_guides.add(RelatedGuide(related=guides["letters"]))
    guide.related_guides.add(RelatedGuide(related=guides["draft"]))
    guide.save_revision().publish()

    html = client.get(guide.url).content.decode()

    assert "Related guides" in html
    assert "Writing to a prisoner" in html
    assert "Unreleased Red Notice guide" not in html
