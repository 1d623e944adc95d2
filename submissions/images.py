"""The optional photo: checked by its content, then stored as a Wagtail image.

The name and the browser's content type are what the visitor chose to send; Pillow's
own parser says what the file really is. Pillow refuses images so large that decoding
them would exhaust memory (a "decompression bomb": a few KB declaring gigapixels) with
``DecompressionBombError``, and only warns below twice its limit: we turn the warning
into an error and set our own, much lower, pixel limit.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

MAX_PHOTO_SIZE = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 20_000_000
# Pillow format -> the extension the stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _bomb_error():
    return ValidationError(
        "This image declares more pixels than we can safely open. Upload a photo of "
        "at most %(limit)s megapixels.",
        code="decompression_bomb",
        params={"limit": MAX_PHOTO_PIXELS // 1_000_000},
    )


def validate_photo(file):
    """Raise ValidationError unless ``file`` is a JPEG, PNG or WebP within the limits."""
    if file.size is not None and file.size > MAX_PHOTO_SIZE:
        raise ValidationError(
            "The photo is %(size)s; the limit is %(limit)s.",
            code="file_size",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_PHOTO_SIZE)},
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if image_format in FORMATS and width * height <= MAX_PHOTO_PIXELS:
                    image.verify()
            if image_format in FORMATS and width * height <= MAX_PHOTO_PIXELS:
                # verify() reads the structure, not the pixels: a truncated JPEG passes it
                # and only fails when decoded. Decode it all now (what clean_copy will
                # do), so a damaged file is a form error, not a 500 after the form.
                file.seek(0)
                with Image.open(file) as image:
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _bomb_error() from error
    except Exception as error:  # Pillow raises many types for a file it cannot read
        raise ValidationError(
            "We could not read this photo: the file is damaged, incomplete or not an image. "
            "Upload a JPEG, PNG or WebP photo.",
            code="file_type",
        ) from error
    finally:
        file.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(
            "Upload the photo as a JPEG, PNG or WebP image (this file is %(type)s).",
            code="file_type",
            params={"type": image_format or "of an unknown type"},
        )
    if width * height > MAX_PHOTO_PIXELS:
        raise _bomb_error()
    return image_format


def clean_copy(file):
    """The photo re-encoded, so no metadata (camera, GPS position, time) goes with it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.load()
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = io.BytesIO()
            image.save(output, format=image_format)
    output.seek(0)
    # A random name, so the file name tells nothing about the patient.
    return ImageFile(output, name=f"{uuid.uuid4().hex}.{FORMATS[image_format]}")


def store_photo(file, title, patient):
    """The patient's photo, private: nothing reaches it by URL until a verified consent
    covers it and a live item shows it (stories.views.patient_photo)."""
    from stories.models import PatientPhoto

    photo = PatientPhoto(title=title, file=clean_copy(file), patient=patient)
    photo.save()
    return photo
