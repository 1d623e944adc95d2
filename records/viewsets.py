"""Admin for erasure requests: one consent officer records a request, a second one
confirms it from the request's page (records.erasure). Consent officers only."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from consent.models import Patient
from consent.permissions import CONSENT_OFFICER_PERMISSION, is_consent_officer
from core.admin_columns import DateAndDistanceColumn
from records.erasure import cancel_erasure, confirm_erasure, request_erasure
from records.evidence import CONTENT_MODELS
from records.forms import ConfirmErasureForm
from records.models import ErasureRequest
from records.views import evidence_pack_url


class OfficersOnlyPolicy(ModelPermissionPolicy):
    """Consent officers record and see erasure requests; nobody edits or deletes one
    (it is the record of the erasure)."""

    ACTIONS = frozenset({"add", "view"})

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and is_consent_officer(user)

    def users_with_any_permission(self, actions):
        if not set(actions) & self.ACTIONS:
            return get_user_model().objects.none()
        return get_user_model().objects.with_perm(CONSENT_OFFICER_PERMISSION)


class ErasureRequestForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "patient" in self.fields:
            self.fields["patient"].queryset = Patient.objects.exclude(
                erasure_requests__status=ErasureRequest.Status.DONE
            )
            self.fields["patient"].help_text = (
                "Everything resting on this patient's consents is deleted once a second "
                "consent officer confirms: stories, testimonials, photos, every earlier "
                "version, and every copy of their words."
            )

    def clean(self):
        cleaned = super().clean()
        patient = cleaned.get("patient")
        if (
            patient
            and patient.erasure_requests.filter(status=ErasureRequest.Status.PENDING).exists()
        ):
            raise ValidationError("An erasure request for this patient is already waiting.")
        return cleaned


def may_confirm(request_obj, user):
    return (
        request_obj.status == ErasureRequest.Status.PENDING
        and is_consent_officer(user)
        and request_obj.requested_by_id != user.pk
    )


class ErasureCreateView(generic.CreateView):
    def get_initial(self):
        # "?patient=<id>": from a link next to the patient.
        patient = self.request.GET.get("patient", "")
        return {**super().get_initial(), **({"patient": patient} if patient.isdigit() else {})}

    def save_instance(self):
        data = self.form.cleaned_data
        return request_erasure(data["patient"], self.request.user, data["received_via"])

    def get_success_message(self, instance):
        return (
            f"{instance} recorded. A second consent officer must confirm it before "
            "anything is erased; the other officers have been emailed."
        )

    def get_success_url(self):
        return reverse("records_erasure_requests:inspect", args=[self.object.pk])


class ErasureIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if may_confirm(instance, self.request.user):
            buttons.append(
                ListingButton(
                    "Confirm erasure",
                    url=reverse("records_erasure_requests:confirm", args=[instance.pk]),
                    icon_name="bin",
                    priority=1,
                    attrs={"aria-label": f"Confirm {instance}"},
                )
            )
        return buttons


class ErasureInspectView(generic.InspectView):
    def get_report_display_value(self):
        if not self.object.report:
            return "Nothing erased yet."
        return ", ".join(f"{name}: {count}" for name, count in self.object.report.items())

    def get_patient_display_value(self):
        return f"{self.object.patient} (patient #{self.object.patient_id})"

    @cached_property
    def header_more_buttons(self):
        buttons = [b for b in super().header_more_buttons if b.label not in ("Edit", "Delete")]
        if may_confirm(self.object, self.request.user):
            buttons.append(
                Button(
                    "Confirm erasure",
                    url=reverse("records_erasure_requests:confirm", args=[self.object.pk]),
                    icon_name="bin",
                    priority=10,
                )
            )
        if self.object.status == ErasureRequest.Status.PENDING:
            buttons.append(
                Button(
                    "Cancel request",
                    url=reverse("records_erasure_requests:cancel", args=[self.object.pk]),
                    icon_name="cross",
                    priority=20,
                )
            )
        return buttons


class ErasureActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "records/admin/confirm_erasure.html"
    header_icon = "bin"
    form_class = ConfirmErasureForm

    def dispatch(self, request, *args, **kwargs):
        if not is_consent_officer(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(
            ErasureRequest.objects.select_related("patient", "requested_by"), pk=kwargs["pk"]
        )
        if self.object.status != ErasureRequest.Status.PENDING:
            messages.warning(request, "This erasure request is no longer waiting.")
            return redirect("records_erasure_requests:inspect", self.object.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        patient = self.object.patient
        consents = list(patient.consents.all())
        return super().get_context_data(
            object=self.object,
            patient=patient,
            items=[item for consent in consents for item in consent.linked_content()],
            photo_count=patient.photos.count(),
            submit_label=self.submit_label,
            inspect_url=reverse("records_erasure_requests:inspect", args=[self.object.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.perform()
        except (ValidationError, PermissionDenied) as error:
            errors = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in errors:
                form.add_error(None, message)
            return self.form_invalid(form)
        return redirect("records_erasure_requests:inspect", self.object.pk)


class ConfirmErasureView(ErasureActionView):
    page_title = "Confirm erasure"
    submit_label = "Erase now"

    def perform(self):
        confirm_erasure(self.object, self.request.user)
        messages.success(
            self.request,
            f"{self.object}: erased. The patient has been sent a receipt.",
        )


class CancelErasureView(ErasureActionView):
    page_title = "Cancel erasure request"
    submit_label = "Cancel the request"
    form_class = forms.Form

    def perform(self):
        cancel_erasure(self.object, self.request.user)
        messages.success(self.request, f"{self.object} cancelled.")


class ErasureRequestViewSet(ModelViewSet):
    model = ErasureRequest
    name = "records_erasure_requests"
    url_prefix = "records/erasure-requests"
    icon = "bin"
    menu_label = "Erasure requests"
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = ErasureCreateView
    index_view_class = ErasureIndexView
    inspect_view_class = ErasureInspectView
    list_display = [
        "__str__",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda r: r.status == ErasureRequest.Status.PENDING,
        ),
        Column("requested_by", label="Requested by"),
        DateAndDistanceColumn("requested_at", label="Requested", sort_key="requested_at"),
        Column("confirmed_by", label="Confirmed by"),
        DateAndDistanceColumn("erased_at", label="Erased", sort_key="erased_at"),
    ]
    inspect_view_fields = [
        "status",
        "patient",
        "received_via",
        "requested_by",
        "requested_at",
        "confirmed_by",
        "erased_at",
        "report",
    ]
    edit_handler = ObjectList(
        [FieldPanel("patient"), FieldPanel("received_via")],
        base_form_class=ErasureRequestForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("confirm/<int:pk>/", ConfirmErasureView.as_view(), name="confirm"),
            path("cancel/<int:pk>/", CancelErasureView.as_view(), name="cancel"),
        ]


# -- Report: every story and testimonial, with its evidence pack -----------------------


class EvidenceRow:
    def __init__(self, item, kind):
        self.item, self.kind = item, kind
        self.title = str(item.title)
        self.consent = f"#{item.consent_id}"
        self.live = "Live" if item.live else "Not live"
        self.pack_url = evidence_pack_url(item)


class EvidencePackReportView(ReportView):
    """Consent officers may not open stories in the page editor: this is where they
    find every story and testimonial, live or not, and its evidence pack."""

    page_title = "Evidence packs"
    header_icon = "download"
    index_url_name = "records_evidence_packs"
    index_results_url_name = "records_evidence_packs_results"
    no_results_message = "There is no story or testimonial."
    paginate_by = 100
    columns = [
        TitleColumn("title", label="Content", get_url=lambda row: row.pack_url),
        Column("kind", label="Type"),
        Column("consent", label="Consent"),
        Column("live", label="Status"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not is_consent_officer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        rows = [
            EvidenceRow(item, str(model._meta.verbose_name).capitalize())
            for model in CONTENT_MODELS
            for item in model.objects.order_by("-pk")
        ]
        return sorted(rows, key=lambda row: row.title.lower())
