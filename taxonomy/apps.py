from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    """What stories and articles are about (conditions, treatments) and the clinicians
    who review them: the vocabulary both share, so neither owns it."""

    name = "taxonomy"
    verbose_name = "Conditions and treatments"
