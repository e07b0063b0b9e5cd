import hashlib
import os

from django.core.files.base import ContentFile
from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from .metadata import strip_metadata
from .names import random_file_name


class SafeImage(AbstractImage):
    """Every image in the library: its stored file never carries EXIF/GPS/XMP data.

    Stripping happens in save() rather than in the upload form because images also
    arrive through the API, management commands and demo data: no path may skip it.
    """

    admin_form_fields = Image.admin_form_fields

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self._replace_file_with_clean_copy()
        super().save(*args, **kwargs)

    def _replace_file_with_clean_copy(self):
        self.file.seek(0)
        clean, _ = strip_metadata(self.file.read())
        name = self.file.name
        self.file = ContentFile(clean, name=name.rsplit("/", 1)[-1])
        self.file_size = len(clean)
        self.file_hash = hashlib.sha1(clean).hexdigest()

    def get_upload_to(self, filename):
        # The uploaded name often names the person, and public URLs repeat it
        # (renditions' names and /img/ URLs are built from it): store a random one.
        return os.path.join("original_images", random_file_name(filename))


class SafeRendition(AbstractRendition):
    image = models.ForeignKey(
        SafeImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        # Wagtail names a rendition after its original: random even for originals
        # stored before their names were.
        return os.path.join("images", random_file_name(filename))
