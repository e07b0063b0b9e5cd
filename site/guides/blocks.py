"""A guide's body: headings, text, numbered steps, checklists, safety warnings and
documents to download. No embeds: a third-party player would tell its host who
reads a guide on writing to a prisoner."""

from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from .choices import DocumentLanguage

TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]

# What a visitor is told a file is, from its extension: "PDF, 84 KB".
FILE_KINDS = {
    "pdf": "PDF",
    "docx": "Word",
    "odt": "OpenDocument",
    "rtf": "RTF",
    "txt": "Text",
    "csv": "CSV",
    "xlsx": "Excel",
    "ods": "OpenDocument",
    "pptx": "PowerPoint",
    "odp": "OpenDocument",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "webp": "WebP",
}


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "guides/blocks/heading_block.html"
        label = _("Heading")


class StepsBlock(blocks.StructBlock):
    """Numbered steps, each a short title and what to do."""

    title = blocks.CharBlock(label=_("title"), required=False)
    steps = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(label=_("step"))),
                (
                    "text",
                    blocks.RichTextBlock(
                        label=_("what to do"), features=TEXT_FEATURES, required=False
                    ),
                ),
            ],
            label=_("step"),
        ),
        label=_("steps"),
    )

    class Meta:
        icon = "list-ol"
        template = "guides/blocks/steps_block.html"
        label = _("Numbered steps")


class ChecklistBlock(blocks.StructBlock):
    """Things to have or check, printed with boxes to tick."""

    title = blocks.CharBlock(label=_("title"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(label=_("item")), label=_("items"))

    class Meta:
        icon = "tasks"
        template = "guides/blocks/checklist_block.html"
        label = _("Checklist")


class WarningBlock(blocks.StructBlock):
    """What can put someone in danger: stands out on screen and on paper."""

    title = blocks.CharBlock(label=_("title"), default=_("For your safety"))
    text = blocks.RichTextBlock(label=_("text"), features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "guides/blocks/warning_block.html"
        label = _("Warning / safety")


class DocumentDownloadBlock(blocks.StructBlock):
    """A document to download: its type and size are shown from the file itself."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"))
    description = blocks.TextBlock(label=_("description"), required=False)
    language = blocks.ChoiceBlock(
        label=_("language of the document"),
        choices=DocumentLanguage.choices,
        required=False,
    )

    class Meta:
        icon = "doc-full"
        template = "guides/blocks/document_block.html"
        label = _("Document to download")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        document = value.get("document")
        context["file_kind"] = document_kind(document) if document else ""
        context["file_size"] = document_size(document) if document else ""
        context["language_label"] = dict(DocumentLanguage.choices).get(
            value.get("language"), ""
        )
        return context


def document_kind(document) -> str:
    extension = document.file_extension.lower()
    return FILE_KINDS.get(extension, extension.upper())


def document_size(document) -> str:
    """ "84 KB", "1.2 MB": rounded as people say sizes, not Django's "84.0 KB"."""
    size = document.get_file_size()
    if not size:
        return ""
    if size < 1024:
        return ngettext("%(n)d byte", "%(n)d bytes", size) % {"n": size}
    if size < 1024 * 1024:
        return gettext("%(n)d KB") % {"n": round(size / 1024)}
    return gettext("%(n)s MB") % {"n": formats.number_format(size / 1024 / 1024, 1)}


class GuideBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=TEXT_FEATURES,
        label=_("Paragraph"),
        template="guides/blocks/paragraph_block.html",
    )
    steps = StepsBlock()
    checklist = ChecklistBlock()
    warning = WarningBlock()
    document = DocumentDownloadBlock()
