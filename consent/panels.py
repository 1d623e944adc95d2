from datetime import timedelta

from django.utils import timezone
from wagtail.admin.ui.components import Component

from consent.models import Consent, Status
from consent.permissions import is_consent_officer


class ExpiringConsentsPanel(Component):
    name = "consents_expiring"
    template_name = "consent/admin/expiring_panel.html"
    order = 120

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        return is_consent_officer(self.request.user)

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        consents = (
            Consent.objects.active()
            .filter(expires_on__lte=today + timedelta(days=30))
            .select_related("patient")
            .order_by("expires_on")
        )
        return {"consents": consents, "request": self.request}


class AwaitingVerificationPanel(Component):
    """Consents recorded but not yet checked by an officer: nothing linked to them can
    be published until they are, so they come first on an officer's dashboard."""

    name = "consents_awaiting_verification"
    template_name = "consent/admin/awaiting_verification_panel.html"
    order = 50
    LIMIT = 20

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        return is_consent_officer(self.request.user)

    def get_context_data(self, parent_context):
        pending = (
            Consent.objects.with_status(Status.PENDING)
            .select_related("patient", "obtained_by")
            .order_by("signed_at", "pk")
        )
        return {
            "consents": pending[: self.LIMIT],
            "total": pending.count(),
            "can_verify": self.request.user.has_perm("consent.verify_consent"),
            "request": self.request,
        }
