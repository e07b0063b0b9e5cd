"""Documents are stored under random file names (see safeimages.names)."""

from django.db.models.signals import pre_save
from wagtail.documents import get_document_model

from safeimages.names import random_file_name


def _store_under_a_random_name(sender, instance, raw=False, **kwargs):
    # Before FileField.pre_save stores an uploaded file, which uses this name: the
    # uploaded one often names the person, and /documents/<id>/<name> repeats it.
    if raw or not instance.file or getattr(instance.file, "_committed", True):
        return
    instance.file.name = random_file_name(instance.file.name)


def connect() -> None:
    # A signal, not a custom document model: Wagtail's Document keeps its table,
    # and documents saved by any path (admin, multiple upload, scripts) get one.
    pre_save.connect(
        _store_under_a_random_name,
        sender=get_document_model(),
        dispatch_uid="safedocs-random-name",
    )
