"""Checks on uploaded signed forms: the extension AND the content must be PDF, JPEG or PNG.

An extension alone is what the uploader chose to type; the first bytes (and, for images,
Pillow's own parser) say what the file really is.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_SIGNED_FORM_SIZE = 10 * 1024 * 1024

# Extension -> the magic bytes a real file of that type starts with.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_signed_form(file):
    # A file already stored was checked when it was uploaded.
    if getattr(file, "_committed", False):
        return
    extension = Path(file.name or "").suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            "Upload the signed form as a PDF, JPEG or PNG file (not %(ext)s).",
            code="file_type",
            params={"ext": extension or "a file without an extension"},
        )
    if file.size is not None and file.size > MAX_SIGNED_FORM_SIZE:
        raise ValidationError(
            "The signed form is %(size)s; the limit is %(limit)s. Scan it at a lower "
            "resolution or as a PDF.",
            code="file_size",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(MAX_SIGNED_FORM_SIZE),
            },
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            "This file is not really a %(type)s: its content does not match its name. "
            "Upload the scan itself as a PDF, JPEG or PNG.",
            code="file_content",
            params={"type": extension.lstrip(".").upper()},
        )
    if extension != ".pdf":
        _verify_image(file)


def _verify_image(file):
    from PIL import Image

    try:
        with Image.open(file) as image:
            image.verify()
    except Exception as error:
        raise ValidationError(
            "This image is damaged or incomplete and cannot be opened. Scan the form again.",
            code="file_content",
        ) from error
    finally:
        file.seek(0)
