from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    """What stories and articles are about (conditions, treatments) and the clinicians
    who review them: the vocabulary both share, so neither owns it."""

    name = "taxonomy"
    verbose_name = "Conditions and treatments"

    def ready(self):
        from core import sites
        from core.cached import drop_on_change
        from taxonomy.models import Condition, Treatment

        # Pages keep what they show of conditions and treatments under the sites'
        # generation (a topic's page, the home page's ways in; core.pages.kept_key): a
        # change to one starts a new generation. Page changes start one already.
        drop_on_change([sites.KEY], "taxonomy.kept", models=(Condition, Treatment), pages=False)
