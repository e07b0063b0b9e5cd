"""Documents stored before their names were random get a random name now."""

from django.db import migrations

from safeimages.names import is_random_name, move_to_random_name


def randomise_names(apps, schema_editor):
    Document = apps.get_model("wagtaildocs", "Document")
    storage = Document._meta.get_field("file").storage
    for document in Document.objects.only("pk", "file").iterator():
        if not document.file.name or is_random_name(document.file.name):
            continue
        new_name = move_to_random_name(storage, document.file.name)
        if new_name:
            Document.objects.filter(pk=document.pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [("wagtaildocs", "0014_alter_document_file_size")]

    operations = [
        migrations.RunPython(randomise_names, migrations.RunPython.noop, elidable=True)
    ]
