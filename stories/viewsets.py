"""Admin for patient content: listings with each item's consent status, the report of
live patient content, and the dashboard panel of recent takedowns."""

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.images.fields import WagtailImageField
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet

from consent.models import Status
from core.admin_columns import DateAndDistanceColumn
from core.roles import COMPLIANCE_APPROVERS, CONSENT_OFFICERS
from moderation.sent_back import SentBackColumn, sent_back_annotation
from stories.models import PatientMedia, PatientPhoto, PatientStoryPage, Takedown, Testimonial


class ConsentStatusColumn(StatusTagColumn):
    """The consent's derived status, from the ``consent_status`` annotation (one query)."""

    def __init__(self, **kwargs):
        super().__init__(
            "consent_status",
            label="Consent",
            primary=lambda obj: obj.consent_status == Status.ACTIVE,
            **kwargs,
        )

    def get_value(self, instance):
        status = getattr(instance, "consent_status", None) or instance.consent.status
        return Status(status).label


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "title",
        ConsentStatusColumn(),
        Column("attribution", label="Shown as"),
        DateAndDistanceColumn("consent.expires_on", label="Consent expires"),
        LiveStatusTagColumn(),
        SentBackColumn(),
    ]
    list_filter = ["live", "condition", "treatment"]
    search_fields = ["title", "quote"]
    ordering = ["title"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return (
            Testimonial.objects.with_consent_status()
            .annotate(sent_back_because=sent_back_annotation(Testimonial))
            .select_related("condition", "treatment")
        )


class PatientPhotoForm(WagtailAdminModelForm):
    """Upload checks are Wagtail's own (type by content, size, pixel count); the patient
    is named to editors by their public attribution, never their legal name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = WagtailImageField(label="Photo", required=self.instance.pk is None)
        self.fields["patient"].label_from_instance = lambda patient: patient.public_label()


class PatientPhotoViewSet(SnippetViewSet):
    model = PatientPhoto
    icon = "image"
    menu_label = "Patient photos"
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["title", Column("patient", label="Patient", accessor="patient_label")]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("file"), FieldPanel("patient")],
        base_form_class=PatientPhotoForm,
    )

    def get_queryset(self, request):
        return PatientPhoto.objects.select_related("patient")


class PatientMediaForm(WagtailAdminModelForm):
    """The checks (type by content, size, length, captions, transcript) are the model's
    own (``PatientMedia.clean``), so they hold for code too; their errors show on the
    fields. The patient is named by their public attribution, never their legal name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].label_from_instance = lambda patient: patient.public_label()
        self.fields["file"].widget.attrs["accept"] = (
            "video/mp4,video/webm,audio/mpeg,audio/mp4,audio/ogg,.mp4,.webm,.mp3,.m4a,.ogg"
        )
        self.fields["captions"].widget.attrs["accept"] = "text/vtt,.vtt"


class PatientMediaInspectView(InspectView):
    """Staff watch or hear it, with its captions and transcript, as visitors will."""

    def get_field_label(self, field_name, field):
        return "Player" if field_name == "player" else super().get_field_label(field_name, field)

    def get_player_display_value(self):
        return render_to_string("stories/includes/patient_media.html", {"media": self.object})

    def get_patient_display_value(self):
        return self.object.patient_label()


class PatientMediaViewSet(SnippetViewSet):
    model = PatientMedia
    icon = "media"
    menu_label = "Patient video & audio"
    menu_order = 216
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("kind", label="Type", accessor="get_kind_display"),
        Column("duration_label", label="Length"),
        Column("patient", label="Patient", accessor="patient_label"),
    ]
    list_filter = ["kind", "face_shown"]
    search_fields = ["title", "transcript"]
    inspect_view_enabled = True
    inspect_view_class = PatientMediaInspectView
    inspect_view_fields = ["title", "patient", "kind", "duration", "face_shown", "player"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("patient"),
            FieldPanel("file"),
            FieldPanel("face_shown"),
            FieldPanel("captions"),
            FieldPanel("transcript"),
        ],
        base_form_class=PatientMediaForm,
    )

    def get_queryset(self, request):
        return PatientMedia.objects.select_related("patient")


