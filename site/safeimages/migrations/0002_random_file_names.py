"""Images stored before their names were random get a random name now.

Originals are stored again under a random name (and the old file deleted); their
renditions, named after the old name, are deleted and made again on demand.
"""

from django.db import migrations

from safeimages.names import is_random_name, move_to_random_name


def randomise_names(apps, schema_editor):
    SafeImage = apps.get_model("safeimages", "SafeImage")
    SafeRendition = apps.get_model("safeimages", "SafeRendition")
    storage = SafeImage._meta.get_field("file").storage
    for image in SafeImage.objects.only("pk", "file").iterator():
        if not image.file.name or is_random_name(image.file.name):
            continue
        new_name = move_to_random_name(storage, image.file.name)
        if new_name:
            SafeImage.objects.filter(pk=image.pk).update(file=new_name)
    for rendition in SafeRendition.objects.iterator():
        if rendition.file.name and not is_random_name(rendition.file.name):
            storage.delete(rendition.file.name)
            rendition.delete()


class Migration(migrations.Migration):
    dependencies = [("safeimages", "0001_initial")]

    operations = [
        migrations.RunPython(randomise_names, migrations.RunPython.noop, elidable=True)
    ]
