from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Patient stories & testimonials"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.images.signal_handlers import (
            post_delete_file_cleanup,
            post_delete_purge_rendition_cache,
        )

        from consent.signals import consent_ended
        from stories.models import PatientMedia, PatientPhoto, PatientPhotoRendition
        from stories.models.media import delete_files
        from stories.takedown import take_down_for_consent

        consent_ended.connect(take_down_for_consent, dispatch_uid="stories.take_down")
        # Wagtail cleans up files for its own image model only: patient photos too.
        for model in (PatientPhoto, PatientPhotoRendition):
            post_delete.connect(post_delete_file_cleanup, sender=model)
        post_delete.connect(post_delete_purge_rendition_cache, sender=PatientPhotoRendition)
        post_delete.connect(delete_files, sender=PatientMedia, dispatch_uid="stories.media_files")
