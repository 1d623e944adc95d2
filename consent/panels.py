from datetime import timedelta

from django.utils import timezone
from wagtail.admin.ui.components import Component

from consent.models import Consent
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
