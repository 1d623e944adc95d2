"""Every URL of a patient photo, original or rendition, comes here (PatientMediaStorage
gives them ``/patient-media/...``). The consent rule decides at each request."""

import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from core.http import no_shared_cache
from stories.models import PatientPhoto, PatientPhotoRendition, PatientStoryPage, Testimonial
from stories.models.patient_content import visible_q

STAFF_PERMISSION = "stories.view_patientphoto"


def shown_now(photo):
    """Some live item showing ``photo`` may be shown now: its consent is active and
    covers the photo (and all else it shows) on the website."""
    if Testimonial.objects.filter(visible_q(), photo=photo).exists():
        return True
    stories = PatientStoryPage.objects.visible().filter(consent__patient_id=photo.patient_id)
    return any(photo.pk in story.photo_ids() for story in stories.only("hero_image", "body"))


@require_safe
def patient_photo(request, name):
    rendition = PatientPhotoRendition.objects.select_related("image").filter(file=name).first()
    photo = rendition.image if rendition else PatientPhoto.objects.filter(file=name).first()
    if photo is None:
        raise Http404
    # Staff see every photo (to choose and preview it); visitors only renditions that a
    # visible item shows. An original is never public: its name is no key to it.
    staff = request.user.has_perm(STAFF_PERMISSION)
    if not staff and (rendition is None or not shown_now(photo)):
        raise Http404
    return no_shared_cache(send_file((rendition or photo).file))


def send_file(file):
    accel = settings.PATIENT_MEDIA_ACCEL_REDIRECT
    if accel:
        # The proxy sends the bytes from its internal location (README, "Patient photos").
        response = HttpResponse(content_type=mimetypes.guess_type(file.name)[0])
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + file.name
        return response
    try:
        return FileResponse(file.open("rb"))
    except FileNotFoundError as error:
        raise Http404 from error
