from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Patient stories & testimonials"

    def ready(self):
        from consent.signals import consent_ended
        from stories.takedown import take_down_for_consent

        consent_ended.connect(take_down_for_consent, dispatch_uid="stories.take_down")
