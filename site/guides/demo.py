"""Demo content for the guides: the guide list under each home page, four fictional
guides and two small PDFs to download (a letter template and a CCF checklist).

The texts are data, in demo_guides.json, in uk, en, ru, be and crh; a language the
site has but the file does not is skipped. `load_guides()` is idempotent: the list
and guides are found by slug under their parent, translations by translation key,
documents by title in their collection. The PDFs are made here with fpdf2 and saved
through the Document model, so safedocs strips their metadata as any upload's.
"""

import datetime
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.models import HomePage

from .models import GuideIndexPage, GuidePage, RelatedGuide

DATA_FILE = Path(__file__).with_name("demo_guides.json")
SOURCE_LANG = "uk"
COLLECTION = "Guides"


def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


# --- Documents -------------------------------------------------------------------------


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one- or two-page A4 PDF of `lines`; a line starting "# " is a heading,
    "[ ] " a box to tick. Latin-1 only: the built-in fonts need no font file."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in lines:
        if line.startswith("# "):
            pdf.ln(3)
            pdf.set_font("helvetica", "B", 12)
            pdf.multi_cell(0, 7, line[2:], new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("[ ] "):
            pdf.set_font("helvetica", "", 11)
            y = pdf.get_y()
            pdf.rect(pdf.l_margin, y + 1.2, 4, 4)
            pdf.set_x(pdf.l_margin + 7)
            pdf.multi_cell(0, 6.5, line[4:], new_x="LMARGIN", new_y="NEXT")
        elif line == "":
            pdf.ln(4)
        else:
            pdf.set_font("helvetica", "", 11)
            pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=COLLECTION).first()
    return found or root.add_child(name=COLLECTION)


def load_documents(data: dict) -> dict[str, int]:
    """The demo PDFs as Wagtail documents, by their key in the data file."""
    Document = get_document_model()
    collection = _collection()
    ids = {}
    for key, spec in data["documents"].items():
        document = Document.objects.filter(
            collection=collection, title=spec["title"]
        ).first()
        if document is None:
            document = Document(
                title=spec["title"],
                collection=collection,
                file=ContentFile(_pdf(spec["title"], spec["lines"]), name=spec["file"]),
            )
            # The model's save: safedocs' pre_save strips the metadata fpdf wrote.
            document._set_document_file_metadata()
            document.save()
        ids[key] = document.pk
    return ids


# --- Pages -----------------------------------------------------------------------------


def load_indexes(homes: dict[str, HomePage], langs, data) -> dict[str, GuideIndexPage]:
    """The guide list (slug "guides") under each home page: made in Ukrainian, then
    translated; left as it is when it exists."""
    source = GuideIndexPage.objects.child_of(homes[SOURCE_LANG]).first()
    if source is None:
        title, intro = data["index"][SOURCE_LANG]
        source = GuideIndexPage(
            title=title, slug="guides", intro=intro, locale=homes[SOURCE_LANG].locale
        )
        homes[SOURCE_LANG].add_child(instance=source)
        source.save_revision().publish()
    indexes = {SOURCE_LANG: source}
    for lang in langs:
        if lang == SOURCE_LANG:
            continue
        index = source.get_translation_or_none(homes[lang].locale)
        if index is None:
            title, intro = data["index"][lang]
            # Lands under homes[lang], the translation of the uk list's parent.
            index = source.copy_for_translation(homes[lang].locale)
            index.title, index.intro = title, intro
            index.save()
            index.save_revision().publish()
        indexes[lang] = index.specific
    return indexes


def _body(blocks: list[dict], documents: dict[str, int], note: str) -> list[dict]:
    body = []
    for block in blocks:
        if block["type"] == "document":
            value = {
                **block["value"],
                "document": documents[block["value"]["document"]],
            }
            body.append({"type": "document", "value": value})
        else:
            body.append(block)
    body.append({"type": "paragraph", "value": f"<p><em>{note}</em></p>"})
    return body


def _fields(guide: dict, lang: str, data: dict, documents: dict[str, int]) -> dict:
    text = guide["texts"][lang]
    return {
        "title": text["title"],
        "summary": text["summary"],
        "audience": text.get("audience", ""),
        "body": _body(text["body"], documents, data["note"][lang]),
    }


def load_guide(guide: dict, indexes, data: dict, documents) -> GuidePage:
    """The guide in Ukrainian, then in every other language of `indexes` that the
    guide has texts for."""
    page = GuidePage.objects.child_of(indexes[SOURCE_LANG]).filter(slug=guide["slug"])
    page = page.first()
    if page is None:
        page = GuidePage(
            slug=guide["slug"],
            locale=indexes[SOURCE_LANG].locale,
            topic=guide["topic"],
            last_reviewed=datetime.date.fromisoformat(guide["last_reviewed"]),
            **_fields(guide, SOURCE_LANG, data, documents),
        )
        indexes[SOURCE_LANG].add_child(instance=page)
        page.save_revision().publish()

    for lang, index in indexes.items():
        if lang == SOURCE_LANG or lang not in guide["texts"]:
            continue
        if page.get_translation_or_none(index.locale):
            continue
        copy = page.copy_for_translation(index.locale)
        translated = GuidePage.objects.get(pk=copy.pk)
        for field, value in _fields(guide, lang, data, documents).items():
            setattr(translated, field, value)
        translated.save()
        translated.save_revision().publish()
    return page


def _relate(guides: dict[str, GuidePage], data: dict) -> None:
    """Related guides, chosen on the Ukrainian guide: a translation shows its own
    language's version (see guides.selectors.related_guides). Once only."""
    for guide in data["guides"]:
        page = guides[guide["slug"]]
        if page.related_guides.exists() or not guide["related"]:
            continue
        for order, slug in enumerate(guide["related"]):
            page.related_guides.add(
                RelatedGuide(sort_order=order, related=guides[slug])
            )
        page.save_revision().publish()
        # Each translation is a page of its own, with its own related rows.
        for translation in page.get_translations():
            translation = translation.specific
            if translation.related_guides.exists():
                continue
            for order, slug in enumerate(guide["related"]):
                translation.related_guides.add(
                    RelatedGuide(sort_order=order, related=guides[slug])
                )
            translation.save_revision().publish()


def load_guides(homes: dict[str, HomePage]) -> dict:
    """The guide list in every language of `homes` that the demo has texts for, the
    four demo guides and their documents."""
    data = _data()
    langs = [lang for lang in homes if lang in data["index"]]
    if SOURCE_LANG not in langs:
        return {"guides": 0, "languages": []}
    with transaction.atomic():
        documents = load_documents(data)
        indexes = load_indexes(homes, langs, data)
        guides = {
            guide["slug"]: load_guide(guide, indexes, data, documents)
            for guide in data["guides"]
        }
        _relate(guides, data)
    return {
        "guides": GuidePage.objects.child_of(indexes[SOURCE_LANG]).count(),
        "documents": len(documents),
        "languages": sorted(indexes),
    }
