from django.apps import AppConfig
from django.db.models.signals import pre_save
from wagtail.users.apps import WagtailUsersAppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default = True

    def ready(self):
        from moderation import access
        from moderation.publishing import gate_every_other_page

        # Every model: Wagtail's own Page rows and any draft-state model pass the gate.
        pre_save.connect(gate_every_other_page, dispatch_uid="moderation.gate")
        access.connect()


class ClinicUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user forms (INSTALLED_APPS lists this instead)."""

    user_viewset = "moderation.users.ClinicUserViewSet"
    group_viewset = "moderation.users.ClinicGroupViewSet"
