from wagtail import hooks
from wagtail.permissions import register_permission_policy

from consent import models
from consent.panels import ExpiringConsentsPanel
from consent.permissions import ConsentOfficerPermissionPolicy
from consent.viewsets import ConsentViewSetGroup

# Registered before the viewsets so no fallback policy is created for these models.
register_permission_policy(models.Patient, ConsentOfficerPermissionPolicy(models.Patient))
register_permission_policy(models.Consent, ConsentOfficerPermissionPolicy(models.Consent))


@hooks.register("register_admin_viewset")
def register_consent_viewsets():
    return ConsentViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_expiring_consents_panel(request, panels):
    panel = ExpiringConsentsPanel(request)
    if panel.is_shown():
        panels.append(panel)


@hooks.register("register_log_actions")
def register_consent_log_actions(actions):
    actions.register_action(models.CREATED, "Record consent", "Consent recorded")
    actions.register_action(models.VERIFIED, "Verify consent", "Consent verified")
    actions.register_action(
        models.SUPERSEDED, "Supersede consent", "Consent superseded by a newer consent"
    )
    actions.register_action(models.WITHDRAWN, "Withdraw consent", "Consent withdrawn")
    actions.register_action(models.EXPIRED, "Consent expired", "Consent expired")
    actions.register_action(
        models.CONTENT_TAKEN_DOWN, "Take content down", "Linked content taken down"
    )
    actions.register_action(
        models.FORM_DOWNLOADED, "Download signed form", "Signed form downloaded"
    )
    actions.register_action(models.REMINDER_SENT, "Send expiry reminder", "Expiry reminder sent")
