from stories.models.pages import PatientStoryPage, StoryIndexPage, StoryRelatedArticle
from stories.models.patient_content import (
    EXPERIENCES_VARY,
    AttributionStyle,
    PatientContent,
)
from stories.models.takedowns import Takedown
from stories.models.testimonials import Testimonial, TestimonialIndexPage

__all__ = [
    "EXPERIENCES_VARY",
    "AttributionStyle",
    "PatientContent",
    "PatientStoryPage",
    "StoryIndexPage",
    "StoryRelatedArticle",
    "Takedown",
    "Testimonial",
    "TestimonialIndexPage",
]