class StoryIndexView(PageIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .with_consent_status()
            .annotate(sent_back_because=sent_back_annotation(PatientStoryPage))
        )


class StoryListingMenuItem(MenuItem):
    """Shown only to people the listing lets in (it needs a page permission)."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, StoryIndexView.any_permission_required
        )


class PatientStoryListingViewSet(PageListingViewSet):
    menu_item_class = StoryListingMenuItem
    model = PatientStoryPage
    index_view_class = StoryIndexView
    icon = "user"
    menu_label = "Patient stories"
    menu_order = 205
    add_to_admin_menu = True
    columns = [
        *PageListingViewSet.columns,
        ConsentStatusColumn(),
        DateAndDistanceColumn("consent.expires_on", label="Consent expires"),
        SentBackColumn(),
    ]


# -- Report: all live patient content ---------------------------------------------------


def can_see_live_content_report(user):
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=[CONSENT_OFFICERS, COMPLIANCE_APPROVERS]).exists()


class LiveRow:
    """One live item in the report, testimonial or story, with its consent."""

    def __init__(self, obj, kind, edit_url):
        self.obj, self.kind, self.edit_url = obj, kind, edit_url
        self.title = str(obj.title)
        self.consent = obj.consent
        self.consent_status = Status(obj.consent_status).label
        self.identifiers = obj.consent.get_identifiers_display()
        self.channels = obj.consent.get_channels_display()
        self.expires_on = obj.consent.expires_on
        self.shown = obj.attribution()

    def get_edit_url(self):
        return self.edit_url


class LiveContentReportView(ReportView):
    page_title = "Live patient content"
    header_icon = "openquote"
    index_url_name = "stories_live_content_report"
    index_results_url_name = "stories_live_content_report_results"
    no_results_message = "No patient content is live."
    list_export = [
        "kind",
        "title",
        "shown",
        "consent_status",
        "identifiers",
        "channels",
        "expires_on",
    ]
    export_headings = {
        "kind": "Type",
        "shown": "Shown as",
        "consent_status": "Consent",
        "identifiers": "Identifiers covered",
        "channels": "Channels covered",
        "expires_on": "Consent expires",
    }
    paginate_by = 100
    columns = [
        TitleColumn("title", label="Content", get_url=lambda row: row.get_edit_url()),
        Column("kind", label="Type"),
        Column("shown", label="Shown as"),
        StatusTagColumn(
            "consent_status",
            label="Consent",
            primary=lambda row: row.consent_status == Status.ACTIVE.label,
        ),
        Column("identifiers", label="Identifiers covered"),
        Column("channels", label="Channels"),
        DateAndDistanceColumn("expires_on", label="Consent expires"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_live_content_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        testimonials = Testimonial.objects.filter(live=True).with_consent_status()
        stories = PatientStoryPage.objects.live().with_consent_status()
        rows = [
            LiveRow(t, "Testimonial", reverse(t.snippet_viewset.get_url_name("edit"), args=[t.pk]))
            for t in testimonials
        ] + [
            LiveRow(s, "Patient story", reverse("wagtailadmin_pages:edit", args=[s.pk]))
            for s in stories
        ]
        return sorted(rows, key=lambda row: (row.expires_on, row.title))


# -- Dashboard ---------------------------------------------------------------------------


class RecentTakedownsPanel(Component):
    name = "recent_takedowns"
    template_name = "stories/admin/recent_takedowns_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["takedowns"] = Takedown.objects.recent(days=7).select_related("taken_down_by")[:50]
        return context


def sees_takedowns(user):
    return user.is_superuser or user.has_perm("stories.view_testimonial")
