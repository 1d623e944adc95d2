from wagtail.api.v2.router import WagtailAPIRouter

from publicapi.views import PagesEndpoint, TestimonialsEndpoint

# Images and documents are deliberately absent: a patient's photo is shown only beside
# content whose consent is checked, never as a free-standing resource.
api_router = WagtailAPIRouter("publicapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("testimonials", TestimonialsEndpoint)
