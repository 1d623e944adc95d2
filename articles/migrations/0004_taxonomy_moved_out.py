# Conditions, treatments and reviewers now live in the taxonomy app (same tables, see
# taxonomy 0001/0002): point the article's relations there and forget the old models.

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_alter_treatmentarticlepage_body"),
        ("taxonomy", "0001_initial"),
        ("stories", "0002_taxonomy_and_related_pages"),
        ("moderation", "0002_roles_and_workflows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="treatmentarticlepage",
                    name="conditions",
                    field=modelcluster.fields.ParentalManyToManyField(
                        related_name="articles", to="taxonomy.condition"
                    ),
                ),
                migrations.AlterField(
                    model_name="treatmentarticlepage",
                    name="treatments",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="articles", to="taxonomy.treatment"
                    ),
                ),
                migrations.AlterField(
                    model_name="treatmentarticlepage",
                    name="reviewer",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles",
                        to="taxonomy.reviewer",
                        verbose_name="clinical reviewer",
                    ),
                ),
                migrations.DeleteModel(name="Condition"),
                migrations.DeleteModel(name="Treatment"),
                migrations.DeleteModel(name="Reviewer"),
            ],
            database_operations=[],
        ),
    ]
