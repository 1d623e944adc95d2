from stories.models.media import PatientMedia
from stories.models.pages import PatientStoryPage, StoryIndexPage, StoryRelatedArticle
from stories.models.patient_content import EXPERIENCES_VARY, PatientContent
from stories.models.photos import PatientPhoto, PatientPhotoRendition
from stories.models.takedowns import Takedown
from stories.models.testimonials import Testimonial, TestimonialIndexPage

__all__ = [
    "EXPERIENCES_VARY",
    "PatientContent",
    "PatientMedia",
    "PatientPhoto",
    "PatientPhotoRendition",
    "PatientStoryPage",
    "StoryIndexPage",
    "StoryRelatedArticle",
    "Takedown",
    "Testimonial",
    "TestimonialIndexPage",
]
