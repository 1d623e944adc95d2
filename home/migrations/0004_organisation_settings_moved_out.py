from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_homepage_featured"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OrganisationSettings")],
            database_operations=[],
        ),
    ]
