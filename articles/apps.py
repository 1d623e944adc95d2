from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Treatment articles"

    def ready(self):
        from core import sites
        from core.cached import drop_on_change
        from taxonomy.models import Condition, Treatment

        # A condition's or treatment's page keeps the topic with its articles under the
        # sites' generation (ArticleIndexPage.topic): a change to one starts a new one.
        drop_on_change([sites.KEY], "articles.topics", models=(Condition, Treatment))
