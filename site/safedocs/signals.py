"""Documents are stored without their metadata (see safedocs.metadata) and under
random file names (see safeimages.names)."""

import hashlib

from django.core.files.base import ContentFile
from django.db.models.signals import pre_save
from wagtail.documents import get_document_model

from safeimages.names import random_file_name

from .metadata import strip_document_metadata


def _is_new_file(instance, raw) -> bool:
    return (
        not raw
        and bool(instance.file)
        and not getattr(instance.file, "_committed", True)
    )


def _strip_metadata(sender, instance, raw=False, **kwargs):
    # Before FileField.pre_save stores the file: nothing with an author's name or
    # a company ever reaches the storage, whichever path saved the document.
    if not _is_new_file(instance, raw):
        return
    instance.file.open("rb")
    instance.file.seek(0)
    original = instance.file.read()
    clean = strip_document_metadata(original)
    if clean == original:
        instance.file.seek(0)
        return
    instance.file = ContentFile(clean, name=instance.file.name.rsplit("/", 1)[-1])
    # The upload form measured the original; the stored file is this one.
    instance.file_size = len(clean)
    instance.file_hash = hashlib.sha1(clean).hexdigest()


def _store_under_a_random_name(sender, instance, raw=False, **kwargs):
    # Before FileField.pre_save stores an uploaded file, which uses this name: the
    # uploaded one often names the person, and /documents/<id>/<name> repeats it.
    if not _is_new_file(instance, raw):
        return
    instance.file.name = random_file_name(instance.file.name)


def connect() -> None:
    # Signals, not a custom document model: Wagtail's Document keeps its table,
    # and documents saved by any path (admin, multiple upload, intake, scripts,
    # demo data) go through both. Stripping first, while the name is the upload's.
    Document = get_document_model()
    pre_save.connect(
        _strip_metadata, sender=Document, dispatch_uid="safedocs-strip-metadata"
    )
    pre_save.connect(
        _store_under_a_random_name,
        sender=Document,
        dispatch_uid="safedocs-random-name",
    )
