from django.apps import AppConfig


class PublicAPIConfig(AppConfig):
    name = "publicapi"
    verbose_name = "Public API"
