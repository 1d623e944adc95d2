from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every domain app shares (the organisation and its rules,
    role names, email, HTTP helpers, the page cache). It imports no other app of this
    project."""

    name = "core"
    verbose_name = "Organisation"

    def ready(self):
        from core import pagecache, sites

        pagecache.connect()
        sites.connect()
