"""Photos that depict a patient: patient data, not site images.

Wagtail's image machinery (renditions, focal points, ``{% image %}``, ``{% picture %}``)
works on any ``AbstractImage``; these models keep their files in private storage, whose
URLs lead to ``stories.views.patient_photo``. That view decides at each request, with the
one consent rule, whether a live item showing the photo may be shown now; otherwise every
URL of the photo, original and renditions, answers 404. Illustrations and diagrams stay
ordinary public Wagtail images.
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    WagtailImageField,
    get_rendition_upload_to,
    get_upload_to,
)
from wagtail.search import index

from core.compiled import Ids, compiled

PATIENT_MEDIA_URL = "/patient-media/"


class PatientMediaStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, whose URLs go through the consent-checked view. The
    folder follows PRIVATE_MEDIA_ROOT as Django's own storage follows MEDIA_ROOT."""

    def __init__(self):
        super().__init__(base_url=PATIENT_MEDIA_URL)

    @cached_property
    def base_location(self):
        return str(Path(str(settings.PRIVATE_MEDIA_ROOT)) / "patient")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def patient_media_storage():
    return PatientMediaStorage()


class PatientPhoto(AbstractImage):
    patient = models.ForeignKey(
        "consent.Patient",
        on_delete=models.PROTECT,
        related_name="photos",
        help_text="Whom the photo shows: only their consent can let it be published.",
    )
    file = WagtailImageField(
        verbose_name="file",
        upload_to=get_upload_to,
        storage=patient_media_storage,
        width_field="width",
        height_field="height",
    )

    admin_form_fields = ("title", "file", "patient", "description")
    search_fields = [index.SearchField("title"), index.FilterField("patient")]

    class Meta:
        verbose_name = "patient photo"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def patient_label(self):
        return self.patient.public_label()


class PatientPhotoRendition(AbstractRendition):
    image = models.ForeignKey(PatientPhoto, related_name="renditions", on_delete=models.CASCADE)
    file = WagtailImageField(
        upload_to=get_rendition_upload_to,
        storage=patient_media_storage,
        width_field="width",
        height_field="height",
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def __setstate__(self, state):
        # Only the renditions cache unpickles a rendition: mark it as found there, as
        # Wagtail marks prefetched ones, or Wagtail writes it back to Redis at every use.
        super().__setstate__(state)
        self._from_cache = True

    @staticmethod
    def construct_cache_key(image, filter_cache_key, filter_spec):
        # Kept apart from public images' renditions in the shared cache.
        return "patient-" + AbstractRendition.construct_cache_key(
            image, filter_cache_key, filter_spec
        )


# The sizes of a story card's photo: story_card.html's {% picture %} tag says the same
# (a tag takes no variable for them; stories/tests/test_listing.py checks the two agree).
CARD_PICTURE = "format-{avif,webp,jpeg} fill-{400x250,800x500}"


def card_renditions():
    """Prefetch the renditions a card shows, not the dozen more a photo has for its
    story page and social previews. Wagtail looks no further than what is prefetched,
    and makes a rendition missing from it, as it would without a prefetch."""
    return models.Prefetch("hero_image__renditions", queryset=card_rendition_query())


def card_rendition_query():
    from wagtail.images.models import Filter

    specs = Filter.expand_spec(CARD_PICTURE)
    return PatientPhotoRendition.objects.filter(filter_spec__in=specs)


def read_card_renditions(photos):
    """What ``card_renditions()`` prefetches, for photos already read, in one query
    compiled once (core.compiled). Wagtail reads ``prefetched_renditions`` as it reads
    a prefetch."""
    photos_by_id = defaultdict(list)
    for photo in photos:
        photos_by_id[photo.pk].append(photo)
        photo.prefetched_renditions = []
    if not photos_by_id:
        return
    kept = compiled(("card renditions",), lambda: card_rendition_query().filter(Ids("image")))
    for rendition in kept.run(ids=list(photos_by_id)):
        same_photo = photos_by_id[rendition.image_id]
        rendition.image = same_photo[0]
        for photo in same_photo:
            photo.prefetched_renditions.append(rendition)
