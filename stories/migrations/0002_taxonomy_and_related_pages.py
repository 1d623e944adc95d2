# Conditions and treatments now live in the taxonomy app (same tables: state only).
# A story's related articles point at pages, so that stories need not know the
# articles app (the chooser still offers only treatment articles).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="testimonial",
                    name="condition",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)ss",
                        to="taxonomy.condition",
                    ),
                ),
                migrations.AlterField(
                    model_name="testimonial",
                    name="treatment",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)ss",
                        to="taxonomy.treatment",
                    ),
                ),
                migrations.AlterField(
                    model_name="patientstorypage",
                    name="condition",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)ss",
                        to="taxonomy.condition",
                    ),
                ),
                migrations.AlterField(
                    model_name="patientstorypage",
                    name="treatment",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)ss",
                        to="taxonomy.treatment",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="storyrelatedarticle",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.WAGTAIL_PAGE_MODEL,
            ),
        ),
    ]
