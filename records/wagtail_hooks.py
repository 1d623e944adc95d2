from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.permissions import register_permission_policy

from consent.permissions import is_consent_officer
from records import erasure
from records.evidence import CONTENT_MODELS
from records.models import ErasureRequest
from records.views import EVIDENCE_PACK_DOWNLOADED, evidence_pack, evidence_pack_url
from records.viewsets import ErasureRequestViewSet, EvidencePackReportView, OfficersOnlyPolicy

# Registered before the viewset so no fallback policy is created for the model.
register_permission_policy(ErasureRequest, OfficersOnlyPolicy(ErasureRequest))


@hooks.register("register_admin_viewset")
def register_erasure_requests():
    return ErasureRequestViewSet()


@hooks.register("register_admin_urls")
def register_evidence_pack_urls():
    report = EvidencePackReportView
    return [
        path(
            "records/evidence-pack/<str:app_label>/<str:model_name>/<int:pk>/",
            evidence_pack,
            name="records_evidence_pack",
        ),
        path("reports/evidence-packs/", report.as_view(), name=report.index_url_name),
        path(
            "reports/evidence-packs/results/",
            report.as_view(results_only=True),
            name=report.index_results_url_name,
        ),
    ]


class OfficersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_consent_officer(request.user)


@hooks.register("register_reports_menu_item")
def register_evidence_pack_report():
    return OfficersMenuItem(
        "Evidence packs",
        reverse(EvidencePackReportView.index_url_name),
        icon_name="download",
        order=910,
    )


@hooks.register("register_page_header_buttons")
def evidence_pack_page_button(page, user, view_name, next_url=None):
    if is_consent_officer(user) and isinstance(page.specific_deferred, CONTENT_MODELS):
        yield Button(
            "Download evidence pack (PDF)",
            url=evidence_pack_url(page.specific_deferred),
            icon_name="download",
            priority=80,
        )


@hooks.register("register_snippet_listing_buttons")
def evidence_pack_snippet_button(snippet, user, next_url=None):
    if is_consent_officer(user) and isinstance(snippet, CONTENT_MODELS):
        yield ListingButton(
            "Evidence pack (PDF)",
            url=evidence_pack_url(snippet),
            icon_name="download",
            priority=80,
        )


@hooks.register("register_patient_header_buttons")
def erasure_patient_button(patient, user):
    if (
        is_consent_officer(user)
        and not patient.erasure_requests.filter(
            status__in=[ErasureRequest.Status.PENDING, ErasureRequest.Status.DONE]
        ).exists()
    ):
        yield Button(
            "Request erasure",
            url=reverse("records_erasure_requests:add") + f"?patient={patient.pk}",
            icon_name="bin",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_records_log_actions(actions):
    for action, label, message in (
        (EVIDENCE_PACK_DOWNLOADED, "Download evidence pack", "Evidence pack downloaded"),
        (erasure.ERASURE_REQUESTED, "Request erasure", "Erasure requested"),
        (erasure.ERASURE_CANCELLED, "Cancel erasure", "Erasure request cancelled"),
        (erasure.ERASED, "Erase patient", "Patient erased (confirmed by a second officer)"),
    ):
        actions.register_action(action, label, message)
