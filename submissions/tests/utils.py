import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name="photo.png", size=(40, 30), image_format="PNG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type.get(image_format, ""))


def decompression_bomb(name="bomb.png"):
    """A PNG of a few KB that declares 20,000 x 20,000 pixels (400 megapixels)."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def form_data(text, **overrides):
    data = {
        "legal_name": "Maria Garcia",
        "email": "maria@example.org",
        "story": "After three injections I can turn my head again.",
        "attribution_style": "first_name_initial",
        "date_of_birth": "1972-03-14",
        "town": "",
        "identifiers": ["first_name_initial", "age"],
        "channels": ["website"],
        "consent_text_version": str(text.version),
        "agree": "on",
        "signature_name": "maria garcia",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("Connection refused")


def truncated_jpeg(name="truncated.jpg"):
    """A real JPEG cut off half-way, as an interrupted phone upload leaves it."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return SimpleUploadedFile(name, data[: len(data) // 2], "image/jpeg")


def corrupt_png(name="corrupt.png"):
    """A PNG signature followed by noise."""
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png")


class QueueDownBackend:
    """A task backend whose queue refuses our emails (set in TASKS by tests)."""

    def __new__(cls, alias, params):
        from django_tasks.backends.immediate import ImmediateBackend

        class Backend(ImmediateBackend):
            def enqueue(self, task, args, kwargs):
                if task.module_path == "core.email.send_email":
                    raise ConnectionError("the task queue is unavailable")
                return super().enqueue(task, args, kwargs)

        return Backend(alias, params)
