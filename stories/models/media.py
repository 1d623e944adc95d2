"""Video and audio of a patient: patient data, like their photos.

A model of our own rather than ``wagtailmedia``: its one swappable ``Media`` model keeps
files and thumbnails in public storage, takes the duration as typed by the editor, checks
only the file name, has no captions or transcript, and brings its own admin views that
would bypass the checks below. Here the file, its captions and its poster frame sit in
private storage beside the patient photos; every URL (``/patient-media/av/...``) goes
through ``stories.media_views.patient_media``, which asks the consent rule at each
request; and the upload is checked by content (``stories.media_checks``).

Content that embeds a video or recording shows the patient's voice or video (and their
face, when ``face_shown``): ``PatientContent.shown_identifiers`` adds those identifiers,
so the consent must cover them.
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from wagtail.search import index

from consent.rules import Identifier
from stories.media_checks import AUDIO, VIDEO, check_captions, check_media_file, poster_frame
from stories.models.photos import patient_media_storage

# Files of this model are named under this folder of the patient media storage, and
# their URLs under /patient-media/av/ lead to the media view (cms/urls.py).
FOLDER = "av"


def media_upload_to(instance, filename):
    # A random name: an uploaded file's name may well be the patient's.
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"{FOLDER}/files/{uuid.uuid4().hex}{suffix}"


def captions_upload_to(instance, filename):
    return f"{FOLDER}/captions/{uuid.uuid4().hex}.vtt"


def poster_upload_to(instance, filename):
    return f"{FOLDER}/posters/{uuid.uuid4().hex}.jpg"


class PatientMedia(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        VIDEO = VIDEO, "Video"
        AUDIO = AUDIO, "Audio"

    title = models.CharField(max_length=255, help_text="For editors only.")
    patient = models.ForeignKey(
        "consent.Patient",
        on_delete=models.PROTECT,
        related_name="media",
        help_text="Whose voice or video this is: only their consent can let it be published.",
    )
    file = models.FileField(
        upload_to=media_upload_to,
        storage=patient_media_storage,
        help_text="MP4 or WebM video, or MP3, M4A or Ogg audio.",
    )
    captions = models.FileField(
        "captions (WebVTT)",
        upload_to=captions_upload_to,
        storage=patient_media_storage,
        blank=True,
        help_text="Required for video (WCAG 1.2.2): a .vtt file of every word spoken and "
        "the sounds that matter.",
    )
    transcript = models.TextField(
        blank=True,
        help_text="Required (WCAG 1.2.1): everything said and shown, as text. Visitors can "
        "read it under the player, and search finds it.",
    )
    face_shown = models.BooleanField(
        "the patient's face is seen",
        default=False,
        help_text="Then the consent must also cover “photo or face”.",
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, editable=False)
    mime_type = models.CharField(max_length=40, editable=False)
    duration = models.FloatField("duration (seconds)", default=0, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster = models.FileField(
        upload_to=poster_upload_to, storage=patient_media_storage, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # For the admin listing's search and filters; the public never searches these.
    search_fields = [
        index.SearchField("title"),
        index.SearchField("transcript"),
        index.AutocompleteField("title"),
        index.FilterField("patient"),
        index.FilterField("kind"),
        index.FilterField("face_shown"),
        index.FilterField("created_at"),
    ]

    class Meta:
        verbose_name = "patient video or audio"
        verbose_name_plural = "patient videos and audio"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_video(self):
        return self.kind == self.Kind.VIDEO

    def identifiers(self):
        """What showing this reveals of the patient."""
        return [Identifier.VOICE_VIDEO, *([Identifier.PHOTO] if self.face_shown else [])]

    def patient_label(self):
        return self.patient.public_label()

    def duration_label(self):
        seconds = round(self.duration)
        return f"{seconds // 60}:{seconds % 60:02d}"

    duration_label.short_description = "Length"

    def public_text(self):
        """What visitors read or hear of it, for the automatic consent check
        (moderation.scanning): the transcript and the captions' words."""
        pieces = [(f"{self.get_kind_display().lower()} transcript", self.transcript)]
        if self.captions:
            pieces.append(("captions", self.caption_text()))
        return pieces

    def caption_text(self):
        """The words of the captions, without the header, cue numbers and timings."""
        try:
            with self.captions.storage.open(self.captions.name, "rb") as file:
                lines = file.read().decode("utf-8-sig", errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        words = [
            line
            for line in lines[1:]
            if line.strip() and "-->" not in line and not line.strip().isdigit()
        ]
        return "\n".join(words)

    def problems(self):
        """Why content may not show this (its accessibility alternatives are missing)."""
        reasons = []
        if self.is_video and not self.captions:
            reasons.append(f"The video “{self.title}” has no captions.")
        if not self.transcript.strip():
            kind = self.get_kind_display().lower()
            reasons.append(f"The {kind} “{self.title}” has no transcript.")
        return reasons

    def clean(self):
        super().clean()
        errors = {}
        if self.file and not getattr(self.file, "_committed", True):
            try:
                facts = check_media_file(self.file)
            except ValidationError as error:
                errors["file"] = error.messages
            else:
                self.kind, self.mime_type = facts.kind, facts.mime_type
                self.duration, self.width, self.height = facts.duration, facts.width, facts.height
                self.poster = ""  # a new file gets its own frame on save
        if self.captions and not getattr(self.captions, "_committed", True):
            try:
                check_captions(self.captions)
            except ValidationError as error:
                errors["captions"] = error.messages
        if self.kind == self.Kind.VIDEO and not self.captions and "file" not in errors:
            errors["captions"] = [
                "A video needs captions (WCAG 1.2.2): upload a WebVTT (.vtt) file."
            ]
        if not self.transcript.strip():
            errors["transcript"] = [
                "A transcript is required for video and audio (WCAG 1.2.1): write out what "
                "is said and shown."
            ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        new_file = self.file and not getattr(self.file, "_committed", True)
        if new_file and self.is_video and not self.poster:
            frame = poster_frame(self.file, self.duration)
            if frame:
                self.poster = ContentFile(frame, name="poster.jpg")
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        super().save(*args, **kwargs)
        if stored is not None:
            # A replaced recording, captions or poster is patient data no record points to
            # any more: it goes, rather than waiting on disk for no one to erase it.
            delete_files(type(self), stored, keep=self.stored_names())
        self.refresh_content()

    def stored_names(self):
        return {f.name for f in (self.file, self.captions, self.poster) if f}

    def shown_in(self):
        """The testimonials and stories that embed this."""
        from stories.models.pages import PatientStoryPage
        from stories.models.testimonials import Testimonial

        stories = PatientStoryPage.objects.filter(consent__patient_id=self.patient_id)
        return [
            *Testimonial.objects.filter(video=self),
            *(s for s in stories if self.pk in s.media_ids()),
        ]

    def refresh_content(self):
        """Whether the face is seen changes what the content using this shows, and its
        transcript what search finds there: keep both in step (the stored
        ``identifiers_shown`` is what listings ask the consent rule about)."""
        for obj in self.shown_in():
            shown = sorted(set(obj.shown_identifiers()))
            if shown != obj.identifiers_shown:
                type(obj).objects.filter(pk=obj.pk).update(identifiers_shown=shown)
            if obj.live and obj.consent.ended_at is None:
                index.insert_or_update_object(obj)


def delete_files(sender, instance, keep=(), **kwargs):
    """Deleting the record (an erasure) deletes its files, once the deletion is committed;
    saving a replacement deletes the replaced ones (all but ``keep``)."""
    for field in (instance.file, instance.captions, instance.poster):
        if field and field.name not in keep:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
