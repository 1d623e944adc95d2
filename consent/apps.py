from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Patients & consent"

    def ready(self):
        from consent import copies

        copies.connect()
