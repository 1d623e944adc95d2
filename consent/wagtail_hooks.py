from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from consent import models
from consent.panels import AwaitingVerificationPanel, ExpiringConsentsPanel
from consent.permissions import ConsentOfficerPermissionPolicy
from consent.viewsets import ConsentViewSetGroup

# Registered before the viewsets so no fallback policy is created for these models.
register_permission_policy(models.Patient, ConsentOfficerPermissionPolicy(models.Patient))
register_permission_policy(models.Consent, ConsentOfficerPermissionPolicy(models.Consent))


@hooks.register("register_admin_viewset")
def register_consent_viewsets():
    return ConsentViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_consent_panels(request, panels):
    for panel in (AwaitingVerificationPanel(request), ExpiringConsentsPanel(request)):
        if panel.is_shown():
            panels.append(panel)


@hooks.register("register_log_actions")
def register_consent_log_actions(actions):
    simple = [
        (models.CREATED, "Record consent", "Consent recorded"),
        (models.VERIFIED, "Verify consent", "Consent verified"),
        (models.EXPIRED, "Consent expired", "Consent expired"),
        (models.FORM_DOWNLOADED, "Download signed form", "Signed form downloaded"),
    ]
    for action, label, message in simple:
        actions.register_action(action, label, message)

    @actions.register_action(models.SUPERSEDED)
    class Superseded(LogFormatter):
        label = "Supersede consent"

        def format_message(self, log_entry):
            return f"Consent superseded by consent #{log_entry.data.get('by', '?')}"

    @actions.register_action(models.WITHDRAWN)
    class Withdrawn(LogFormatter):
        label = "Withdraw consent"

        def format_message(self, log_entry):
            channel = log_entry.data.get("channel", "")
            labels = dict(models.Consent.WithdrawalChannel.choices)
            return f"Consent withdrawn ({labels.get(channel, channel) or 'channel not recorded'})"

    @actions.register_action(models.CONTENT_TAKEN_DOWN)
    class TakenDown(LogFormatter):
        label = "Take content down"

        def format_message(self, log_entry):
            return "Linked content taken down: " + ", ".join(log_entry.data.get("items", []))

    @actions.register_action(models.REMINDER_SENT)
    class Reminder(LogFormatter):
        label = "Send expiry reminder"

        def format_message(self, log_entry):
            return f"Expiry reminder sent ({log_entry.data.get('days', '?')} days before)"
