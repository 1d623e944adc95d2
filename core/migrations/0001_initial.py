# The organisation settings move from home to core, the app every other one builds on
# (same table in this step: state only; 0002 renames it and moves its content type).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0003_homepage_featured"),
        # The roles migration grants a permission on this model under its old app.
        ("moderation", "0002_roles_and_workflows"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OrganisationSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(default="Riverside Neurology Clinic", max_length=200)),
                        ("address", models.TextField(blank=True, max_length=500)),
                        ("phone", models.CharField(blank=True, max_length=40)),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        ("jurisdiction", models.CharField(choices=[("us", "United States"), ("uk", "United Kingdom"), ("eu", "European Union")], default="us", help_text="Which advertising rules apply. In the UK and EU prescription-only medicines may not be advertised to the public, so pages naming one are refused.", max_length=2)),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={"verbose_name": "organisation", "db_table": "home_organisationsettings"},
                ),
            ],
            database_operations=[],
        ),
    ]
