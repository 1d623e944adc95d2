"""Every URL of a patient video or recording, its captions and its poster frame
(``/patient-media/av/...``) comes here. The consent rule decides at each request, as for
photos (stories/views.py); a yes is answered with HTTP range requests (RFC 9110 section
14), which browsers need to start playing before the end has arrived and to seek."""

import re

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from core.http import no_shared_cache
from stories.models import PatientMedia, PatientStoryPage, Testimonial
from stories.models.media import FOLDER
from stories.models.patient_content import visible_q
from stories.views import send_file

STAFF_PERMISSION = "stories.view_patientmedia"
CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CONTENT_TYPES = {"captions": "text/vtt; charset=utf-8", "poster": "image/jpeg"}


def shown_now(media):
    """Some live item showing ``media`` may be shown now: its consent is active and
    covers the voice or video (and the face, if seen) and all else it shows."""
    if Testimonial.objects.filter(visible_q(), video=media).exists():
        return True
    stories = PatientStoryPage.objects.visible().filter(consent__patient_id=media.patient_id)
    return any(media.pk in story.media_ids() for story in stories.only("body"))


@require_safe
def patient_media(request, name):
    name = f"{FOLDER}/{name}"
    media = PatientMedia.objects.filter(Q(file=name) | Q(captions=name) | Q(poster=name)).first()
    if media is None:
        raise Http404
    if not request.user.has_perm(STAFF_PERMISSION) and not shown_now(media):
        raise Http404
    part = next(p for p in ("file", "captions", "poster") if getattr(media, p).name == name)
    file = getattr(media, part)
    content_type = CONTENT_TYPES.get(part, media.mime_type)
    return no_shared_cache(send_range(request, file, content_type))


def send_range(request, file, content_type):
    if settings.PATIENT_MEDIA_ACCEL_REDIRECT:
        # nginx answers the Range header itself from its internal location.
        response = send_file(file)
        response["Content-Type"] = content_type
        return response
    try:
        size = file.size
    except FileNotFoundError as error:
        raise Http404 from error
    start, end = 0, size - 1
    status = 200
    header = request.headers.get("Range", "")
    match = RANGE.match(header.replace(" ", ""))
    if match and (match[1] or match[2]):
        first, last = match[1], match[2]
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end or (first and last and int(last) < int(first)):
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
        status = 206
    # A Range header we cannot read (several ranges, other units) gets the whole file,
    # as RFC 9110 allows.
    length = end - start + 1
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        response = StreamingHttpResponse(
            read(file, start, length), status=status, content_type=content_type
        )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def read(file, start, length):
    with file.storage.open(file.name, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
