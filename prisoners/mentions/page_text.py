"""Every word a page shows, as plain text, from any page type.

Walks the page's own text fields (title, slug, SEO fields, intro, rich text), its
StreamField blocks (every string in every block, however deep, including captions and
quotes) and its inline items (a campaign's updates, a profile's spellings). Read from
the model rather than from the search index, because a block or field left out of the
index still reaches the public page.

A page class can name fields that never reach the public in `private_text_fields`
(a profile's legal name and consent notes): what is said there exposes nobody.
"""

from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText, get_text_for_indexing

# Tree bookkeeping, not text anybody reads; comments are staff-only.
_NOT_TEXT = {"path", "url_path", "draft_title", "translation_key"}
_NOT_SHOWN_RELATIONS = {"wagtail_admin_comments"}


def _strings(value):
    """Every string inside a field or block value."""
    if value is None:
        return
    if isinstance(value, RichText):
        yield get_text_for_indexing(value.source)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _strings(child.value)
    elif isinstance(value, dict):  # StructValue too
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from _strings(child)


def _is_text_field(field) -> bool:
    if field.name in _NOT_TEXT or not field.editable or field.choices:
        return False
    return isinstance(field, models.CharField | models.TextField | StreamField)


def _field_text(obj, field) -> list[str]:
    value = getattr(obj, field.name)
    if isinstance(field, RichTextField):
        return [get_text_for_indexing(value or "")]
    return list(_strings(value))


def object_text(obj, *, skip=()) -> list[str]:
    """The strings of one model instance's text fields and its inline children."""
    parts: list[str] = []
    for field in obj._meta.concrete_fields:
        if field.name not in skip and _is_text_field(field):
            parts += _field_text(obj, field)
    for relation in get_all_child_relations(type(obj)):
        name = relation.get_accessor_name()
        if name in _NOT_SHOWN_RELATIONS:
            continue
        for child in getattr(obj, name).all():
            parts += object_text(child)
    return parts


def page_text(page) -> str:
    """Everything `page` says, one field or block per line."""
    skip = set(getattr(page, "private_text_fields", ()))
    return "\n".join(p for p in object_text(page, skip=skip) if p and p.strip())
