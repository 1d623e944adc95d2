from django.db import migrations

MODELS = ["condition", "treatment", "reviewer"]


def move_content_types(apps, schema_editor, old="articles", new="taxonomy"):
    """Content types carry permissions, revisions, log entries and search index rows:
    renaming them moves all of those with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="taxonomy", new="articles")


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
        ("articles", "0004_taxonomy_moved_out"),
        ("stories", "0002_taxonomy_and_related_pages"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_back),
        migrations.AlterModelTable(name="condition", table=None),
        migrations.AlterModelTable(name="treatment", table=None),
        migrations.AlterModelTable(name="reviewer", table=None),
    ]
