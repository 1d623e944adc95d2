# Conditions, treatments and reviewers move from articles to their own app, which both
# articles and stories depend on. The tables stay where they are in this step (state
# only); 0002 renames them and moves their content types, so permissions, revisions and
# log entries follow.

import django.db.models.deletion
import modelsearch.index
from django.conf import settings
from django.db import migrations, models

import wagtail.fields


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0003_alter_treatmentarticlepage_body"),
        # The roles migration grants permissions on these models under their old app.
        ("moderation", "0002_roles_and_workflows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
            name='Condition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('slug', models.SlugField(blank=True, help_text='The web address part, e.g. cervical-dystonia. Made from the name if empty.', max_length=120, unique=True)),
                ('summary', models.TextField(help_text='What the condition is, in plain language (two or three lines).', max_length=1000)),
                ('symptoms', models.TextField(blank=True, help_text='Common symptoms, one per line.', verbose_name='common symptoms')),
            ],
            options={
                'db_table': 'articles_condition',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
                migrations.CreateModel(
            name='Treatment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('slug', models.SlugField(blank=True, help_text='The web address part, e.g. cervical-dystonia. Made from the name if empty.', max_length=120, unique=True)),
                ('brand_names', models.CharField(blank=True, help_text='Separated by commas, e.g. Botox, Dysport.', max_length=250)),
                ('how_it_works', wagtail.fields.RichTextField()),
                ('prescription_only', models.BooleanField(default=False, help_text='A prescription-only medicine: pages naming it show its safety information (US), and may not be published on UK or EU sites.')),
                ('safety_information', wagtail.fields.RichTextField(blank=True, help_text='Shown automatically near the top of every page about this treatment. Required for prescription-only medicines (include any boxed warning).', verbose_name='Important Safety Information')),
            ],
            options={
                'db_table': 'articles_treatment',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
                migrations.CreateModel(
            name='Reviewer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('credentials', models.CharField(help_text='e.g. MD, FRCP', max_length=120)),
                ('specialty', models.CharField(help_text='e.g. Neurology', max_length=120)),
                ('user', models.OneToOneField(blank=True, help_text='Their admin account, so approving a clinical review records them.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reviewer', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'articles_reviewer',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
            ],
            database_operations=[],
        ),
    ]
