"""The public read-only API: Wagtail's v2 API narrowed to what visitors may see.

Every queryset starts from the same public reads as the site's own pages
(``PatientStoryPage.objects.visible()``, ``Testimonial.objects.visible()``), so content
whose consent ended a second ago is gone from listings and details at once. Fields are
declared here, field by field: nothing about the consent is exposed beyond the public
attribution and the material-connection disclosure.
https://docs.wagtail.org/en/stable/advanced_topics/api/v2/configuration.html
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.db.utils import DataError
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.models import Page

from articles.models import TreatmentArticlePage
from core.http import cacheable
from core.pages import public
from stories.models import EXPERIENCES_VARY, PatientStoryPage, Testimonial


def text(source=None):
    # DRF refuses a source equal to the field's name.
    extra = {"source": source} if source else {}
    return serializers.CharField(read_only=True, allow_null=True, **extra)


def names():
    return serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)


# The patient-facing fields every story and testimonial carries (DOMAIN.md, "What
# visitors are shown with a patient's words"): attribution, disclosure, the notice.
PATIENT_FIELDS = [
    APIField("attribution", serializer=text()),
    APIField("disclosure", serializer=text("material_connection_disclosure")),
    APIField("notice", serializer=serializers.ReadOnlyField(default=EXPERIENCES_VARY)),
    APIField("condition", serializer=text("condition.name")),
    APIField("treatment", serializer=text("treatment.name")),
]

FIELDS = {
    PatientStoryPage: [APIField("summary"), *PATIENT_FIELDS],
    TreatmentArticlePage: [
        APIField("summary"),
        APIField("conditions", serializer=names()),
        APIField("treatments", serializer=names()),
        APIField("reviewer", serializer=text("reviewer.name")),
        APIField("last_reviewed"),
        APIField("next_review_due"),
    ],
    Testimonial: [APIField("quote"), *PATIENT_FIELDS],
}

# What each page type's listing needs joined so that no item costs a query.
RELATED = {
    PatientStoryPage: (["consent", "condition", "treatment"], []),
    TreatmentArticlePage: (["reviewer"], ["conditions", "treatments"]),
}


# Far beyond any real listing, well within what the database's OFFSET accepts.
MAX_OFFSET = 1_000_000


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters, with each value checked against its field first: a date
    that is not a date, or an id that is not a number, is a 400, not a database error."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name not in fields:
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            target = getattr(field, "target_field", field)
            try:
                target.get_prep_value(target.to_python(value))
            except (ValidationError, ValueError, TypeError) as error:
                raise BadRequestError(f"'{value[:50]}' is not a valid value for {name}") from error
        return super().filter_queryset(request, queryset, view)


class PublicReadOnlyMixin:
    # Anonymous and read-only: the same answer for everyone, whoever is signed in.
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    @classmethod
    def get_body_fields(cls, model):
        # Only the fields listed in FIELDS; models' own ``api_fields`` are not consulted.
        return cls._convert_api_fields(cls.body_fields) + FIELDS.get(model, [])

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        offset = self.request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset must be at most {MAX_OFFSET}")

    def find_object(self, queryset, request):
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("id must be a positive integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        # The last line of defence: a value the checks above did not foresee reached the
        # database and was refused there. It is the request's fault, not ours.
        if isinstance(exc, DataError):
            exc = BadRequestError("a query parameter has a value out of range")
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Kept only by the consent-aware page cache (core.pagecache), and only answers
        # with status 200.
        return cacheable(response)


class PagesEndpoint(PublicReadOnlyMixin, PagesAPIViewSet):
    """Treatment articles and patient stories only, stories only while visible now."""

    # Tree filters (child_of, descendant_of, ...) would need the index pages, which are
    # not in this API; search, ordering and field filters are kept.
    filter_backends = [CheckedFieldsFilter, OrderingFilter, SearchFilter]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "child_of",
        "ancestor_of",
        "descendant_of",
        "translation_of",
        "locale",
    }
    meta_fields = [f for f in PagesAPIViewSet.meta_fields if f != "alias_of"]
    detail_only_fields = []
    # The parent is an index page, not part of this API.
    meta_fields = [f for f in meta_fields if f != "parent"]

    def get_base_queryset(self):
        visible = Q(pk__in=public(TreatmentArticlePage.objects.live()).values("pk")) | Q(
            pk__in=PatientStoryPage.objects.visible().values("pk")
        )
        return Page.objects.filter(visible).order_by("id")

    def get_queryset(self):
        queryset = super().get_queryset()
        select, prefetch = RELATED.get(queryset.model, ([], []))
        return queryset.select_related(*select).prefetch_related(*prefetch)


class TestimonialsEndpoint(PublicReadOnlyMixin, BaseAPIViewSet):
    model = Testimonial
    name = "testimonials"
    filter_backends = [CheckedFieldsFilter, OrderingFilter]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        *(field.name for field in FIELDS[Testimonial]),
    ]

    def get_queryset(self):
        return Testimonial.objects.visible().order_by("id")
