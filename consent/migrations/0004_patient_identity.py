from django.db import migrations, models


def names_from_legal_name(apps, schema_editor):
    Patient = apps.get_model("consent", "Patient")
    for patient in Patient.objects.filter(first_name=""):
        first, *rest = patient.legal_name.split() or [""]
        patient.first_name, patient.last_name = first[:60], " ".join(rest)[:60]
        patient.save(update_fields=["first_name", "last_name"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_takedowns_recorded_once")]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="first_name",
            field=models.CharField(
                default="",
                help_text="The name the patient goes by; used in attributions.",
                max_length=60,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="patient",
            name="last_name",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="patient",
            name="date_of_birth",
            field=models.DateField(
                blank=True, help_text="For the age an attribution may show.", null=True
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="town",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AlterField(
            model_name="patient",
            name="legal_name",
            field=models.CharField(help_text="As on the signed consent.", max_length=200),
        ),
        migrations.RunPython(names_from_legal_name, migrations.RunPython.noop),
    ]
