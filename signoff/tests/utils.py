import re

from django.core import mail

from consent.models import Identifier
from stories.factories import SHOWN, ActiveConsentFactory, PatientPhotoFactory, TestimonialFactory

LINK = re.compile(r"https?://[^\s/]+(/sign-off/[^\s/]+/)")
QUOTE = "The stiffness in my neck eased within two weeks, and I can drive again."


def draft_testimonial_with_photo(consent_text=None, **kwargs):
    """A draft testimonial with the patient's photo, its words not yet approved by anyone
    (``consent_text``: an existing text version, such as the demo's)."""
    text = {"text": consent_text} if consent_text else {}
    consent = ActiveConsentFactory(
        identifiers=[*SHOWN, Identifier.PHOTO], patient__email="rosa@example.org", **text
    )
    photo = PatientPhotoFactory(patient=consent.patient, title="Rosa in the garden")
    defaults = {
        "title": "Rosa on driving again",
        "quote": QUOTE,
        "approved_text": "",
        "approved_on": None,
        "consent": consent,
        "photo": photo,
        "first_name": "Rosa",
        "last_name": "Marin",
    }
    return TestimonialFactory(**(defaults | kwargs))


def links_sent_to(address):
    """The sign-off paths in the emails sent to ``address``, oldest first."""
    return [path for m in mail.outbox if address in m.to for path in LINK.findall(m.body)]
