from django.db import migrations


def move_content_type(apps, schema_editor, old="home", new="core"):
    """The content type carries the permission to edit the settings: rename it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="organisationsettings").exists():
        ContentType.objects.filter(app_label=old, model="organisationsettings").update(
            app_label=new
        )


def move_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="core", new="home")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("home", "0004_organisation_settings_moved_out"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_content_type, move_back),
        migrations.AlterModelTable(name="organisationsettings", table=None),
    ]
