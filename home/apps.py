from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from home import navigation
        from home.site_address import update_default_site

        navigation.connect()
        post_migrate.connect(update_default_site, sender=self, dispatch_uid="home.site_address")
